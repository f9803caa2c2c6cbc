"""The itinerant public-services bus: its days, its candidate stops, the plans the solver makes and publishes."""

import datetime

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
    HALF_DAY_CHOICES,
    RIDE_HALF_DAY_CHOICES,
    Channel,
    Frequency,
    MatrixSource,
    PlanStatus,
    ProposalStatus,
    ReturnKind,
    RideAction,
    RidePurpose,
    RideStatus,
    RoutingEngine,
)

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


def minutes_of(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


class TourSettings(models.Model):
    """A territory's rules for the bus: the hours of a half-day, how travel times are estimated, the access
    threshold of the indicator, and how long the solver may search."""

    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, related_name="tour_settings", verbose_name="territoire"
    )
    morning_start = models.TimeField("début du matin", default=datetime.time(9, 0))
    morning_end = models.TimeField("fin du matin", default=datetime.time(12, 0))
    afternoon_start = models.TimeField("début de l'après-midi", default=datetime.time(14, 0))
    afternoon_end = models.TimeField("fin de l'après-midi", default=datetime.time(17, 0))
    road_factor = models.DecimalField(
        "facteur routier",
        max_digits=3,
        decimal_places=2,
        default=1.3,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="Distance par la route ÷ distance à vol d'oiseau, quand aucun temps routier n'est importé.",
    )
    speed_kmh = models.PositiveSmallIntegerField(
        "vitesse moyenne (km/h)", default=50, validators=[MinValueValidator(10), MaxValueValidator(110)]
    )
    access_minutes = models.PositiveSmallIntegerField(
        "seuil d'accès (minutes)",
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text="L'indicateur compte les habitants à plus de ce temps de trajet d'un point de service ouvert.",
    )
    solve_seconds = models.PositiveSmallIntegerField(
        "temps de calcul (secondes)", default=10, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    contact_phone = models.CharField(
        "téléphone du bus",
        max_length=30,
        blank=True,
        help_text="Imprimé sur les affiches et donné sur les pages des communes, pour prendre rendez-vous ou se "
        "renseigner.",
    )

    class Meta:
        verbose_name = "réglages des tournées"
        verbose_name_plural = "réglages des tournées"

    def __str__(self):
        return f"Réglages des tournées — {self.territory}"

    def clean(self):
        errors = {}
        if self.morning_end <= self.morning_start:
            errors["morning_end"] = "La fin du matin doit suivre son début."
        if self.afternoon_start < self.morning_end:
            errors["afternoon_start"] = "L'après-midi commence après la fin du matin."
        if self.afternoon_end <= self.afternoon_start:
            errors["afternoon_end"] = "La fin de l'après-midi doit suivre son début."
        if errors:
            raise ValidationError(errors)

    def half_day(self, afternoon: bool) -> tuple[int, int]:
        """(start, end) in minutes since midnight."""
        if afternoon:
            return minutes_of(self.afternoon_start), minutes_of(self.afternoon_end)
        return minutes_of(self.morning_start), minutes_of(self.morning_end)


class Bus(models.Model):
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="buses", verbose_name="territoire"
    )
    name = models.CharField("nom", max_length=150)
    depot = models.CharField("dépôt", max_length=200, help_text="Où le bus part le matin et rentre le soir.")
    depot_latitude = models.FloatField("latitude du dépôt", validators=LATITUDE)
    depot_longitude = models.FloatField("longitude du dépôt", validators=LONGITUDE)
    is_active = models.BooleanField("en service", default=True)

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "bus"
        verbose_name_plural = "bus"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="unique_bus_name")]

    def __str__(self):
        return self.name

    @property
    def working_days(self) -> set[int]:
        return {shift.weekday for shift in self.shifts.all()}


class Shift(models.Model):
    """The driver's day on one weekday: when the bus leaves and is back, the break, the most hours of work."""

    bus = models.ForeignKey(Bus, on_delete=models.CASCADE, related_name="shifts", verbose_name="bus")
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    start = models.TimeField("départ du dépôt")
    end = models.TimeField("retour au dépôt au plus tard")
    break_start = models.TimeField("début de la pause", null=True, blank=True)
    break_end = models.TimeField("fin de la pause", null=True, blank=True)
    max_hours = models.DecimalField(
        "heures de travail au plus",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Conduite et arrêts, pause non comprise.",
    )

    class Meta:
        verbose_name = "journée du bus"
        verbose_name_plural = "journées du bus"
        ordering = ["bus", "weekday"]
        constraints = [models.UniqueConstraint(fields=["bus", "weekday"], name="unique_shift_per_day")]

    def __str__(self):
        return f"{self.bus} — {self.get_weekday_display()}"

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = "Le retour doit suivre le départ."
        if (self.break_start is None) != (self.break_end is None):
            errors["break_end" if self.break_start else "break_start"] = "Indiquez le début et la fin de la pause."
        elif self.break_start and self.break_end:
            if self.break_end <= self.break_start:
                errors["break_end"] = "La fin de la pause doit suivre son début."
            elif self.start and self.end and not (self.start <= self.break_start and self.break_end <= self.end):
                errors["break_start"] = "La pause doit tomber pendant la journée du bus."
        if errors:
            raise ValidationError(errors)

    @property
    def break_minutes(self) -> int:
        if self.break_start is None or self.break_end is None:
            return 0
        return minutes_of(self.break_end) - minutes_of(self.break_start)


class StopQuerySet(TerritoryScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class CandidateStop(models.Model):
    """A place where the bus may stop: a commune's square, market place or town hall."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="bus_stops", verbose_name="territoire"
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="bus_stops", verbose_name="commune"
    )
    place = models.CharField("lieu", max_length=150, help_text="Par exemple : place de la mairie, place du marché.")
    latitude = models.FloatField("latitude", validators=LATITUDE)
    longitude = models.FloatField("longitude", validators=LONGITUDE)
    service_minutes = models.PositiveSmallIntegerField(
        "durée de l'arrêt (minutes)", default=150, validators=[MinValueValidator(30), MaxValueValidator(360)]
    )
    frequency = models.CharField("fréquence", max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY)
    half_days = models.JSONField(
        "demi-journées possibles",
        default=list,
        help_text="Jours de marché, jours d'ouverture de la mairie…",
    )
    weight_override = models.PositiveIntegerField(
        "poids fixé par l'équipe",
        null=True,
        blank=True,
        help_text="Laissez vide pour le poids calculé (population, éloignement, irritants).",
    )
    is_active = models.BooleanField("arrêt retenu", default=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = StopQuerySet.as_manager()

    class Meta:
        verbose_name = "arrêt possible du bus"
        verbose_name_plural = "arrêts possibles du bus"
        ordering = ["commune__name", "place"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "commune", "place"], name="unique_bus_stop_place"),
        ]

    def __str__(self):
        return f"{self.commune.name} — {self.place}"

    def clean(self):
        known = {code for code, _ in HALF_DAY_CHOICES}
        if not self.half_days:
            raise ValidationError({"half_days": "Cochez au moins une demi-journée où le bus peut s'arrêter ici."})
        if set(self.half_days) - known:
            raise ValidationError({"half_days": "Demi-journée inconnue."})

    def half_day_labels(self) -> str:
        labels = dict(HALF_DAY_CHOICES)
        return ", ".join(labels[code] for code, _ in HALF_DAY_CHOICES if code in self.half_days)


class RoadTimes(models.Model):
    """Travel times and distances between the depots and stops, from a routing engine's response."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="road_times", verbose_name="territoire"
    )
    engine = models.CharField("moteur de calcul", max_length=20, choices=RoutingEngine.choices)
    filename = models.CharField("fichier", max_length=200)
    # [[key, latitude, longitude], ...] in the order of the matrices' rows; a key is "bus-<id>" or "arret-<id>".
    points = models.JSONField("points")
    durations = models.JSONField("durées (minutes)")
    distances = models.JSONField("distances (mètres)")
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    imported_by = optional_fk(settings.AUTH_USER_MODEL, "importé par", blank=False)

    class Meta:
        verbose_name = "temps routiers"
        verbose_name_plural = "temps routiers"
        ordering = ["-imported_at"]
        get_latest_by = "imported_at"

    def __str__(self):
        return f"{self.get_engine_display()} — {self.filename}"


class PlanQuerySet(TerritoryScopedQuerySet):
    def published(self):
        return self.filter(status=PlanStatus.PUBLISHED)


class TourPlan(models.Model):
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="tour_plans", verbose_name="territoire"
    )
    status = models.CharField("état", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    period_start = models.DateField("premier lundi")
    weeks = models.PositiveSmallIntegerField("semaines du cycle", default=1)
    job = optional_fk("core.Job", "calcul")
    based_on = optional_fk("self", "plan précédent")
    matrix_source = models.CharField("temps de trajet", max_length=20, choices=MatrixSource.choices)
    feasible = models.BooleanField("toutes les contraintes respectées", default=True)
    seconds = models.FloatField("durée du calcul (s)", default=0)
    # [{"stop": id, "commune": name, "place": ..., "reason": French}]
    dropped = models.JSONField("communes non desservies", default=list)
    # [{"stop": id, "commune": name, "before": label, "after": label}]
    moved = models.JSONField("arrêts déplacés", default=list)
    # {"rows": [{"week": 0, "weekday": 1, "label": ..., "before": n, "after": n}], "minutes": N, "population": P}
    access = models.JSONField("indicateur d'accès", default=dict)
    distance_m = models.PositiveIntegerField("distance totale (m)", default=0)
    created_at = models.DateTimeField("calculé le", auto_now_add=True)
    created_by = optional_fk(settings.AUTH_USER_MODEL, "lancé par", blank=False)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    published_by = optional_fk(settings.AUTH_USER_MODEL, "publié par")

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "plan de tournées"
        verbose_name_plural = "plans de tournées"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory"], condition=models.Q(status="publie"), name="one_published_plan_per_territory"
            ),
        ]

    def __str__(self):
        # Two plans may start the same Monday (a draft computed while another is published): the number tells them
        # apart everywhere the team reads a plan's name.
        return f"Plan n° {self.pk} du {self.period_start:%d/%m/%Y} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("mobility:plan", args=[self.territory.slug, self.pk])


class PlannedVisit(models.Model):
    plan = models.ForeignKey(TourPlan, on_delete=models.CASCADE, related_name="visits", verbose_name="plan")
    stop = models.ForeignKey(CandidateStop, on_delete=models.PROTECT, related_name="visits", verbose_name="arrêt")
    bus = models.ForeignKey(Bus, on_delete=models.PROTECT, related_name="visits", verbose_name="bus")
    week = models.PositiveSmallIntegerField("semaine du cycle")  # 0 or 1
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    half_day = models.CharField("demi-journée", max_length=8, choices=HALF_DAY_CHOICES)
    arrival = models.TimeField("arrivée")
    start = models.TimeField("ouverture")
    end = models.TimeField("fermeture")
    sequence = models.PositiveSmallIntegerField("rang dans la journée")

    class Meta:
        verbose_name = "passage prévu"
        verbose_name_plural = "passages prévus"
        ordering = ["week", "weekday", "bus", "sequence"]

    def __str__(self):
        return f"{self.stop} — {self.get_weekday_display()} {self.start:%H:%M}"


# ---------------------------------------------------------------------------------------------------------------
# Solidarity rides ("transport solidaire"): volunteer drivers take people without a car to their appointments.


class RideSettings(models.Model):
    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, related_name="ride_settings", verbose_name="territoire"
    )
    operator_name = models.CharField("structure qui organise", max_length=200, default="Transport solidaire")
    operator_phone = models.CharField("téléphone de la permanence", max_length=30, blank=True)
    participation_per_km = models.DecimalField(
        "participation aux frais par km (€)",
        max_digits=4,
        decimal_places=2,
        default=0.32,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Plafond demandé au passager et reversé au chauffeur, par kilomètre parcouru pour lui.",
    )
    proposals_at_once = models.PositiveSmallIntegerField(
        "chauffeurs sollicités à la fois", default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        verbose_name = "réglages du transport solidaire"
        verbose_name_plural = "réglages du transport solidaire"

    def __str__(self):
        return f"{self.operator_name} — {self.territory}"


class PersonQuerySet(TerritoryScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class RidePerson(models.Model):
    """What drivers and passengers share: who they are, how to reach them, their consent."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE, verbose_name="territoire")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    phone = models.CharField("téléphone", max_length=30)
    email = models.EmailField("adresse e-mail", blank=True)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    consent_at = models.DateTimeField(
        "consentement recueilli le",
        help_text="Accord pour que ses coordonnées soient conservées et transmises pour organiser les trajets.",
    )
    consent_channel = models.CharField("consentement recueilli", max_length=20, choices=Channel.choices)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    registered_by = optional_fk(settings.AUTH_USER_MODEL, "inscrit par", blank=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def point(self) -> tuple[float, float]:
        return self.commune.latitude, self.commune.longitude


class Driver(RidePerson):
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="drivers", verbose_name="territoire"
    )
    vehicle = models.CharField(
        "véhicule", max_length=100, help_text="Modèle et couleur, pour que le passager le reconnaisse."
    )
    seats = models.PositiveSmallIntegerField(
        "places passagers", default=3, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    wheelchair = models.BooleanField("accueille un fauteuil roulant", default=False)
    perimeter_km = models.PositiveSmallIntegerField(
        "périmètre accepté (km)",
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(150)],
        help_text="Distance par la route depuis son domicile, jusqu'au départ comme jusqu'à l'arrivée.",
    )
    availability = models.JSONField("disponibilités de la semaine", default=list)
    identity_checked_at = models.DateTimeField("identité et permis vérifiés le", null=True, blank=True)
    identity_checked_by = optional_fk(settings.AUTH_USER_MODEL, "vérifiés par")

    class Meta(RidePerson.Meta):
        verbose_name = "chauffeur bénévole"
        verbose_name_plural = "chauffeurs bénévoles"

    def availability_labels(self) -> str:
        labels = dict(RIDE_HALF_DAY_CHOICES)
        return ", ".join(labels[code] for code, _ in RIDE_HALF_DAY_CHOICES if code in self.availability)


class Passenger(RidePerson):
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="passengers", verbose_name="territoire"
    )
    address = models.CharField("adresse", max_length=200, blank=True)
    wheelchair = models.BooleanField("se déplace en fauteuil roulant", default=False)
    needs_help = models.BooleanField("a besoin d'aide pour monter ou porter", default=False)
    preferred_driver = optional_fk(Driver, "chauffeur préféré", related_name="preferred_by")

    class Meta(RidePerson.Meta):
        verbose_name = "passager"
        verbose_name_plural = "passagers"


class RideQuerySet(TerritoryScopedQuerySet):
    def open(self):
        return self.filter(status__in=[RideStatus.REQUESTED, RideStatus.MATCHING, RideStatus.PROPOSED])

    def exceptions(self):
        """What the operator must handle by hand: no driver found, or nobody answered yet close to the date."""
        return self.filter(status=RideStatus.NO_SOLUTION)


class RideRequest(models.Model):
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="ride_requests", verbose_name="territoire"
    )
    passenger = models.ForeignKey(Passenger, on_delete=models.PROTECT, related_name="rides", verbose_name="passager")
    origin = models.CharField("départ", max_length=200)
    origin_latitude = models.FloatField("latitude du départ", validators=LATITUDE)
    origin_longitude = models.FloatField("longitude du départ", validators=LONGITUDE)
    destination = models.CharField("destination", max_length=200)
    destination_latitude = models.FloatField("latitude de la destination", validators=LATITUDE)
    destination_longitude = models.FloatField("longitude de la destination", validators=LONGITUDE)
    purpose = models.CharField("motif", max_length=20, choices=RidePurpose.choices)
    appointment_at = models.DateTimeField("rendez-vous le")
    margin_minutes = models.PositiveSmallIntegerField(
        "marge avant le rendez-vous (minutes)", default=30, validators=[MaxValueValidator(180)]
    )
    return_kind = models.CharField("retour", max_length=20, choices=ReturnKind.choices, default=ReturnKind.WAIT)
    duration_minutes = models.PositiveSmallIntegerField(
        "durée du rendez-vous (minutes)", default=60, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    wheelchair = models.BooleanField("fauteuil roulant", default=False)
    needs_help = models.BooleanField("aide pour monter ou porter", default=False)
    notes = models.TextField("remarques pour le chauffeur", blank=True)
    channel = models.CharField("demande reçue", max_length=20, choices=Channel.choices, default=Channel.PHONE)
    status = models.CharField(
        "état", max_length=20, choices=RideStatus.choices, default=RideStatus.REQUESTED, db_index=True
    )
    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, null=True, blank=True, related_name="rides", verbose_name="chauffeur"
    )
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    created_by = optional_fk(settings.AUTH_USER_MODEL, "saisie par", blank=False)
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)

    objects = RideQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de trajet"
        verbose_name_plural = "demandes de trajet"
        ordering = ["appointment_at"]

    def __str__(self):
        when = french.on_date(timezone.localtime(self.appointment_at))
        return f"Trajet {french.of(self.passenger)} vers {self.destination}, {when}"

    def get_absolute_url(self):
        return reverse("mobility:ride", args=[self.territory.slug, self.pk])

    @property
    def pickup_at(self) -> datetime.datetime:
        return self.appointment_at - datetime.timedelta(minutes=self.margin_minutes)

    @property
    def busy_until(self) -> datetime.datetime:
        """When the driver is free again (a one-way ride frees them at the appointment)."""
        if self.return_kind == ReturnKind.ONE_WAY:
            return self.appointment_at
        return self.appointment_at + datetime.timedelta(minutes=self.duration_minutes + 60)


class RideEvent(models.Model):
    """The ride's log: who did what, when (an operator, a driver through their link, the system)."""

    ride = models.ForeignKey(RideRequest, on_delete=models.CASCADE, related_name="events", verbose_name="trajet")
    at = models.DateTimeField("le", auto_now_add=True)
    action = models.CharField("action", max_length=20, choices=RideAction.choices)
    actor = optional_fk(settings.AUTH_USER_MODEL, "par", blank=False)
    actor_label = models.CharField("par", max_length=200, blank=True)
    note = models.CharField("précision", max_length=300, blank=True)

    class Meta:
        verbose_name = "étape d'un trajet"
        verbose_name_plural = "étapes des trajets"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} — {self.actor_label}"


class Proposal(models.Model):
    """A ride offered to one driver, who answers from a personal link (no account needed)."""

    ride = models.ForeignKey(RideRequest, on_delete=models.CASCADE, related_name="proposals", verbose_name="trajet")
    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="proposals", verbose_name="chauffeur")
    rank = models.PositiveSmallIntegerField("rang")
    detour_km = models.FloatField("kilomètres pour ce trajet")
    status = models.CharField("état", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SENT)
    sent_at = models.DateTimeField("envoyée le", auto_now_add=True)
    answered_at = models.DateTimeField("réponse le", null=True, blank=True)

    class Meta:
        verbose_name = "proposition à un chauffeur"
        verbose_name_plural = "propositions aux chauffeurs"
        ordering = ["ride", "rank"]
        constraints = [models.UniqueConstraint(fields=["ride", "driver"], name="one_proposal_per_driver")]

    def __str__(self):
        return f"{self.ride} → {self.driver}"


class Trip(models.Model):
    """A ride done: who drove whom, when, how far; what the association reports for social-utility transport."""

    ride = models.OneToOneField(RideRequest, on_delete=models.PROTECT, related_name="trip", verbose_name="trajet")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="trips", verbose_name="chauffeur")
    passenger = models.ForeignKey(Passenger, on_delete=models.PROTECT, related_name="trips", verbose_name="passager")
    date = models.DateField("date")
    km = models.DecimalField("kilomètres", max_digits=6, decimal_places=1, validators=[MinValueValidator(0)])
    participation = models.DecimalField("participation aux frais (€)", max_digits=7, decimal_places=2)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)
    recorded_by = optional_fk(settings.AUTH_USER_MODEL, "par", blank=False)

    class Meta:
        verbose_name = "trajet effectué"
        verbose_name_plural = "trajets effectués"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.driver} conduit {self.passenger} ({self.km} km)"


class HitchhikingStop(models.Model):
    """An « arrêt sur le pouce »: a signposted place where residents wait for a lift from a neighbour."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="hitchhiking_stops", verbose_name="territoire"
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    name = models.CharField("emplacement", max_length=150)
    latitude = models.FloatField("latitude", validators=LATITUDE)
    longitude = models.FloatField("longitude", validators=LONGITUDE)
    directions = models.CharField("directions desservies", max_length=200, blank=True)

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "arrêt sur le pouce"
        verbose_name_plural = "arrêts sur le pouce"
        ordering = ["commune__name", "name"]

    def __str__(self):
        return f"{self.commune.name} — {self.name}"
