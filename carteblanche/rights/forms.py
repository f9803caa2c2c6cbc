from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from carteblanche.territories.models import Commune, Organisation

from .enums import DataCategory, ImportKind, MemberRole, Purpose, Tenure
from .models import Person


class SearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Nom, prénom ou numéro d'allocataire",
        max_length=100,
        required=False,
        help_text="Seuls les dossiers dont le consentement autorise votre organisation apparaissent.",
    )


class ConsentForm(DsfrBaseForm):
    """The scope of a consent: which data, shared with whom, for what, how long."""

    categories = forms.MultipleChoiceField(
        label="Données partagées",
        choices=DataCategory.choices,
        initial=list(DataCategory.values),
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations autorisées à transmettre et consulter ces données",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    purposes = forms.MultipleChoiceField(
        label="Pour quoi faire",
        choices=Purpose.choices,
        initial=list(Purpose.values),
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(label="Durée du consentement (jours)", min_value=1, max_value=730, initial=365)

    def __init__(self, *args, territory, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.fields["organisations"].queryset = Organisation.objects.filter(territory=territory)
        if organisation is not None:
            self.fields["organisations"].initial = [organisation.pk]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("categories") and DataCategory.IDENTITY not in cleaned["categories"]:
            self.add_error("categories", "L'identité est nécessaire pour retrouver le dossier.")
        return cleaned


class RegisterForm(ConsentForm, forms.ModelForm):
    """A person's file opened at the counter, with her consent recorded in the same step."""

    confirmed = forms.BooleanField(
        label="La personne a été informée de ses droits (consulter, télécharger, retirer à tout moment) et donne "
        "son accord",
    )

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "birth_date", "email", "phone", "caf_number", "commune", "tenure", "rent"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, territory, organisation, **kwargs):
        super().__init__(*args, territory=territory, organisation=organisation, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territories=territory).order_by("name")
        self.fields["email"].help_text = "Pour lui envoyer le lien de son espace et l'informer de ses droits."

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise ValidationError("La date de naissance ne peut pas être dans le futur.")
        return born


class MemberForm(DsfrBaseForm):
    role = forms.ChoiceField(
        label="Rôle",
        choices=[(MemberRole.PARTNER, MemberRole.PARTNER.label), (MemberRole.CHILD, MemberRole.CHILD.label)],
    )
    first_name = forms.CharField(label="Prénom", max_length=100)
    birth_date = forms.DateField(label="Date de naissance", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role == MemberRole.PARTNER and self.person and self.person.members.filter(role=MemberRole.PARTNER).exists():
            raise ValidationError("Le foyer compte déjà un·e conjoint·e.")
        return role


class ScenarioForm(DsfrBaseForm):
    KINDS = [("perte_emploi", "Perte d'emploi"), ("nouvel_emploi", "Reprise d'un emploi"), ("naissance", "Naissance")]
    kind = forms.ChoiceField(label="Changement à simuler", choices=KINDS, widget=forms.RadioSelect)
    start = forms.DateField(
        label="À partir du mois de",
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text="Format attendu : AAAA-MM, par exemple le mois prochain.",
    )
    amount = forms.DecimalField(
        label="Montant mensuel net (€)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text="Salaire du nouvel emploi, ou allocation chômage si elle est connue (sinon elle est estimée).",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "nouvel_emploi" and not cleaned.get("amount"):
            self.add_error("amount", "Indiquez le salaire net mensuel du nouvel emploi.")
        if cleaned.get("start"):
            cleaned["start"] = cleaned["start"].replace(day=1)
        return cleaned


class FollowUpForm(DsfrBaseForm):
    note = forms.CharField(label="Suite donnée", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReferralForm(DsfrBaseForm):
    to_organisation = forms.ModelChoiceField(label="Partenaire", queryset=Organisation.objects.none())
    reason = forms.CharField(label="Motif de l'orientation", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, territory, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.filter(territory=territory)
        if exclude is not None:
            qs = qs.exclude(pk=exclude.pk)
        self.fields["to_organisation"].queryset = qs


class ImportForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Format", choices=ImportKind.choices)
    file = forms.FileField(
        label="Fichier", help_text="CSV séparé par des points-virgules ou JSON, en UTF-8 ; 20 Mo au plus."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError("Le fichier dépasse 20 Mo.")
        return upload


class AccessRequestForm(DsfrBaseForm):
    email = forms.EmailField(label="Votre adresse électronique", help_text="Format attendu : nom@domaine.fr")


TENURE_CHOICES = Tenure.choices
