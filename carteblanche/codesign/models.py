import uuid

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.urls import reverse

from carteblanche.exploration.models import Operation, OperationScopedQuerySet

from .enums import DEFAULT_RULES, ParticipantKind, SequenceKind, WorkshopStatus


class Persona(models.Model):
    """A fictional person built from what was heard (irritants, evidence) and the territory's figures."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="personas", verbose_name="opération"
    )
    name = models.CharField("prénom", max_length=60)
    age = models.PositiveSmallIntegerField("âge", null=True, blank=True)
    portrait = models.TextField("portrait")
    situation = models.TextField("situation", blank=True)
    needs = models.TextField("besoins", blank=True, help_text="Un besoin par ligne.")
    journey = models.TextField(
        "parcours dans les services", blank=True, help_text="Une étape par ligne, dans l'ordre où elle les vit."
    )
    letter = models.TextField("lettre à l'administration", blank=True, help_text="Avec ses mots à elle ou à lui.")
    irritants = models.ManyToManyField(
        "exploration.Irritant", related_name="personas", verbose_name="irritants rencontrés", blank=True
    )
    communes = models.ManyToManyField(
        "territories.Commune",
        related_name="personas",
        verbose_name="communes où vivent des personnes comme elle",
        blank=True,
    )
    resemblance_share = models.DecimalField(
        "part de la population qui lui ressemble (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Par exemple la part des familles monoparentales, d'après l'Insee.",
    )
    resemblance_source = models.CharField("source de cette part", max_length=200, blank=True)
    template = models.CharField("modèle de départ", max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="créée par"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "persona"
        verbose_name_plural = "personas"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("codesign:persona", kwargs={"slug": self.operation.slug, "pk": self.pk})

    @property
    def needs_list(self) -> list[str]:
        return [line.strip() for line in self.needs.splitlines() if line.strip()]

    @property
    def journey_steps(self) -> list[str]:
        return [line.strip() for line in self.journey.splitlines() if line.strip()]

    def figures(self) -> dict:
        """How many people her communes hold, and how many resemble her at the stated share."""
        population = self.communes.aggregate(total=Sum("population"))["total"] or 0
        resembling = None
        if self.resemblance_share is not None and population:
            resembling = round(population * float(self.resemblance_share) / 100)
        return {"communes": self.communes.count(), "population": population, "resembling": resembling}


class Workshop(models.Model):
    """A co-construction workshop: residents and agents side by side, for concrete personas."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="workshops", verbose_name="opération"
    )
    title = models.CharField("intitulé", max_length=200)
    date = models.DateField("date")
    start_time = models.TimeField("heure de début", null=True, blank=True)
    place = models.CharField("lieu", max_length=200, help_text="Par exemple : salle des fêtes de Catus.")
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    personas = models.ManyToManyField(Persona, related_name="workshops", verbose_name="personas", blank=True)
    rules = models.TextField("règles montrées à tous", default=DEFAULT_RULES)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_workshops", verbose_name="animateurs", blank=True
    )
    status = models.CharField("état", max_length=20, choices=WorkshopStatus.choices, default=WorkshopStatus.PREPARED)
    dots_per_participant = models.PositiveSmallIntegerField("gommettes par participant", default=3)
    invitation = models.UUIDField("jeton d'invitation", default=uuid.uuid4, unique=True, editable=False)
    minutes = models.TextField("compte rendu", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "atelier"
        verbose_name_plural = "ateliers"
        ordering = ["-date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("codesign:workshop", kwargs={"slug": self.operation.slug, "pk": self.pk})

    @property
    def accepts_ideas(self) -> bool:
        return self.status in {WorkshopStatus.OPEN, WorkshopStatus.VOTING}

    @property
    def accepts_votes(self) -> bool:
        return self.status == WorkshopStatus.VOTING


class Sequence(models.Model):
    """One timed sequence of the agenda."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="agenda", verbose_name="atelier")
    order = models.PositiveSmallIntegerField("ordre")
    kind = models.CharField("nature", max_length=20, choices=SequenceKind.choices)
    title = models.CharField("intitulé", max_length=200)
    minutes = models.PositiveSmallIntegerField("durée (minutes)")

    class Meta:
        verbose_name = "séquence"
        verbose_name_plural = "déroulé"
        ordering = ["workshop", "order"]

    def __str__(self):
        return f"{self.title} ({self.minutes} min)"


class Participant(models.Model):
    """Someone in the room. Residents need no account: a first name, and a contact only with consent."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="participants", verbose_name="atelier"
    )
    kind = models.CharField("profil", max_length=20, choices=ParticipantKind.choices)
    first_name = models.CharField("prénom", max_length=100)
    organisation = models.ForeignKey(
        "territories.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisation",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte",
    )
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    consent_recontact = models.BooleanField("accepte d'être recontacté", default=False)
    device_token = models.UUIDField("jeton de l'appareil", default=uuid.uuid4, unique=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inscrit par",
    )
    joined_at = models.DateTimeField("inscrit le", auto_now_add=True)

    class Meta:
        verbose_name = "participant"
        verbose_name_plural = "participants"
        ordering = ["workshop", "first_name"]

    def __str__(self):
        return f"{self.first_name} ({self.get_kind_display().lower()})"


class Idea(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="ideas", verbose_name="atelier")
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas", verbose_name="auteur"
    )
    text = models.TextField("idée")
    group = models.CharField("regroupement", max_length=100, blank=True)
    kept = models.BooleanField("retenue", default=False)
    persona = models.ForeignKey(
        Persona, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas", verbose_name="persona"
    )
    irritants = models.ManyToManyField(
        "exploration.Irritant", related_name="ideas", verbose_name="irritants auxquels elle répond", blank=True
    )
    created_at = models.DateTimeField("proposée le", auto_now_add=True)

    class Meta:
        verbose_name = "idée"
        verbose_name_plural = "idées"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:80]


class Vote(models.Model):
    """One dot of one participant on one idea: a participant puts at most one dot on an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes", verbose_name="idée")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", verbose_name="participant"
    )
    cast_at = models.DateTimeField("voté le", auto_now_add=True)

    class Meta:
        verbose_name = "gommette"
        verbose_name_plural = "gommettes"
        constraints = [models.UniqueConstraint(fields=["idea", "participant"], name="vote_one_dot_per_idea")]

    def __str__(self):
        return f"{self.participant} → {self.idea}"
