import uuid

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.urls import reverse

from carteblanche.core.fields import optional_fk
from carteblanche.core.models import HistoryEntry
from carteblanche.operations.models import Operation, OperationScopedQuerySet

from .enums import (
    DEFAULT_RULES,
    Decision,
    DerogationDomain,
    DerogationStatus,
    Direction,
    ExperimentStage,
    ParticipantKind,
    SequenceKind,
    WorkshopStatus,
)


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
    created_by = optional_fk(settings.AUTH_USER_MODEL, "créée par", blank=False)
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
    commune = optional_fk("territories.Commune", "commune")
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
    organisation = optional_fk("territories.Organisation", "organisation")
    user = optional_fk(settings.AUTH_USER_MODEL, "compte")
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    consent_recontact = models.BooleanField("accepte d'être recontacté", default=False)
    device_token = models.UUIDField("jeton de l'appareil", default=uuid.uuid4, unique=True, editable=False)
    registered_by = optional_fk(settings.AUTH_USER_MODEL, "inscrit par")
    joined_at = models.DateTimeField("inscrit le", auto_now_add=True)

    class Meta:
        verbose_name = "participant"
        verbose_name_plural = "participants"
        ordering = ["workshop", "first_name"]

    def __str__(self):
        return f"{self.first_name} ({self.get_kind_display().lower()})"


class Idea(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="ideas", verbose_name="atelier")
    author = optional_fk(Participant, "auteur", related_name="ideas")
    text = models.TextField("idée")
    group = models.CharField("regroupement", max_length=100, blank=True)
    kept = models.BooleanField("retenue", default=False)
    persona = optional_fk(Persona, "persona", related_name="ideas")
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


class Experiment(models.Model):
    """An idea put to the test: hypothesis, prototype, protocol, measured results, decision."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="experiments", verbose_name="opération"
    )
    idea = optional_fk(Idea, "idée d'origine", related_name="experiment", one_to_one=True)
    title = models.CharField("intitulé", max_length=200)
    stage = models.CharField(
        "étape", max_length=20, choices=ExperimentStage.choices, default=ExperimentStage.HYPOTHESIS
    )
    hypothesis_if = models.TextField("si…", blank=True)
    hypothesis_then = models.TextField("alors…", blank=True)
    prototype = models.TextField("ce qui est construit", blank=True)
    prototype_partners = models.CharField("avec qui", max_length=300, blank=True)
    prototype_cost = models.DecimalField("coût (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    protocol_where = models.CharField("où", max_length=300, blank=True)
    protocol_start = models.DateField("début du test", null=True, blank=True)
    protocol_end = models.DateField("fin du test", null=True, blank=True)
    protocol_who = models.TextField("qui y prend part", blank=True)
    decision = models.CharField("décision", max_length=20, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField("raisons de la décision", blank=True)
    personas = models.ManyToManyField(Persona, related_name="experiments", verbose_name="personas", blank=True)
    irritants = models.ManyToManyField(
        "exploration.Irritant", related_name="experiments", verbose_name="irritants traités", blank=True
    )
    created_by = optional_fk(settings.AUTH_USER_MODEL, "créée par", blank=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "expérimentation"
        verbose_name_plural = "expérimentations"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("codesign:experiment", kwargs={"slug": self.operation.slug, "pk": self.pk})


class ExperimentEvent(HistoryEntry):
    """Who moved or edited the experiment, when, and what the fields were before: nothing is lost."""

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="events", verbose_name="expérimentation"
    )

    class Meta(HistoryEntry.Meta):
        verbose_name = "événement d'expérimentation"
        verbose_name_plural = "historique des expérimentations"


class Indicator(models.Model):
    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="indicators", verbose_name="expérimentation"
    )
    name = models.CharField("indicateur", max_length=200)
    unit = models.CharField("unité", max_length=50, blank=True)
    baseline = models.DecimalField("valeur de départ", max_digits=14, decimal_places=2)
    target = models.DecimalField("cible", max_digits=14, decimal_places=2)
    direction = models.CharField("sens", max_length=10, choices=Direction.choices, default=Direction.UP)

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["experiment", "pk"]

    def __str__(self):
        return self.name

    @property
    def latest(self):
        return self.measurements.order_by("-date", "-pk").first()

    def reached(self) -> bool | None:
        latest = self.latest
        if latest is None:
            return None
        if self.direction == Direction.UP:
            return latest.value >= self.target
        return latest.value <= self.target


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name="indicateur"
    )
    date = models.DateField("date")
    value = models.DecimalField("valeur mesurée", max_digits=14, decimal_places=2)
    note = models.CharField("commentaire", max_length=300, blank=True)
    entered_by = optional_fk(settings.AUTH_USER_MODEL, "saisie par", blank=False)
    entered_at = models.DateTimeField("saisie le", auto_now_add=True)

    class Meta:
        verbose_name = "mesure"
        verbose_name_plural = "mesures"
        ordering = ["indicator", "date", "pk"]

    def __str__(self):
        return f"{self.indicator} : {self.value} le {self.date:%d/%m/%Y}"


class Derogation(models.Model):
    """A request to the prefect to derogate from a rule for an experiment (décret n° 2020-412)."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="derogations", verbose_name="opération"
    )
    experiment = models.ForeignKey(
        Experiment, on_delete=models.PROTECT, related_name="derogations", verbose_name="expérimentation servie"
    )
    rule_text = models.TextField("règle à laquelle déroger")
    rule_reference = models.CharField(
        "texte et article", max_length=200, help_text="Par exemple : article R. 2324-17 du code de la santé publique."
    )
    domain = models.CharField("domaine", max_length=20, choices=DerogationDomain.choices)
    motive = models.TextField("motif d'intérêt général et circonstances locales")
    scope = models.TextField("portée (qui, où)")
    duration_months = models.PositiveSmallIntegerField("durée (mois)")
    status = models.CharField("état", max_length=20, choices=DerogationStatus.choices, default=DerogationStatus.DRAFT)
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    decided_by = optional_fk(settings.AUTH_USER_MODEL, "décidée par")
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decision_reasons = models.TextField("motifs de la décision", blank=True)
    arrete_reference = models.CharField("référence de l'arrêté", max_length=100, blank=True)
    arrete_pdf = models.FileField("arrêté (PDF)", upload_to="arretes/%Y/", blank=True)
    evaluation = models.TextField("évaluation", blank=True)
    created_by = optional_fk(settings.AUTH_USER_MODEL, "rédigée par", blank=False)
    created_at = models.DateTimeField("rédigée le", auto_now_add=True)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "dérogation"
        verbose_name_plural = "dérogations"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Dérogation à {self.rule_reference}"

    def get_absolute_url(self):
        return reverse("codesign:derogation", kwargs={"slug": self.operation.slug, "pk": self.pk})


class Hackathon(models.Model):
    """A hackathon of the operation: challenges, teams, pitches, a jury scoring on a weighted grid."""

    TIE_RULE = (
        "En cas d'égalité : la meilleure note sur le critère le plus lourd l'emporte, puis le plus grand nombre "
        "de jurés ayant noté l'équipe, puis l'ordre de passage."
    )

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="hackathons", verbose_name="opération"
    )
    title = models.CharField("intitulé", max_length=200)
    date = models.DateField("date des pitchs")
    start_time = models.TimeField("heure du premier pitch")
    place = models.CharField("lieu", max_length=200)
    pitch_minutes = models.PositiveSmallIntegerField("durée du pitch (minutes)", default=4)
    questions_minutes = models.PositiveSmallIntegerField("durée des questions (minutes)", default=4)
    laureates = models.PositiveSmallIntegerField("nombre de lauréats", default=3)
    jurors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="juries", verbose_name="jurés", blank=True)
    announced_at = models.DateTimeField("lauréats annoncés le", null=True, blank=True)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "hackathon"
        verbose_name_plural = "hackathons"
        ordering = ["-date"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("codesign:hackathon", kwargs={"slug": self.operation.slug, "pk": self.pk})


class Challenge(models.Model):
    hackathon = models.ForeignKey(
        Hackathon, on_delete=models.CASCADE, related_name="challenges", verbose_name="hackathon"
    )
    title = models.CharField("défi", max_length=200)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "défi"
        verbose_name_plural = "défis"
        ordering = ["hackathon", "pk"]

    def __str__(self):
        return self.title


class HackathonTeam(models.Model):
    hackathon = models.ForeignKey(Hackathon, on_delete=models.CASCADE, related_name="teams", verbose_name="hackathon")
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="teams", verbose_name="défi")
    name = models.CharField("nom de l'équipe", max_length=100)
    holder = models.CharField("porteur de projet", max_length=200)
    members = models.TextField("membres", blank=True, help_text="Un membre par ligne (prénom, structure).")
    project = models.TextField("projet")
    pitch_order = models.PositiveSmallIntegerField("ordre de passage")
    experiment = optional_fk(Experiment, "suivi comme expérimentation", related_name="hackathon_team", one_to_one=True)

    class Meta:
        verbose_name = "équipe"
        verbose_name_plural = "équipes"
        ordering = ["hackathon", "pitch_order"]
        constraints = [
            models.UniqueConstraint(fields=["hackathon", "pitch_order"], name="team_unique_pitch_order"),
            models.UniqueConstraint(fields=["hackathon", "name"], name="team_unique_name"),
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    hackathon = models.ForeignKey(
        Hackathon, on_delete=models.CASCADE, related_name="criteria", verbose_name="hackathon"
    )
    name = models.CharField("critère", max_length=100)
    weight = models.PositiveSmallIntegerField("poids")

    class Meta:
        verbose_name = "critère"
        verbose_name_plural = "critères"
        ordering = ["hackathon", "-weight", "pk"]

    def __str__(self):
        return f"{self.name} (×{self.weight})"


class ConflictOfInterest(models.Model):
    """A juror declares a link with a team: they do not score it."""

    team = models.ForeignKey(HackathonTeam, on_delete=models.CASCADE, related_name="conflicts", verbose_name="équipe")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="juré"
    )
    reason = models.CharField("nature du lien", max_length=200)
    declared_at = models.DateTimeField("déclaré le", auto_now_add=True)

    class Meta:
        verbose_name = "conflit d'intérêts"
        verbose_name_plural = "conflits d'intérêts"
        constraints = [models.UniqueConstraint(fields=["team", "juror"], name="conflict_unique")]

    def __str__(self):
        return f"{self.juror} / {self.team}"


class Score(models.Model):
    team = models.ForeignKey(HackathonTeam, on_delete=models.CASCADE, related_name="scores", verbose_name="équipe")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="juré"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name="critère")
    value = models.PositiveSmallIntegerField("note sur 10")

    class Meta:
        verbose_name = "note"
        verbose_name_plural = "notes"
        constraints = [
            models.UniqueConstraint(fields=["team", "juror", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=models.Q(value__lte=10), name="score_at_most_10"),
        ]

    def __str__(self):
        return f"{self.juror} : {self.team} {self.criterion} = {self.value}"
