from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from carteblanche.territories.models import Commune, Organisation, ServiceSite

from .enums import EvidenceKind, IrritantStatus
from .models import AffectedGroup, Code, FieldVisit, Irritant

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Accepted attachments: the type announced by the browser must match the file's first bytes.
ATTACHMENT_SIGNATURES = {
    "image/jpeg": [b"\xff\xd8\xff"],
    "image/png": [b"\x89PNG\r\n\x1a\n"],
    "application/pdf": [b"%PDF-"],
    "application/vnd.oasis.opendocument.text": [b"PK\x03\x04"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [b"PK\x03\x04"],
    "text/plain": [],
}
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _territory_communes(operation):
    return Commune.objects.filter(territories=operation.territory).order_by("name")


class FieldVisitForm(DsfrBaseForm, forms.ModelForm):
    agents = forms.IntegerField(label="Agents", min_value=0, required=False)
    managers = forms.IntegerField(label="Encadrants", min_value=0, required=False)
    residents = forms.IntegerField(label="Usagers", min_value=0, required=False)
    elected = forms.IntegerField(label="Élus", min_value=0, required=False)

    class Meta:
        model = FieldVisit
        fields = ["kind", "title", "date", "site", "commune", "organisations", "note_taker", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 14}),
            "organisations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.operation = operation
        self.fields["site"].queryset = ServiceSite.objects.in_territory(operation.territory).order_by("name")
        self.fields["commune"].queryset = _territory_communes(operation)
        self.fields["organisations"].queryset = Organisation.objects.filter(territory=operation.territory)
        from carteblanche.accounts.models import User

        self.fields["note_taker"].queryset = User.objects.filter(
            memberships__territory=operation.territory, memberships__is_active=True
        ).distinct()
        if self.instance.pk:
            counts = {p.kind: p.count for p in self.instance.participants.all()}
            for field, kind in self.PARTICIPANT_FIELDS.items():
                self.fields[field].initial = counts.get(kind)

    PARTICIPANT_FIELDS = {"agents": "agents", "managers": "encadrants", "residents": "usagers", "elected": "elus"}

    def clean_notes(self):
        return self.cleaned_data["notes"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("site") and not cleaned.get("commune"):
            self.add_error("commune", "Indiquez un lieu d'accueil ou une commune.")
        if self.instance.pk and "notes" in self.changed_data and self.instance.excerpts.exists():
            old = self.instance.notes
            new = cleaned.get("notes", "")
            for excerpt in self.instance.excerpts.all():
                if new[excerpt.start : excerpt.end] != old[excerpt.start : excerpt.end]:
                    self.add_error(
                        "notes",
                        "Ce passage est déjà codé et ne peut plus changer : « "
                        f"{excerpt.text[:60]} ». Ajoutez plutôt vos compléments à la fin des notes.",
                    )
                    break
        return cleaned

    def participant_counts(self) -> dict[str, int]:
        return {kind: self.cleaned_data.get(field) or 0 for field, kind in self.PARTICIPANT_FIELDS.items()}


class AttachmentForm(DsfrBaseForm):
    file = forms.FileField(
        label="Pièce jointe",
        help_text="Photo (JPEG, PNG) ou document (PDF, ODT, DOCX, texte), 10 Mo au plus.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(f"Le fichier pèse {upload.size / 1_048_576:.1f} Mo : 10 Mo au plus.")
        content_type = (upload.content_type or "").split(";")[0]
        if content_type not in ATTACHMENT_SIGNATURES:
            raise ValidationError("Type de fichier refusé : photo JPEG ou PNG, ou document PDF, ODT, DOCX, texte.")
        head = upload.read(16)
        upload.seek(0)
        signatures = ATTACHMENT_SIGNATURES[content_type]
        if signatures and not any(head.startswith(s) for s in signatures):
            raise ValidationError("Le contenu du fichier ne correspond pas à son type.")
        if not signatures and b"\x00" in upload.read(4096):
            raise ValidationError("Ce fichier texte contient des données binaires.")
        upload.seek(0)
        return upload


class IrritantForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Irritant
        fields = [
            "title",
            "description",
            "services",
            "organisations",
            "communes",
            "affected_groups",
            "frequency",
            "severity",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "organisations": forms.CheckboxSelectMultiple,
            "affected_groups": forms.CheckboxSelectMultiple,
            "communes": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(territory=operation.territory)
        self.fields["communes"].queryset = _territory_communes(operation)
        self.fields["affected_groups"].queryset = AffectedGroup.objects.filter(operation=operation)
        self.fields["status"].choices = [c for c in IrritantStatus.choices if c[0] != IrritantStatus.MERGED]
        if not self.instance.pk:
            del self.fields["status"]


class ResidentReportForm(DsfrBaseForm):
    """The public form: plain words, one minute on a phone."""

    what_happened = forms.CharField(
        label="Qu'est-ce qui s'est mal passé ?",
        help_text="Racontez avec vos mots : une démarche, un accueil, un trajet, un papier…",
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=10,
        max_length=3000,
        error_messages={
            "required": "Dites-nous en quelques mots ce qui s'est mal passé.",
            "min_length": "Dites-nous en un peu plus (10 caractères au moins).",
        },
    )
    commune = forms.ModelChoiceField(
        label="Où ?",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="Choisir la commune",
        help_text="La commune où cela s'est passé, si vous le souhaitez.",
    )
    service = forms.CharField(
        label="Quel service ?",
        max_length=200,
        required=False,
        help_text="Par exemple : la CAF, la mairie, France Travail, le transport scolaire.",
    )
    first_name = forms.CharField(label="Votre prénom", max_length=100, required=False)
    email = forms.EmailField(
        label="Votre adresse e-mail",
        required=False,
        help_text="Format attendu : nom@exemple.fr",
        error_messages={"invalid": "Cette adresse e-mail n'est pas valide (exemple : nom@exemple.fr)."},
    )
    phone = forms.CharField(label="Votre téléphone", max_length=30, required=False)
    consent_recontact = forms.BooleanField(
        label="J'accepte que l'équipe du projet me recontacte à propos de mon message", required=False
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by robots; a name browsers do not autofill.
    champ_controle = forms.CharField(label="Ne pas remplir ce champ", required=False)

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = _territory_communes(operation)
        self.fields["commune"].label_from_instance = lambda commune: commune.name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = "".join(c for c in phone if c.isdigit())
        if phone and not 9 <= len(digits) <= 15:
            raise ValidationError("Ce numéro ne semble pas complet (exemple : 06 12 34 56 78).")
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_recontact") and not (cleaned.get("email") or cleaned.get("phone")):
            self.add_error("email", "Pour que l'équipe vous recontacte, laissez une adresse e-mail ou un téléphone.")
        if not cleaned.get("consent_recontact") and any(cleaned.get(k) for k in ("first_name", "email", "phone")):
            self.add_error(
                "consent_recontact",
                "Cochez cette case pour que nous gardions vos coordonnées, ou laissez-les vides : "
                "nous ne les conservons que pour vous recontacter.",
            )
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("champ_controle"))


class CounterReportForm(ResidentReportForm):
    """The same, filled by an agent at a counter on a resident's behalf."""

    what_happened = forms.CharField(
        label="Ce que dit l'usager, avec ses mots",
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=10,
        max_length=3000,
    )
    consent_recontact = forms.BooleanField(
        label="L'usager accepte d'être recontacté par l'équipe du projet (consentement recueilli à l'oral)",
        required=False,
    )


class ImportForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Colonnes : text (obligatoire), id, titre, categorie, code_insee. UTF-8, séparateur , ou ;",
    )
    source_label = forms.CharField(
        label="Source", max_length=200, required=False, help_text="Par exemple : Grand Débat national, 2019."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("Le fichier dépasse 20 Mo : découpez-le.")
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError("Déposez un fichier CSV (.csv).")
        return upload


class CodeForm(DsfrBaseForm):
    name = forms.CharField(label="Nom du code", max_length=100)
    parent = forms.ModelChoiceField(
        label="Code parent",
        queryset=Code.objects.none(),
        required=False,
        empty_label="(aucun : code de premier niveau)",
    )

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Code.objects.filter(operation=operation).select_related("parent")


class EvidenceForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label="Nature", choices=[(EvidenceKind.FIGURE, "Chiffre"), (EvidenceKind.NOTE, "Note de l'équipe")]
    )
    text = forms.CharField(label="Ce qu'elle dit", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    figure_value = forms.DecimalField(
        label="Valeur (pour un chiffre)", required=False, max_digits=14, decimal_places=2
    )
    figure_unit = forms.CharField(label="Unité", required=False, max_length=50, help_text="Par exemple : km, jours, %")
    source_label = forms.CharField(label="Source", required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == EvidenceKind.FIGURE and cleaned.get("figure_value") is None:
            self.add_error("figure_value", "Un chiffre a besoin d'une valeur.")
        return cleaned


class MergeForm(DsfrBaseForm):
    target = forms.IntegerField(
        label="Numéro de l'irritant qui reçoit la fusion",
        help_text="Cet irritant-ci y sera fusionné, avec toutes ses preuves.",
        error_messages={"required": "Indiquez le numéro de l'irritant cible."},
    )
