from django import forms
from dsfr.forms import DsfrBaseForm

from carteblanche.core.personal_data import validate_no_personal_data
from carteblanche.core.widgets import PersonalDataTextarea
from carteblanche.territories.models import Organisation, ServiceSite

from .enums import Clarity, Engagement, Feeling, HelpQuality, HelpTried, Satisfaction, Subject, VisitOutcome
from .models import Structure

YES_NO = [("oui", "Oui"), ("non", "Non")]
MAX_COMMENT = 1000


class AnswerForm(DsfrBaseForm):
    """The questionnaire, JDMA's questions and codes; only the first question is required."""

    satisfaction = forms.ChoiceField(
        label="Comment s'est passée votre démarche aujourd'hui ?",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une réponse : « Pas bien », « Moyen » ou « Très bien »."},
    )
    comprehension = forms.TypedChoiceField(
        label="Les informations et les explications données étaient-elles claires ?",
        help_text="De 1 (pas du tout claires) à 5 (très claires).",
        choices=Clarity.choices,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    help_tried = forms.MultipleChoiceField(
        label="Avant de venir, avez-vous cherché de l'aide par l'un de ces moyens ?",
        help_text="Plusieurs réponses possibles.",
        choices=HelpTried.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    help_reached = forms.ChoiceField(
        label="Avez-vous réussi à joindre l'administration ?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    help_quality = forms.TypedChoiceField(
        label="Comment jugez-vous l'aide que vous avez obtenue ?",
        choices=HelpQuality.choices,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label="Voulez-vous ajouter quelque chose ?",
        help_text="Facultatif. N'écrivez ni votre nom, ni votre numéro, ni votre adresse : votre avis reste anonyme.",
        max_length=MAX_COMMENT,
        required=False,
        validators=[validate_no_personal_data],
        widget=PersonalDataTextarea(attrs={"rows": 3}),
    )
    recontact = forms.BooleanField(
        label="J'accepte d'être recontacté par e-mail au sujet de mon avis",
        help_text="Votre adresse sert à cela seulement, puis elle est effacée.",
        required=False,
    )
    recontact_email = forms.EmailField(label="Adresse e-mail (si vous acceptez)", required=False)

    def __init__(self, *args, contact: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not contact:  # a shared tablet or a paper form: no address typed there
            del self.fields["recontact"]
            del self.fields["recontact_email"]

    def clean(self):
        cleaned = super().clean()
        tried = [c for c in cleaned.get("help_tried") or [] if c != HelpTried.NONE]
        if HelpTried.NONE in (cleaned.get("help_tried") or []) and tried:
            self.add_error("help_tried", "« Aucune » ne va pas avec un autre moyen : décochez l'un ou l'autre.")
        if "recontact" in self.fields:
            if cleaned.get("recontact") and not cleaned.get("recontact_email"):
                self.add_error("recontact_email", "Indiquez l'adresse à laquelle vous recontacter.")
            if cleaned.get("recontact_email") and not cleaned.get("recontact"):
                self.add_error("recontact", "Cochez la case pour que nous puissions utiliser votre adresse.")
        return cleaned

    def answer_fields(self) -> dict:
        data = self.cleaned_data
        reached = {"oui": True, "non": False}.get(data.get("help_reached") or "")
        return {
            "satisfaction": data["satisfaction"],
            "comprehension": data.get("comprehension"),
            "help_tried": data.get("help_tried") or [],
            "help_reached": reached,
            "help_quality": data.get("help_quality"),
            "comment": data.get("comment", ""),
            "recontact_email": data.get("recontact_email", "") if data.get("recontact") else "",
        }


class PaperAnswerForm(AnswerForm):
    """A paper questionnaire typed in by an agent: the day it was filled in."""

    answered_on = forms.DateField(label="Rempli le", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, contact=False, **kwargs)
        self.today = today
        self.fields["answered_on"].initial = today
        self.order_fields(["answered_on"])

    def clean_answered_on(self):
        day = self.cleaned_data["answered_on"]
        if day > self.today:
            self.add_error("answered_on", "Un questionnaire ne peut être rempli dans le futur.")
        return day


class ExperienceForm(DsfrBaseForm):
    feeling = forms.ChoiceField(
        label="Votre expérience a été plutôt…", choices=Feeling.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="Racontez ce qui s'est passé",
        help_text=(
            "Ce qui s'est bien ou mal passé, ce qui vous aurait aidé. Votre récit est relu puis publié sans votre "
            "nom ; n'y écrivez ni nom, ni numéro, ni adresse."
        ),
        min_length=20,
        max_length=3000,
        validators=[validate_no_personal_data],
        widget=PersonalDataTextarea(attrs={"rows": 6}),
    )
    email = forms.EmailField(
        label="Adresse e-mail pour être prévenu de la réponse (facultatif)",
        help_text="Elle n'est pas publiée et elle est effacée une fois la réponse envoyée.",
        required=False,
    )


class StructureForm(DsfrBaseForm, forms.ModelForm):
    engagements = forms.MultipleChoiceField(
        label="Engagements Services Publics + appliqués",
        choices=Engagement.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Structure
        fields = ["name", "kind", "site", "organisation", "engagements", "promised_days", "is_published"]

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.fields["site"].queryset = ServiceSite.objects.in_territory(territory).order_by("name")
        self.fields["organisation"].queryset = Organisation.objects.filter(territory=territory)


class ArrivalForm(DsfrBaseForm):
    subject = forms.ChoiceField(label="Objet de la venue", choices=Subject.choices)


class VisitDoneForm(DsfrBaseForm):
    outcome = forms.ChoiceField(label="Issue", choices=VisitOutcome.choices, widget=forms.RadioSelect)
    referred_to = forms.ModelChoiceField(label="Orienté vers", queryset=Organisation.objects.none(), required=False)
    referred_label = forms.CharField(label="Ou autre service", max_length=200, required=False)
    promised_days = forms.IntegerField(
        label="Délai de réponse annoncé à la personne (jours)", min_value=1, max_value=90, required=False
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_to"].queryset = Organisation.objects.filter(territory=structure.territory)
        self.fields["promised_days"].initial = structure.promised_days

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == VisitOutcome.REFERRED and not (
            cleaned.get("referred_to") or cleaned.get("referred_label", "").strip()
        ):
            self.add_error("referred_to", "Indiquez vers quel service la personne est orientée.")
        return cleaned


class ReferralAnsweredForm(DsfrBaseForm):
    answered_on = forms.DateField(label="Réponse obtenue le", widget=forms.DateInput(attrs={"type": "date"}))


class InviteForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse e-mail", required=False)
    phone = forms.CharField(label="Ou téléphone portable (SMS)", max_length=20, required=False)

    def clean_phone(self):
        from carteblanche.core.messaging import is_mobile

        phone = self.cleaned_data["phone"].strip()
        if phone and not is_mobile(phone):
            raise forms.ValidationError("Un SMS part vers un portable : 06 ou 07, par exemple 06 12 34 56 78.")
        return phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors:
            self.add_error("email", "Indiquez une adresse e-mail ou un numéro de portable.")
        return cleaned


class CallsForm(DsfrBaseForm):
    date = forms.DateField(label="Jour", widget=forms.DateInput(attrs={"type": "date"}))
    received = forms.IntegerField(label="Appels reçus", min_value=0, max_value=10_000)
    answered = forms.IntegerField(label="Appels décrochés", min_value=0, max_value=10_000)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].initial = today

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned["date"] > self.today:
            self.add_error("date", "Ce jour n'est pas encore passé.")
        if (cleaned.get("answered") or 0) > (cleaned.get("received") or 0):
            self.add_error("answered", "Il ne peut y avoir plus d'appels décrochés que d'appels reçus.")
        return cleaned


class CallsImportForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier CSV de la téléphonie",
        help_text="Une ligne par jour (date ; reçus ; répondus) ou une ligne par appel (date ; statut).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 5 Mo.")
        return upload


class ModerationForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("publier", "Publier ce texte"), ("refuser", "Ne pas publier")],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Texte publié",
        help_text="Retirez ce qui permettrait de reconnaître quelqu'un ; gardez les mots de la personne.",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    reason = forms.CharField(label="Motif (si non publié)", max_length=300, required=False)


class ReplyForm(DsfrBaseForm):
    reply = forms.CharField(
        label="Réponse publique de la structure", widget=forms.Textarea(attrs={"rows": 5}), max_length=3000
    )


class IrritantForm(DsfrBaseForm):
    operation = forms.ModelChoiceField(label="Opération", queryset=None)

    def __init__(self, *args, territory, **kwargs):
        from carteblanche.operations.models import Operation

        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = Operation.objects.filter(territory=territory)
