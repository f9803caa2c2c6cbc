from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from carteblanche.core import french
from carteblanche.core.messaging import is_mobile, national_phone
from carteblanche.core.personal_data import validate_no_personal_or_health_data
from carteblanche.territories.models import Commune

from .enums import BookedVia, Status
from .models import Absence, Resource


class BookingForm(DsfrBaseForm):
    """Who comes and what would help her: never why she comes (no health data, ever)."""

    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    phone = forms.CharField(
        label="Téléphone portable",
        max_length=30,
        required=False,
        help_text="Pour recevoir la confirmation et les rappels par SMS. Exemple : 06 12 34 56 78.",
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        required=False,
        help_text="Facultatif si vous donnez un portable. Exemple : nom@exemple.fr.",
        error_messages={"invalid": "Adresse e-mail incorrecte : elle s'écrit comme nom@exemple.fr."},
    )
    commune = forms.ModelChoiceField(
        label="Votre commune",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="—",
        help_text="Facultatif : pour vous indiquer le passage du bus France services et le transport solidaire.",
    )
    equipment_help = forms.BooleanField(label="Je souhaite qu'un agent m'aide à utiliser le matériel", required=False)
    language = forms.CharField(
        label="Langue, besoin d'un interprète",
        max_length=100,
        required=False,
        validators=[validate_no_personal_or_health_data],
        help_text="Facultatif. Par exemple : langue des signes, anglais.",
    )
    accessibility = forms.CharField(
        label="Accessibilité",
        max_length=200,
        required=False,
        validators=[validate_no_personal_or_health_data],
        help_text="Facultatif. Par exemple : fauteuil roulant, malvoyance. N'indiquez aucune information médicale.",
    )
    ride_wanted = forms.BooleanField(
        label="Je n'ai pas de moyen de transport : je souhaite être rappelée pour un transport solidaire",
        required=False,
    )

    def __init__(self, *args, territory, motif, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = territory.communes.order_by("name")
        if not motif.no_health_data:
            del self.fields["equipment_help"]
        if staff:
            self.fields["via"] = forms.ChoiceField(
                label="Rendez-vous pris",
                choices=[(BookedVia.COUNTER, "Au guichet"), (BookedVia.PHONE, "Par téléphone")],
                initial=BookedVia.COUNTER,
                widget=forms.RadioSelect,
            )
        self.staff = staff

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not national_phone(phone):
            raise ValidationError("Numéro de téléphone français attendu : 10 chiffres, par exemple 06 12 34 56 78.")
        return french.phone(phone) if phone else ""

    def clean(self):
        data = super().clean()
        phone, email = data.get("phone"), data.get("email")
        if not self.staff and not email and not (phone and is_mobile(phone)):
            self.add_error(
                "phone",
                "Indiquez un téléphone portable (06 ou 07) ou une adresse e-mail : la confirmation, le lien pour "
                "annuler et les rappels y sont envoyés.",
            )
        return data

    def who(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "via"}


class WaitlistForm(DsfrBaseForm):
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    phone = forms.CharField(
        label="Téléphone portable", max_length=30, required=False, help_text="Exemple : 06 12 34 56 78."
    )
    email = forms.EmailField(label="Adresse e-mail", required=False, help_text="Exemple : nom@exemple.fr.")
    until = forms.DateField(
        label="Au plus tard le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Facultatif : après cette date, le créneau ne vous sert plus.",
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not is_mobile(phone):
            raise ValidationError("Numéro de portable attendu (06 ou 07), par exemple 06 12 34 56 78.")
        return french.phone(phone) if phone else ""

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and not self.errors.get("phone"):
            self.add_error("phone", "Indiquez un téléphone portable ou une adresse e-mail pour être prévenue.")
        return data


class MarkForm(DsfrBaseForm):
    status = forms.ChoiceField(choices=[(s, s) for s in (Status.SEEN, Status.NO_SHOW, Status.EXCUSED)])


class CancelForm(DsfrBaseForm):
    reason = forms.CharField(label="Raison (facultatif)", max_length=200, required=False)


class AbsenceForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["resource", "starts_at", "ends_at", "reason"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(territory=territory)
        self.fields["resource"].required = False
        self.fields["resource"].help_text = "Laissez vide pour votre propre absence."
        self.fields["resource"].empty_label = "Moi-même"

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["starts_at"] >= data["ends_at"]:
            self.add_error("ends_at", "La fin de l'absence doit suivre son début.")
        return data
