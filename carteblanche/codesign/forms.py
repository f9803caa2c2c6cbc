from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from carteblanche.exploration.models import Irritant
from carteblanche.territories.models import Commune, Organisation

from .enums import PERSONA_TEMPLATES, ParticipantKind
from .models import Derogation, Experiment, Hackathon, HackathonTeam, Indicator, Measurement, Persona, Workshop


class PersonaForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Persona
        fields = [
            "name",
            "age",
            "portrait",
            "situation",
            "needs",
            "journey",
            "letter",
            "irritants",
            "communes",
            "resemblance_share",
            "resemblance_source",
        ]
        widgets = {
            "portrait": forms.Textarea(attrs={"rows": 3}),
            "situation": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 4}),
            "journey": forms.Textarea(attrs={"rows": 5}),
            "letter": forms.Textarea(attrs={"rows": 4}),
            "irritants": forms.SelectMultiple(attrs={"size": 10}),
            "communes": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["irritants"].queryset = Irritant.objects.visible().filter(operation=operation).order_by("title")
        self.fields["communes"].queryset = Commune.objects.filter(territories=operation.territory).order_by("name")

    def clean_resemblance_share(self):
        share = self.cleaned_data["resemblance_share"]
        if share is not None and not 0 <= share <= 100:
            raise ValidationError("Une part est comprise entre 0 et 100 %.")
        return share


class PersonaTemplateForm(DsfrBaseForm):
    template = forms.ChoiceField(
        label="Partir d'un modèle", choices=[(key, data["label"]) for key, data in PERSONA_TEMPLATES.items()]
    )


class WorkshopForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "title",
            "date",
            "start_time",
            "place",
            "commune",
            "personas",
            "facilitators",
            "rules",
            "dots_per_participant",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "rules": forms.Textarea(attrs={"rows": 2}),
            "personas": forms.CheckboxSelectMultiple,
            "facilitators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        from carteblanche.accounts.enums import Role
        from carteblanche.accounts.models import User

        self.fields["commune"].queryset = Commune.objects.filter(territories=operation.territory).order_by("name")
        self.fields["personas"].queryset = Persona.objects.filter(operation=operation)
        self.fields["facilitators"].queryset = User.objects.filter(
            memberships__territory=operation.territory,
            memberships__role__in=[Role.PROJECT_TEAM, Role.AGENT],
            memberships__is_active=True,
        ).distinct()

    def clean_dots_per_participant(self):
        dots = self.cleaned_data["dots_per_participant"]
        if not 1 <= dots <= 10:
            raise ValidationError("Entre 1 et 10 gommettes par participant.")
        return dots


class ParticipantForm(DsfrBaseForm):
    """Joining a workshop: a first name is enough. A contact only with consent to be re-contacted."""

    first_name = forms.CharField(
        label="Votre prénom",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": "Indiquez votre prénom (ou un surnom)."},
    )
    kind = forms.ChoiceField(label="Vous venez en tant que", choices=ParticipantKind.choices)
    organisation = forms.ModelChoiceField(
        label="Votre organisation (agents)", queryset=Organisation.objects.none(), required=False
    )
    email = forms.EmailField(
        label="Votre adresse e-mail",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Facultatif : pour recevoir le compte rendu.",
    )
    consent_recontact = forms.BooleanField(
        label="J'accepte que l'équipe du projet me recontacte (compte rendu, suites)", required=False
    )

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(territory=workshop.operation.territory)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and not cleaned.get("consent_recontact"):
            self.add_error(
                "consent_recontact", "Cochez cette case pour que nous gardions votre adresse, ou laissez-la vide."
            )
        if cleaned.get("kind") == ParticipantKind.AGENT and not cleaned.get("organisation"):
            self.add_error("organisation", "Indiquez l'organisation pour laquelle vous travaillez.")
        return cleaned


class IdeaForm(DsfrBaseForm):
    text = forms.CharField(
        label="Votre idée",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Écrivez votre idée en quelques mots."},
    )


class CloseForm(DsfrBaseForm):
    minutes = forms.CharField(label="Compte rendu", widget=forms.Textarea(attrs={"rows": 8}))


STEP_FIELDS = {
    "hypothese": ["title", "hypothesis_if", "hypothesis_then"],
    "prototype": ["prototype", "prototype_partners", "prototype_cost"],
    "protocole": ["protocol_where", "protocol_start", "protocol_end", "protocol_who"],
    "decision": ["decision", "decision_reasons"],
}


def experiment_step_form(step: str):
    """One form per step of the experiment, on the same model."""

    class StepForm(DsfrBaseForm, forms.ModelForm):
        class Meta:
            model = Experiment
            fields = STEP_FIELDS[step]
            widgets = {
                "hypothesis_if": forms.Textarea(attrs={"rows": 2}),
                "hypothesis_then": forms.Textarea(attrs={"rows": 2}),
                "prototype": forms.Textarea(attrs={"rows": 3}),
                "protocol_who": forms.Textarea(attrs={"rows": 2}),
                "decision_reasons": forms.Textarea(attrs={"rows": 3}),
                "protocol_start": forms.DateInput(attrs={"type": "date"}),
                "protocol_end": forms.DateInput(attrs={"type": "date"}),
            }

        def clean(self):
            cleaned = super().clean()
            start, end = cleaned.get("protocol_start"), cleaned.get("protocol_end")
            if start and end and end < start:
                self.add_error("protocol_end", "La fin du test ne peut pas précéder son début.")
            if step == "decision" and cleaned.get("decision") and not cleaned.get("decision_reasons", "").strip():
                self.add_error("decision_reasons", "Expliquez la décision : c'est ce qui se transmet.")
            return cleaned

    return StepForm


class IndicatorForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target", "direction"]


class MeasurementForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["date", "value", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class DerogationForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Derogation
        fields = ["rule_text", "rule_reference", "domain", "motive", "scope", "duration_months"]
        widgets = {
            "rule_text": forms.Textarea(attrs={"rows": 3}),
            "motive": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_duration_months(self):
        months = self.cleaned_data["duration_months"]
        if not 1 <= months <= 60:
            raise ValidationError("Une dérogation est limitée dans le temps : entre 1 et 60 mois.")
        return months


class DecisionForm(DsfrBaseForm):
    granted = forms.TypedChoiceField(
        label="Décision",
        choices=[("1", "Accorder"), ("0", "Refuser")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label="Motifs", widget=forms.Textarea(attrs={"rows": 3}))
    reference = forms.CharField(label="Référence de l'arrêté (si accordée)", required=False, max_length=100)
    pdf = forms.FileField(label="Arrêté signé (PDF)", required=False)

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf:
            if pdf.size > 10 * 1024 * 1024:
                raise ValidationError("Le PDF dépasse 10 Mo.")
            head = pdf.read(5)
            pdf.seek(0)
            if head != b"%PDF-":
                raise ValidationError("Déposez l'arrêté au format PDF.")
        return pdf


class ReplicateForm(DsfrBaseForm):
    territory = forms.ModelChoiceField(label="Territoire", queryset=None, empty_label="Choisir le territoire")
    name = forms.CharField(label="Nom de la nouvelle opération", max_length=200)
    slug = forms.SlugField(label="Identifiant dans l'adresse", max_length=80, help_text="Lettres, chiffres et tirets.")
    start_date = forms.DateField(label="Début", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, territories, **kwargs):
        super().__init__(*args, **kwargs)
        from carteblanche.territories.models import Territory

        self.fields["territory"].queryset = Territory.objects.filter(pk__in=[t.pk for t in territories])


class HackathonForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Hackathon
        fields = ["title", "date", "start_time", "place", "pitch_minutes", "questions_minutes", "laureates", "jurors"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "jurors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        from carteblanche.accounts.enums import Role
        from carteblanche.accounts.models import User

        self.fields["jurors"].queryset = User.objects.filter(
            memberships__territory=operation.territory, memberships__role=Role.JURY, memberships__is_active=True
        ).distinct()


class TeamForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = HackathonTeam
        fields = ["name", "challenge", "holder", "members", "project"]
        widgets = {"members": forms.Textarea(attrs={"rows": 3}), "project": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, hackathon, **kwargs):
        super().__init__(*args, **kwargs)
        self.hackathon = hackathon
        self.fields["challenge"].queryset = hackathon.challenges.all()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.hackathon.teams.filter(name__iexact=name).exists():
            raise ValidationError("Une équipe porte déjà ce nom.")
        return name
