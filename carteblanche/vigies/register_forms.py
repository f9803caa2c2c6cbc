from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from carteblanche.territories.models import Commune

from . import register_book
from .enums import CallOutcome, PlanKind, RegisterSource
from .models import RegisterEntry

IMPORT_MAX_BYTES = 5 * 1024 * 1024


class CampaignForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Plan déclenché par le préfet", choices=PlanKind.choices)
    communes = forms.ModelMultipleChoiceField(
        label="Communes appelées",
        queryset=Commune.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une commune."},
    )

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        with_register = Commune.objects.filter(territories=territory, register_entries__isnull=False).distinct()
        self.fields["communes"].queryset = with_register.order_by("name")


class CallForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label="Résultat", choices=CallOutcome.choices, widget=forms.Select(attrs={"class": "fr-select"})
    )
    note = forms.CharField(label="Remarque", required=False, max_length=300)
    attempt = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=50)


ENTRY_FIELDS = [
    "commune",
    "first_name",
    "last_name",
    "birth_date",
    "category",
    "address",
    "phone",
    "contact_name",
    "contact_phone",
    "home_services",
    "priority",
]


class EntryForm(DsfrBaseForm, forms.ModelForm):
    """What the law allows the register to hold (CASF R121-3): identity, address, phone, a contact, home services."""

    class Meta:
        model = RegisterEntry
        fields = ENTRY_FIELDS
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "priority": forms.Select(choices=[(1, "1 — d'abord"), (2, "2"), (3, "3")]),
        }
        error_messages = {
            "first_name": {"required": "Indiquez son prénom."},
            "last_name": {"required": "Indiquez son nom."},
            "address": {"required": "Indiquez son adresse : c'est là qu'on lui rend visite."},
            "category": {"required": "Indiquez sa qualité."},
            "commune": {"required": "Choisissez sa commune."},
        }

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territories=territory).order_by("name")
        self.fields["phone"].help_text = "Celui où on la joint pendant une canicule."

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and born >= timezone.localdate():
            raise forms.ValidationError("La date de naissance doit être dans le passé.")
        return born


class RegistrationForm(EntryForm):
    source = forms.ChoiceField(
        label="Demande",
        choices=[(value, label) for value, label in RegisterSource.choices if value in register_book.REQUESTS],
        widget=forms.RadioSelect,
        initial=RegisterSource.SELF,
    )
    third_party = forms.CharField(
        label="Demandée par (pour un tiers)",
        max_length=200,
        required=False,
        help_text="Son nom et son lien avec la personne : sa fille, son médecin, le service d'aide à domicile…",
    )
    requested_on = forms.DateField(
        label="Date de la demande écrite",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Une demande d'un tiers est toujours écrite (courrier, courriel, formulaire signé).",
    )
    agreed = forms.BooleanField(
        label="La personne est d'accord pour figurer au registre",
        error_messages={"required": "Une inscription demande l'accord de la personne : notez-le."},
    )

    def clean(self):
        data = super().clean()
        if data.get("source") == RegisterSource.THIRD_PARTY:
            if not data.get("third_party", "").strip():
                self.add_error("third_party", "Indiquez qui a demandé l'inscription.")
            if not data.get("requested_on"):
                self.add_error("requested_on", "Indiquez la date de la demande écrite.")
        if data.get("requested_on") and data["requested_on"] > timezone.localdate():
            self.add_error("requested_on", "La date de la demande ne peut pas être dans le futur.")
        return data


class ListImportForm(DsfrBaseForm):
    source = forms.ChoiceField(
        label="Liste transmise par",
        choices=[(value, label) for value, label in RegisterSource.choices if value in register_book.LISTS],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Colonnes : nom ; prénom ; date de naissance ; code INSEE (ou commune) ; adresse ; téléphone ; "
        "qualité (65 ans, inapte, handicap). UTF-8 ou Windows, séparateur ; ou ,",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 5 Mo : découpez-le.")
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Déposez un fichier CSV (.csv).")
        return upload
