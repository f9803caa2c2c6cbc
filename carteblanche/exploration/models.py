import hashlib
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from carteblanche.core.fields import optional_fk
from carteblanche.core.models import HistoryEntry
from carteblanche.operations.models import Operation, OperationScopedQuerySet

from .enums import (
    EvidenceKind,
    Frequency,
    IrritantEventKind,
    IrritantSource,
    IrritantStatus,
    ParticipantKind,
    Severity,
    VisitKind,
)


def normalize_text(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: what two copies of a message share."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def title_from(text: str, length: int = 120) -> str:
    """A title from a free text: its first line, cut at a word boundary."""
    first = text.strip().split("\n")[0]
    if len(first) <= length:
        return first
    return first[: length - 1].rsplit(" ", 1)[0] + "…"


def irritant_text(title: str, description: str) -> str:
    """Title and description as one text, without repeating a title cut from the description."""
    if description and not description.startswith(title.rstrip("…")):
        return f"{title}. {description}"
    return description or title


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(normalize_text(text).encode()).hexdigest()


class FieldVisit(models.Model):
    """A collective interview or an immersion in a reception place, with its notes."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="visits", verbose_name="opération")
    kind = models.CharField("nature", max_length=20, choices=VisitKind.choices)
    title = models.CharField("intitulé", max_length=200)
    date = models.DateField("date")
    site = models.ForeignKey(
        "territories.ServiceSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name="lieu d'accueil",
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name="commune",
    )
    organisations = models.ManyToManyField(
        "territories.Organisation", related_name="visits", verbose_name="organisations rencontrées", blank=True
    )
    note_taker = optional_fk(settings.AUTH_USER_MODEL, "prise de notes")
    notes = models.TextField("notes", blank=True)
    created_by = optional_fk(settings.AUTH_USER_MODEL, "créé par", blank=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "visite de terrain"
        verbose_name_plural = "visites de terrain"
        ordering = ["-date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(site__isnull=False) | models.Q(commune__isnull=False),
                name="fieldvisit_has_a_place",
                violation_error_message="Indiquez un lieu d'accueil ou une commune.",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        # One line ending everywhere, so that excerpt offsets mean the same in the browser and in exports.
        self.notes = self.notes.replace("\r\n", "\n").replace("\r", "\n")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("exploration:visit", kwargs={"slug": self.operation.slug, "pk": self.pk})

    @property
    def place_label(self) -> str:
        if self.site_id:
            return f"{self.site.name} ({self.site.commune.name})"
        return self.commune.name if self.commune_id else "—"

    def clean(self):
        if not self.site_id and not self.commune_id:
            raise ValidationError({"commune": "Indiquez un lieu d'accueil ou une commune."})


class VisitParticipants(models.Model):
    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="participants", verbose_name="visite")
    kind = models.CharField("catégorie", max_length=20, choices=ParticipantKind.choices)
    count = models.PositiveSmallIntegerField("nombre")

    class Meta:
        verbose_name = "participants"
        verbose_name_plural = "participants"
        constraints = [models.UniqueConstraint(fields=["visit", "kind"], name="visitparticipants_unique_kind")]

    def __str__(self):
        return f"{self.count} {self.get_kind_display().lower()}"


class Attachment(models.Model):
    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="attachments", verbose_name="visite")
    file = models.FileField("fichier", upload_to="terrain/%Y/%m/")
    name = models.CharField("nom d'origine", max_length=200)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = optional_fk(settings.AUTH_USER_MODEL, "déposé par", blank=False)
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name


class Code(models.Model):
    """A code of the operation's hierarchical codebook."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="codes", verbose_name="opération")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="code parent"
    )
    name = models.CharField("nom", max_length=100)
    description = models.TextField("définition", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "code"
        verbose_name_plural = "codes"
        ordering = ["name"]

    def __str__(self):
        return self.path

    @property
    def path(self) -> str:
        names, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent
        return " › ".join(reversed(names))

    def ancestors(self):
        node, result = self.parent, []
        while node is not None:
            result.append(node)
            node = node.parent
        return result


class Excerpt(models.Model):
    """A span of a visit's notes, tagged with codes. Offsets count characters of the notes text."""

    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="excerpts", verbose_name="visite")
    start = models.PositiveIntegerField("début")
    end = models.PositiveIntegerField("fin")
    text = models.TextField("texte")
    codes = models.ManyToManyField(Code, related_name="excerpts", verbose_name="codes", blank=True)
    memo = models.TextField("mémo", blank=True)
    created_by = optional_fk(settings.AUTH_USER_MODEL, "codé par", blank=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "extrait"
        verbose_name_plural = "extraits"
        ordering = ["visit", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="excerpt_start_before_end")
        ]

    def __str__(self):
        return f"« {self.text[:60]}{'…' if len(self.text) > 60 else ''} »"


class AffectedGroup(models.Model):
    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="affected_groups", verbose_name="opération"
    )
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "public concerné"
        verbose_name_plural = "publics concernés"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["operation", "name"], name="affectedgroup_unique_name")]

    def __str__(self):
        return self.name


class ImportBatch(models.Model):
    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="imports", verbose_name="opération"
    )
    file_name = models.CharField("fichier", max_length=200)
    source_label = models.CharField("source", max_length=200)
    rows = models.PositiveIntegerField("lignes lues", default=0)
    created = models.PositiveIntegerField("irritants créés", default=0)
    skipped = models.PositiveIntegerField("lignes déjà importées", default=0)
    duplicates = models.PositiveIntegerField("doublons probables", default=0)
    created_by = optional_fk(settings.AUTH_USER_MODEL, "importé par", blank=False)
    created_at = models.DateTimeField("importé le", auto_now_add=True)

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d/%m/%Y})"


class IrritantQuerySet(OperationScopedQuerySet):
    def visible(self):
        """The working list: merged irritants live on inside their target."""
        return self.exclude(status=IrritantStatus.MERGED)


class Irritant(models.Model):
    """A point where public services block people, with its evidence and its history."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="irritants", verbose_name="opération"
    )
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    services = models.CharField(
        "services concernés",
        max_length=300,
        blank=True,
        help_text="Par exemple : prime d'activité, transport scolaire.",
    )
    organisations = models.ManyToManyField(
        "territories.Organisation", related_name="irritants", verbose_name="organisations concernées", blank=True
    )
    communes = models.ManyToManyField(
        "territories.Commune", related_name="irritants", verbose_name="communes", blank=True
    )
    affected_groups = models.ManyToManyField(
        AffectedGroup, related_name="irritants", verbose_name="publics concernés", blank=True
    )
    frequency = models.PositiveSmallIntegerField("fréquence", choices=Frequency.choices, null=True, blank=True)
    severity = models.PositiveSmallIntegerField("gravité", choices=Severity.choices, null=True, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=IrritantStatus.choices, default=IrritantStatus.NEW, db_index=True
    )
    source = models.CharField("origine", max_length=20, choices=IrritantSource.choices, default=IrritantSource.TEAM)
    category = models.CharField("catégorie d'origine", max_length=100, blank=True)
    external_id = models.CharField("identifiant d'origine", max_length=100, blank=True)
    import_batch = optional_fk(ImportBatch, "import", related_name="irritants")
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged", verbose_name="fusionné dans"
    )
    possible_duplicate_of = optional_fk("self", "doublon probable de")
    captured_on_behalf = models.BooleanField(
        "recueilli pour un usager",
        default=False,
        help_text="Saisi par un agent au guichet, avec les mots de l'usager.",
    )
    theme = optional_fk("Theme", "thème", related_name="irritants")
    theme_locked = models.BooleanField(
        "thème choisi par l'équipe", default=False, help_text="Une nouvelle analyse ne le déplace plus."
    )
    evidence_count = models.PositiveIntegerField("nombre de preuves", default=0)
    fingerprint = models.CharField("empreinte du texte", max_length=64, db_index=True, blank=True)
    created_by = optional_fk(settings.AUTH_USER_MODEL, "saisi par")
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = IrritantQuerySet.as_manager()

    class Meta:
        verbose_name = "irritant"
        verbose_name_plural = "irritants"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["operation", "status", "-created_at"], name="irritant_list_idx"),
            models.Index(fields=["operation", "theme"], name="irritant_theme_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "external_id"],
                condition=~models.Q(external_id=""),
                name="irritant_unique_external_id",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fingerprint = text_fingerprint(self.full_text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("exploration:irritant", kwargs={"slug": self.operation.slug, "pk": self.pk})

    @property
    def full_text(self) -> str:
        """What the text analysis reads."""
        return irritant_text(self.title, self.description)


class IrritantEvent(HistoryEntry):
    """The history of an irritant: who did what, when."""

    irritant = models.ForeignKey(Irritant, on_delete=models.CASCADE, related_name="events", verbose_name="irritant")
    kind = models.CharField("nature", max_length=20, choices=IrritantEventKind.choices)

    class Meta(HistoryEntry.Meta):
        verbose_name = "événement d'irritant"
        verbose_name_plural = "historique des irritants"


class ResidentReport(models.Model):
    """What a resident told us, in their words, through the public form or at a counter."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="reports", verbose_name="opération"
    )
    what_happened = models.TextField("ce qui s'est mal passé")
    commune = optional_fk("territories.Commune", "commune")
    service = models.CharField("service concerné", max_length=200, blank=True)
    organisation = optional_fk("territories.Organisation", "organisation")
    captured_by = optional_fk(settings.AUTH_USER_MODEL, "recueilli par (agent)")
    client_hash = models.CharField("empreinte de l'adresse du client", max_length=64, blank=True, db_index=True)
    session_hash = models.CharField("empreinte de la session", max_length=64, blank=True, db_index=True)
    submitted_at = models.DateTimeField("envoyé le", auto_now_add=True, db_index=True)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement d'usager"
        verbose_name_plural = "signalements d'usagers"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"Signalement du {self.submitted_at:%d/%m/%Y}"


class ResidentContact(models.Model):
    """Personal data, kept apart from the report: visible only to the project team, every read journaled."""

    report = models.OneToOneField(
        ResidentReport, on_delete=models.CASCADE, related_name="contact", verbose_name="signalement"
    )
    first_name = models.CharField("prénom", max_length=100, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    consent_recontact = models.BooleanField("accepte d'être recontacté", default=False)
    consented_at = models.DateTimeField("consentement donné le", null=True, blank=True)

    class Meta:
        verbose_name = "coordonnées d'usager"
        verbose_name_plural = "coordonnées d'usagers"

    def __str__(self):
        return f"Coordonnées (signalement {self.report_id})"


class Evidence(models.Model):
    """What supports an irritant: an excerpt of field notes, a resident's message, a figure, a contribution."""

    irritant = models.ForeignKey(Irritant, on_delete=models.CASCADE, related_name="evidence", verbose_name="irritant")
    kind = models.CharField("nature", max_length=20, choices=EvidenceKind.choices)
    excerpt = models.ForeignKey(
        Excerpt, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence", verbose_name="extrait"
    )
    report = models.ForeignKey(
        ResidentReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name="signalement",
    )
    text = models.TextField("texte", blank=True)
    figure_value = models.DecimalField("valeur", max_digits=14, decimal_places=2, null=True, blank=True)
    figure_unit = models.CharField("unité", max_length=50, blank=True)
    source_label = models.CharField("source", max_length=200, blank=True)
    added_by = optional_fk(settings.AUTH_USER_MODEL, "ajouté par")
    added_at = models.DateTimeField("ajouté le", auto_now_add=True)

    class Meta:
        verbose_name = "preuve"
        verbose_name_plural = "preuves"
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["irritant", "excerpt"],
                condition=models.Q(excerpt__isnull=False),
                name="evidence_unique_excerpt",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.text[:60]}"


class TextEmbedding(models.Model):
    """The vector of one text by one model, computed once and reused by every later analysis."""

    key = models.CharField("clé", max_length=64, unique=True)
    model = models.CharField("modèle", max_length=60)
    vector = models.BinaryField("vecteur")
    created_at = models.DateTimeField("calculé le", auto_now_add=True)

    class Meta:
        verbose_name = "plongement de texte"
        verbose_name_plural = "plongements de textes"

    def __str__(self):
        return f"{self.model} {self.key[:12]}"


class ThemeAnalysis(models.Model):
    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="analyses", verbose_name="opération"
    )
    job = optional_fk("core.Job", "tâche", related_name="theme_analysis", one_to_one=True)
    texts = models.PositiveIntegerField("textes analysés", default=0)
    encoded = models.PositiveIntegerField("textes encodés", default=0)
    reused = models.PositiveIntegerField("plongements réutilisés", default=0)
    themes = models.PositiveIntegerField("thèmes", default=0)
    parameters = models.JSONField("paramètres", default=dict, blank=True)
    created_at = models.DateTimeField("lancée le", auto_now_add=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "analyse thématique"
        verbose_name_plural = "analyses thématiques"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Analyse du {self.created_at:%d/%m/%Y %H:%M}"


class Theme(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="themes", verbose_name="opération")
    name = models.CharField("nom donné par l'équipe", max_length=200, blank=True)
    auto_label = models.CharField("libellé calculé", max_length=200, blank=True)
    top_terms = models.JSONField("termes caractéristiques", default=list, blank=True)
    quotes = models.JSONField("citations représentatives", default=list, blank=True)
    reviewed = models.BooleanField(
        "revu par l'équipe", default=False, help_text="Renommé, fusionné ou scindé : une nouvelle analyse le garde."
    )
    analysis = optional_fk(ThemeAnalysis, "dernière analyse")
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["name", "auto_label"]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("exploration:theme", kwargs={"slug": self.operation.slug, "pk": self.pk})

    @property
    def label(self) -> str:
        return self.name or self.auto_label or f"Thème {self.pk}"


class PriorityExpectation(models.Model):
    """One of the operation's priority expectations, chosen by the team from the themes."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="priorities", verbose_name="opération"
    )
    title = models.CharField("attente prioritaire", max_length=200)
    description = models.TextField("description", blank=True)
    themes = models.ManyToManyField(Theme, related_name="priorities", verbose_name="thèmes", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=1)

    class Meta:
        verbose_name = "attente prioritaire"
        verbose_name_plural = "attentes prioritaires"
        ordering = ["operation", "order"]

    def __str__(self):
        return self.title


class PendingImport(models.Model):
    """An uploaded file waiting for the worker that imports it (kept in the database so that a worker on
    another machine reads it); deleted once imported."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="+", verbose_name="opération")
    file_name = models.CharField("fichier", max_length=200)
    source_label = models.CharField("source", max_length=200, blank=True)
    content = models.BinaryField("contenu")
    created_by = optional_fk(settings.AUTH_USER_MODEL, "déposé par", blank=False)
    created_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "import en attente"
        verbose_name_plural = "imports en attente"

    def __str__(self):
        return self.file_name
