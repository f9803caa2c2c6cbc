"""Bookings: what one books (motifs), whose time or which room is open (schedules of an agent or a resource), the
absences that close it, the appointments, and the waiting list.

No two appointments can hold the same time of one agent or one resource: each appointment holds its time in
five-minute blocks (``SlotHold``), unique per calendar, block and seat. Two bookings of the last slot at the same
instant both try to insert the same block; the database lets one through (a unique constraint, on SQLite and on
PostgreSQL), never a check in Python. A collective motif holds one block per seat.
"""

import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import french
from carteblanche.core.fields import optional_fk
from carteblanche.territories.enums import Weekday
from carteblanche.territories.models import TerritoryScopedQuerySet

from .enums import (
    Audience,
    BookedVia,
    DeliveryStatus,
    OfferStatus,
    Place,
    Recurrence,
    ResourceKind,
    Status,
    WaitStatus,
    WebhookEvent,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
BLOCK_MINUTES = 5  # the grain of every time held: durations, buffers and opening hours are multiples of it


def new_secret() -> str:
    return secrets.token_hex(32)


def multiple_of_block(value: int) -> None:
    if value % BLOCK_MINUTES:
        raise ValidationError(f"Indiquez un multiple de {BLOCK_MINUTES} minutes.")


def on_block(value: datetime.time) -> None:
    if value.minute % BLOCK_MINUTES or value.second:
        raise ValidationError(f"Indiquez une heure ronde à {BLOCK_MINUTES} minutes près (par exemple 9 h 05).")


def quarter_of(moment: datetime.datetime) -> datetime.date:
    day = timezone.localdate(moment)
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


class Motif(models.Model):
    """What one books: « Téléconsultation médicale en cabine », « Coaching emploi — premier entretien »…"""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="motifs", verbose_name="territoire"
    )
    organisation = models.ForeignKey(
        "territories.Organisation", on_delete=models.CASCADE, related_name="motifs", verbose_name="organisation"
    )
    name = models.CharField("nom", max_length=150)
    description = models.TextField(
        "à savoir avant de venir", blank=True, help_text="Ce que la personne apporte, comment se passe le rendez-vous."
    )
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", default=30, validators=[MinValueValidator(5), MaxValueValidator(480), multiple_of_block]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        "battement après (minutes)",
        default=0,
        validators=[MaxValueValidator(120), multiple_of_block],
        help_text="Par exemple le nettoyage de la cabine entre deux personnes.",
    )
    place = models.CharField("où", max_length=20, choices=Place.choices, default=Place.SITE)
    audience = models.CharField("qui peut réserver", max_length=20, choices=Audience.choices)
    min_notice_hours = models.PositiveSmallIntegerField(
        "réservable jusqu'à (heures avant)", default=2, validators=[MaxValueValidator(24 * 30)]
    )
    max_notice_days = models.PositiveSmallIntegerField(
        "réservable au plus tôt (jours avant)", default=56, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    capacity = models.PositiveSmallIntegerField(
        "places",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Plus d'une place : un atelier collectif.",
    )
    sessions = models.PositiveSmallIntegerField(
        "séances",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Plus d'une séance : un accompagnement en série (coaching), une séance par semaine.",
    )
    session_interval_days = models.PositiveSmallIntegerField(
        "jours entre deux séances", default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    no_health_data = models.BooleanField(
        "téléconsultation : aucune donnée de santé",
        default=False,
        help_text="La page de réservation rappelle que le motif médical n'est jamais demandé ni enregistré.",
    )
    structure = optional_fk("quality.Structure", "structure évaluée (résultats publiés)", related_name="motifs")
    is_active = models.BooleanField("proposé", default=True)

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "motif de rendez-vous"
        verbose_name_plural = "motifs de rendez-vous"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="bookings_motif_unique_name"),
            models.CheckConstraint(
                condition=models.Q(capacity=1) | models.Q(sessions=1),
                name="bookings_motif_collective_or_series",
                violation_error_message="Un atelier collectif se réserve en une séance.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_collective(self) -> bool:
        return self.capacity > 1

    @property
    def held_minutes(self) -> int:
        return self.duration_minutes + self.buffer_minutes

    def open_to_residents(self) -> bool:
        return self.is_active and self.audience == Audience.RESIDENTS


class Resource(models.Model):
    """A thing booked rather than a person: the teleconsultation booth of a France services site, a room."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="booking_resources", verbose_name="territoire"
    )
    organisation = models.ForeignKey(
        "territories.Organisation",
        on_delete=models.CASCADE,
        related_name="booking_resources",
        verbose_name="organisation",
    )
    name = models.CharField("nom", max_length=150)
    kind = models.CharField("nature", max_length=20, choices=ResourceKind.choices, default=ResourceKind.BOOTH)
    site = models.ForeignKey(
        "territories.ServiceSite", on_delete=models.PROTECT, related_name="booking_resources", verbose_name="lieu"
    )
    checklist = models.JSONField(
        "vérifications à l'ouverture",
        default=list,
        blank=True,
        help_text="Une ligne par vérification (tensiomètre chargé, écran allumé, lingettes…).",
    )

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "ressource réservable"
        verbose_name_plural = "ressources réservables"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="bookings_resource_unique_name")]

    def __str__(self):
        return self.name

    @property
    def calendar(self) -> str:
        return resource_calendar(self.pk)


def agent_calendar(user_id: int) -> str:
    return f"agent:{user_id}"


def resource_calendar(resource_id: int) -> str:
    return f"ressource:{resource_id}"


class OnCalendar:
    """Schedules, absences and appointments belong to one calendar: an agent's or a resource's (never both)."""

    @property
    def calendar(self) -> str:
        return resource_calendar(self.resource_id) if self.resource_id else agent_calendar(self.agent_id)


class Schedule(OnCalendar, models.Model):
    """Opening slots of one agent or one resource: a weekday's hours, every week or every two weeks, from a date."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="booking_schedules", verbose_name="territoire"
    )
    organisation = models.ForeignKey(
        "territories.Organisation",
        on_delete=models.CASCADE,
        related_name="booking_schedules",
        verbose_name="organisation",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="booking_schedules",
        verbose_name="agent",
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules", verbose_name="ressource"
    )
    motifs = models.ManyToManyField(Motif, related_name="schedules", verbose_name="motifs proposés")
    site = models.ForeignKey(
        "territories.ServiceSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booking_schedules",
        verbose_name="lieu d'accueil",
    )
    bus_stop = models.ForeignKey(
        "mobility.CandidateStop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booking_schedules",
        verbose_name="arrêt du bus",
    )
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    start = models.TimeField("de", validators=[on_block])
    end = models.TimeField("à", validators=[on_block])
    recurrence = models.CharField("récurrence", max_length=20, choices=Recurrence.choices, default=Recurrence.WEEKLY)
    first_date = models.DateField("à partir du")
    last_date = models.DateField("jusqu'au", null=True, blank=True)

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "plage d'ouverture"
        verbose_name_plural = "plages d'ouverture"
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")),
                name="bookings_schedule_start_before_end",
                violation_error_message="Le début de la plage doit précéder sa fin.",
            ),
            models.CheckConstraint(
                condition=(models.Q(agent__isnull=True) ^ models.Q(resource__isnull=True)),
                name="bookings_schedule_agent_or_resource",
                violation_error_message="Une plage est celle d'un agent ou d'une ressource, pas des deux.",
            ),
        ]

    def __str__(self):
        who = self.resource or self.agent
        return f"{who} — {self.get_weekday_display()} {_hm(self.start)}–{_hm(self.end)}"

    def occurs_on(self, day: datetime.date) -> bool:
        if day.weekday() != self.weekday or day < self.first_date:
            return False
        if self.last_date is not None and day > self.last_date:
            return False
        if self.recurrence == Recurrence.FORTNIGHTLY:
            return ((day - self.first_date).days // 7) % 2 == 0
        return True

    @property
    def label(self) -> str:
        every = "une semaine sur deux" if self.recurrence == Recurrence.FORTNIGHTLY else "chaque semaine"
        return f"le {self.get_weekday_display()} de {_hm(self.start)} à {_hm(self.end)}, {every}"


def _hm(value: datetime.time) -> str:
    return f"{value.hour} h {value.minute:02d}"


class Absence(OnCalendar, models.Model):
    """A time an agent or a resource is not available: leave, training, the booth under repair, a closed day."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="booking_absences", verbose_name="territoire"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="booking_absences",
        verbose_name="agent",
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="absences", verbose_name="ressource"
    )
    starts_at = models.DateTimeField("du")
    ends_at = models.DateTimeField("au")
    reason = models.CharField(
        "motif de l'absence", max_length=150, help_text="Congés, formation, cabine en réparation…"
    )
    created_by = optional_fk(settings.AUTH_USER_MODEL, "saisie par")

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "absence"
        verbose_name_plural = "absences"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="bookings_absence_start_before_end",
                violation_error_message="Le début de l'absence doit précéder sa fin.",
            ),
            models.CheckConstraint(
                condition=(models.Q(agent__isnull=True) ^ models.Q(resource__isnull=True)),
                name="bookings_absence_agent_or_resource",
                violation_error_message="Une absence est celle d'un agent ou d'une ressource.",
            ),
        ]

    def __str__(self):
        return f"{self.resource or self.agent} : {self.reason}"


class AppointmentQuerySet(TerritoryScopedQuerySet):
    def active(self):
        return self.filter(status=Status.BOOKED)


class Appointment(OnCalendar, models.Model):
    """One person's slot. Her name and how to reach her, her practical needs: never a medical reason."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="appointments", verbose_name="territoire"
    )
    motif = models.ForeignKey(Motif, on_delete=models.PROTECT, related_name="appointments", verbose_name="motif")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="agent",
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="ressource",
    )
    site = models.ForeignKey(
        "territories.ServiceSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="lieu",
    )
    bus_stop = models.ForeignKey(
        "mobility.CandidateStop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="arrêt du bus",
    )
    starts_at = models.DateTimeField("le", db_index=True)
    ends_at = models.DateTimeField("fin")
    quarter = models.DateField("trimestre", editable=False)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.BOOKED, db_index=True)
    status_changed_at = models.DateTimeField("état changé le", null=True, blank=True)
    booked_via = models.CharField("pris", max_length=20, choices=BookedVia.choices)
    booked_by = optional_fk(settings.AUTH_USER_MODEL, "pris par", related_name="appointments_booked")
    created_at = models.DateTimeField("pris le", default=timezone.now)
    # Who comes: enough to welcome and remind her, nothing more.
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    equipment_help = models.BooleanField("souhaite qu'un agent l'aide avec le matériel", default=False)
    language = models.CharField("langue, interprète", max_length=100, blank=True)
    accessibility = models.CharField("accessibilité", max_length=200, blank=True)
    commune = optional_fk("territories.Commune", "commune où elle habite")
    ride_wanted = models.BooleanField("demande un transport solidaire", default=False)
    person = optional_fk("rights.Person", "dossier de la personne", related_name="appointments")
    ride = optional_fk("mobility.RideRequest", "transport solidaire", related_name="appointments")
    series = models.UUIDField("série", null=True, blank=True, db_index=True)
    series_index = models.PositiveSmallIntegerField("séance", default=1)
    first_free_days = models.PositiveIntegerField(
        "délai jusqu'au premier créneau libre (jours)", null=True, blank=True, editable=False
    )
    reminded_early_at = models.DateTimeField("rappel à deux jours envoyé le", null=True, blank=True)
    reminded_late_at = models.DateTimeField("rappel à deux heures envoyé le", null=True, blank=True)
    cancel_reason = models.CharField("raison de l'annulation", max_length=200, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["motif", "quarter", "status"], name="bookings_appt_figures")]

    def __str__(self):
        return f"{self.motif} — {french.datetime_(timezone.localtime(self.starts_at))}"

    def save(self, *args, **kwargs):
        self.quarter = quarter_of(self.starts_at)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bookings:appointment", args=[self.territory.slug, self.pk])

    @property
    def place_label(self) -> str:
        if self.site_id:
            site = self.site
            return ", ".join(p for p in (site.name, site.address, f"{site.postcode} {site.commune.name}".strip()) if p)
        if self.bus_stop_id:
            return f"Bus France services, {self.bus_stop.place}, {self.bus_stop.commune.name}"
        return self.motif.get_place_display()

    @property
    def when_label(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{french.on_date(start, weekday=True)} à {_hm(start.time())}"

    @property
    def is_open(self) -> bool:
        return self.status == Status.BOOKED

    @property
    def structure(self):
        """The structure whose published results count this appointment (quality's survey link too)."""
        return self.motif.structure


class SlotHold(models.Model):
    """Five minutes of one calendar (an agent's, a resource's) held by an appointment; for a collective motif, one
    seat of its start. Unique: the database refuses a second appointment on the same time."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="holds")
    calendar = models.CharField(max_length=40)
    at = models.DateTimeField()
    seat = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "temps réservé"
        verbose_name_plural = "temps réservés"
        constraints = [models.UniqueConstraint(fields=["calendar", "at", "seat"], name="bookings_one_hold_per_time")]

    def __str__(self):
        return f"{self.calendar} {self.at:%Y-%m-%d %H:%M} ({self.seat})"


class WaitlistEntry(models.Model):
    """Someone who found no slot that suits her: she is offered a freed one (three people at most per slot, the
    first to accept gets it)."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="waitlist", verbose_name="territoire"
    )
    motif = models.ForeignKey(Motif, on_delete=models.CASCADE, related_name="waitlist", verbose_name="motif")
    site = models.ForeignKey(
        "territories.ServiceSite",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="waitlist",
        verbose_name="lieu souhaité",
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    until = models.DateField("souhaité au plus tard le", null=True, blank=True)
    status = models.CharField("état", max_length=10, choices=WaitStatus.choices, default=WaitStatus.WAITING)
    created_at = models.DateTimeField("inscrite le", default=timezone.now)
    appointment = optional_fk(Appointment, "rendez-vous obtenu", related_name="+")

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription sur liste d'attente"
        verbose_name_plural = "liste d'attente"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name} — {self.motif}"


class SlotOffer(models.Model):
    """A freed slot offered to one person of the waiting list, through a personal link."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    freed = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="offers", verbose_name="libéré par")
    status = models.CharField("état", max_length=10, choices=OfferStatus.choices, default=OfferStatus.SENT)
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "créneau proposé"
        verbose_name_plural = "créneaux proposés"
        constraints = [models.UniqueConstraint(fields=["entry", "freed"], name="bookings_one_offer_per_slot")]

    def __str__(self):
        return f"{self.entry} ← {self.freed}"


class Webhook(models.Model):
    """A partner's tool told of its organisation's appointments (taken, moved, cancelled, seen, « lapin »), as RDV
    Service Public does: a POST of JSON signed with HMAC-SHA256 of its secret. No name, phone or e-mail is sent."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="booking_webhooks", verbose_name="territoire"
    )
    organisation = models.ForeignKey(
        "territories.Organisation",
        on_delete=models.CASCADE,
        related_name="booking_webhooks",
        verbose_name="organisation",
    )
    url = models.URLField("adresse de réception", max_length=300)
    secret = models.CharField(
        "secret de signature", max_length=64, default=new_secret, help_text="Partagé avec l'outil du partenaire."
    )
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "webhook de rendez-vous"
        verbose_name_plural = "webhooks de rendez-vous"
        ordering = ["organisation", "url"]

    def __str__(self):
        return f"{self.organisation} → {self.url}"


class WebhookDelivery(models.Model):
    """One event for one webhook: sent on commit, retried after 1, 5, 15, 60 then 180 minutes, then given up."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField("événement", max_length=20, choices=WebhookEvent.choices)
    appointment_id = models.BigIntegerField("rendez-vous")
    payload = models.JSONField("contenu")
    status = models.CharField(
        "état", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    next_attempt_at = models.DateTimeField("prochain essai", null=True, blank=True)
    last_code = models.PositiveSmallIntegerField("dernière réponse HTTP", null=True, blank=True)
    last_error = models.CharField("dernière erreur", max_length=120, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    delivered_at = models.DateTimeField("reçu le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi de webhook"
        verbose_name_plural = "envois de webhook"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.event} rdv {self.appointment_id} → {self.webhook.url} ({self.status})"
