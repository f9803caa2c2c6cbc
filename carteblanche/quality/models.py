"""Quality of service where the service happens: answers to a short questionnaire (no account), the visit log of a
counter, the tally of phone calls, and residents' experiences answered in public (Services Publics +)."""

import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from carteblanche.core.fields import optional_fk
from carteblanche.territories.models import TerritoryScopedQuerySet

from .enums import (
    AnswerChannel,
    CallSource,
    Clarity,
    ExperienceStatus,
    Feeling,
    HelpQuality,
    Satisfaction,
    StructureKind,
    Subject,
    VisitOutcome,
)


def new_public_code() -> str:
    """The code in a poster's QR link: short, unguessable enough that posters cannot be enumerated."""
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y").lower()


def quarter_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The first day of the moment's quarter, in local time (results are published by quarter)."""
    day = timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def week_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The Monday of the moment's week, in local time."""
    day = timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment
    return day - datetime.timedelta(days=day.weekday())


class Structure(models.Model):
    """A place or service whose quality is measured and published: a counter, a France services site, the bus, the
    solidarity rides. The « structure » of Services Publics +."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="quality_structures", verbose_name="territoire"
    )
    name = models.CharField("nom publié", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=StructureKind.choices)
    site = optional_fk("territories.ServiceSite", "lieu d'accueil", related_name="quality_structures")
    organisation = optional_fk("territories.Organisation", "organisation", related_name="quality_structures")
    public_code = models.SlugField("code public", max_length=20, unique=True, default=new_public_code)
    engagements = models.JSONField("engagements Services Publics + appliqués", default=list, blank=True)
    promised_days = models.PositiveSmallIntegerField(
        "délai de réponse annoncé (jours)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Pour une orientation vers un autre service et pour la réponse publique à une expérience.",
    )
    is_published = models.BooleanField("résultats publiés", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "structure évaluée"
        verbose_name_plural = "structures évaluées"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="quality_structure_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("quality:structure", args=[self.territory.slug, self.pk])

    def get_public_url(self):
        return reverse("quality:public_structure", args=[self.territory.slug, self.public_code])


class Answer(models.Model):
    """One questionnaire, JDMA's codes. Nothing in it says who answered: a token is used up, never stored here."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="answers", verbose_name="structure"
    )
    channel = models.CharField("canal", max_length=20, choices=AnswerChannel.choices)
    answered_at = models.DateTimeField("répondu le", db_index=True)
    # Kept with the row so that results group by a plain column (100,000 answers in a few milliseconds).
    quarter = models.DateField("trimestre", editable=False)
    satisfaction = models.CharField("satisfaction", max_length=10, choices=Satisfaction.choices)
    comprehension = models.PositiveSmallIntegerField(
        "clarté des informations", choices=Clarity.choices, null=True, blank=True
    )
    help_tried = models.JSONField("aides tentées", default=list, blank=True)
    help_reached = models.BooleanField("a pu joindre l'administration", null=True, blank=True)
    help_quality = models.PositiveSmallIntegerField(
        "qualité de l'aide obtenue", choices=HelpQuality.choices, null=True, blank=True
    )
    comment = models.TextField("commentaire", blank=True)
    entered_by = optional_fk(settings.AUTH_USER_MODEL, "saisi par")
    # A keyed hash of the network address and the hour (its key changes every hour): bursts can be seen, the
    # address cannot be read back, and nothing links two hours together.
    source_hash = models.CharField("empreinte horaire de la source", max_length=64, blank=True, db_index=True)
    flagged = models.BooleanField("à vérifier", default=False)
    flag_reason = models.CharField("motif", max_length=200, blank=True)
    excluded = models.BooleanField("écartée des résultats", default=False)
    reviewed_by = optional_fk(settings.AUTH_USER_MODEL, "vérifiée par", related_name="+")

    class Meta:
        verbose_name = "réponse au questionnaire"
        verbose_name_plural = "réponses au questionnaire"
        ordering = ["-answered_at"]
        # Covering: the results' grouped count reads the index alone (SQLite: 140 → 37 ms for 100,000 answers).
        indexes = [
            models.Index(
                fields=[
                    "structure",
                    "quarter",
                    "excluded",
                    "satisfaction",
                    "comprehension",
                    "help_reached",
                    "help_quality",
                ],
                name="quality_answer_results",
            )
        ]

    def __str__(self):
        return f"{self.structure} — {self.get_satisfaction_display()} ({self.get_channel_display()})"

    def save(self, *args, **kwargs):
        self.quarter = quarter_of(self.answered_at)
        super().save(*args, **kwargs)


class Recontact(models.Model):
    """An e-mail left to be re-contacted about an answer, only with the person's consent; erased after use."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="recontact", verbose_name="réponse")
    email = models.EmailField("adresse e-mail")
    consented_at = models.DateTimeField("consentement le")
    done_at = models.DateTimeField("recontacté le", null=True, blank=True)

    class Meta:
        verbose_name = "demande de recontact"
        verbose_name_plural = "demandes de recontact"

    def __str__(self):
        return f"Recontact — réponse n° {self.answer_id}"


class Visit(models.Model):
    """A person at the counter (or the bus): arrival, seen by an agent, done; the subject, solved or referred."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="visits", verbose_name="structure")
    arrived_at = models.DateTimeField("arrivée", db_index=True)
    quarter = models.DateField("trimestre", editable=False)
    week = models.DateField("semaine", editable=False)
    seen_at = models.DateTimeField("reçu le", null=True, blank=True)
    done_at = models.DateTimeField("terminé le", null=True, blank=True)
    wait_minutes = models.PositiveIntegerField("attente (minutes)", null=True, blank=True)
    subject = models.CharField("objet", max_length=20, choices=Subject.choices)
    outcome = models.CharField("issue", max_length=20, choices=VisitOutcome.choices, blank=True)
    referred_to = optional_fk("territories.Organisation", "orienté vers", related_name="quality_referrals")
    referred_label = models.CharField("orienté vers (autre)", max_length=200, blank=True)
    answer_due_on = models.DateField("réponse promise au plus tard le", null=True, blank=True)
    answered_on = models.DateField("réponse obtenue le", null=True, blank=True)
    recorded_by = optional_fk(settings.AUTH_USER_MODEL, "saisi par")

    class Meta:
        verbose_name = "passage à l'accueil"
        verbose_name_plural = "passages à l'accueil"
        ordering = ["-arrived_at"]
        indexes = [
            models.Index(
                fields=["structure", "quarter", "outcome", "wait_minutes", "answer_due_on", "answered_on"],
                name="quality_visit_results",
            ),
            models.Index(fields=["structure", "week"], name="quality_visit_week"),
        ]

    def __str__(self):
        return (
            f"{self.structure} — {self.get_subject_display()} ({timezone.localtime(self.arrived_at):%d/%m/%Y %H:%M})"
        )

    def save(self, *args, **kwargs):
        self.quarter, self.week = quarter_of(self.arrived_at), week_of(self.arrived_at)
        if self.seen_at is not None:
            self.wait_minutes = max(0, int((self.seen_at - self.arrived_at).total_seconds() // 60))
        super().save(*args, **kwargs)

    @property
    def referral_label(self) -> str:
        return str(self.referred_to) if self.referred_to_id else self.referred_label


class CallTally(models.Model):
    """Phone calls of one day: received, answered. Typed by an agent or imported from the telephony."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="calls", verbose_name="structure")
    date = models.DateField("jour")
    quarter = models.DateField("trimestre", editable=False)
    received = models.PositiveIntegerField("appels reçus")
    answered = models.PositiveIntegerField("appels décrochés")
    source = models.CharField("origine", max_length=20, choices=CallSource.choices, default=CallSource.MANUAL)
    recorded_by = optional_fk(settings.AUTH_USER_MODEL, "saisi par")
    recorded_at = models.DateTimeField("saisi le", auto_now=True)

    class Meta:
        verbose_name = "relevé d'appels"
        verbose_name_plural = "relevés d'appels"
        ordering = ["-date"]
        indexes = [models.Index(fields=["structure", "quarter", "received", "answered"], name="quality_calls_results")]
        constraints = [
            models.UniqueConstraint(fields=["structure", "date"], name="quality_one_call_tally_per_day"),
            models.CheckConstraint(
                condition=models.Q(answered__lte=models.F("received")),
                name="quality_calls_answered_within_received",
                violation_error_message="Il ne peut y avoir plus d'appels décrochés que d'appels reçus.",
            ),
        ]

    def __str__(self):
        return f"{self.structure} — {self.date:%d/%m/%Y} : {self.answered}/{self.received}"

    def save(self, *args, **kwargs):
        self.quarter = quarter_of(self.date)
        super().save(*args, **kwargs)


class Experience(models.Model):
    """A resident's experience, told in her words, moderated, then published anonymously with the public reply."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="experiences", verbose_name="structure"
    )
    told_at = models.DateTimeField("racontée le", db_index=True)
    feeling = models.CharField("ressenti", max_length=10, choices=Feeling.choices)
    description = models.TextField("ce qui s'est passé")
    published_text = models.TextField("texte publié", blank=True)
    status = models.CharField(
        "état", max_length=10, choices=ExperienceStatus.choices, default=ExperienceStatus.RECEIVED, db_index=True
    )
    moderated_at = models.DateTimeField("modérée le", null=True, blank=True)
    moderated_by = optional_fk(settings.AUTH_USER_MODEL, "modérée par", related_name="+")
    rejection_reason = models.CharField("motif de non-publication", max_length=300, blank=True)
    reply = models.TextField("réponse de la structure", blank=True)
    replied_at = models.DateTimeField("répondue le", null=True, blank=True)
    replied_by = optional_fk(settings.AUTH_USER_MODEL, "répondue par", related_name="+")
    irritant = optional_fk("exploration.Irritant", "irritant", related_name="experiences")
    contact_email = models.EmailField("e-mail pour être tenu informé", blank=True)

    class Meta:
        verbose_name = "expérience d'usager"
        verbose_name_plural = "expériences d'usagers"
        ordering = ["-told_at"]

    def __str__(self):
        return f"Expérience n° {self.pk} — {self.structure}"

    @property
    def reply_days(self) -> int | None:
        if self.replied_at is None:
            return None
        return (self.replied_at.date() - self.told_at.date()).days
