import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from carteblanche.core.fields import optional_fk

from .enums import OrganisationKind, SiteKind, TerritoryKind, Weekday

insee_code_validator = RegexValidator(r"^(\d{5}|2[AB]\d{3})$", "Un code INSEE a 5 caractères, par exemple 46042.")


class Commune(models.Model):
    """A commune of the Code officiel géographique. Public reference data, shared by every territory."""

    insee_code = models.CharField("code INSEE", max_length=5, unique=True, validators=[insee_code_validator])
    name = models.CharField("nom", max_length=100)
    population = models.PositiveIntegerField("population municipale")
    latitude = models.FloatField("latitude", validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField("longitude", validators=[MinValueValidator(-180), MaxValueValidator(180)])
    postcodes = models.CharField("codes postaux", max_length=100, blank=True)
    department_code = models.CharField("code du département", max_length=3, db_index=True)
    epci_code = models.CharField("code SIREN de l'EPCI", max_length=9, blank=True, db_index=True)
    epci_name = models.CharField("EPCI", max_length=150, blank=True)
    living_area_code = models.CharField("code du bassin de vie (2012)", max_length=5, blank=True, db_index=True)
    living_area_name = models.CharField("bassin de vie (2012)", max_length=100, blank=True)
    # The boundary, as the GeoJSON text of a geometry, kept verbatim to be served without re-encoding.
    boundary_geojson = models.TextField("contour (GeoJSON)", blank=True)

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"


class TerritoryQuerySet(models.QuerySet):
    def for_user(self, user):
        """The territories a user may see: those where they hold an active membership."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user, memberships__is_active=True).distinct()


class Territory(models.Model):
    name = models.CharField("nom", max_length=150)
    slug = models.SlugField("identifiant dans l'adresse", max_length=80, unique=True)
    kind = models.CharField("nature", max_length=20, choices=TerritoryKind.choices)
    code = models.CharField(
        "code", max_length=20, blank=True, help_text="Code du bassin de vie, du département ou de l'EPCI."
    )
    communes = models.ManyToManyField(Commune, related_name="territories", verbose_name="communes", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~models.Q(code=""), name="territory_unique_kind_code"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territories:detail", kwargs={"slug": self.slug})

    @property
    def population(self) -> int:
        return self.communes.aggregate(total=Sum("population"))["total"] or 0


class TerritoryScopedQuerySet(models.QuerySet):
    """Rows that belong to one territory: a user only ever reaches those of their territories."""

    def for_user(self, user):
        return self.filter(territory__in=Territory.objects.for_user(user))


class Organisation(models.Model):
    """A State service, local authority, operator or association working in a territory."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="organisations", verbose_name="territoire"
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=OrganisationKind.choices)
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", "Un SIRET a 14 chiffres.")],
    )
    website = models.URLField("site internet", blank=True)

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="organisation_unique_name")]

    def __str__(self):
        return self.name


class ServiceSiteQuerySet(models.QuerySet):
    def with_hours(self):
        return self.select_related("commune").prefetch_related("opening_periods")

    def in_territory(self, territory):
        return self.filter(commune__territories=territory)


class ServiceSite(models.Model):
    """A place where people meet a public service. Public information, like the communes."""

    external_id = models.CharField(
        "identifiant source", max_length=40, unique=True, null=True, blank=True, help_text="Par exemple fs-262."
    )
    kind = models.CharField("nature", max_length=20, choices=SiteKind.choices)
    name = models.CharField("nom", max_length=200)
    organisation = optional_fk(Organisation, "organisation", related_name="sites")
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="service_sites", verbose_name="commune"
    )
    address = models.CharField("adresse", max_length=200, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=200, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    latitude = models.FloatField("latitude", validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField("longitude", validators=[MinValueValidator(-180), MaxValueValidator(180)])
    is_mobile = models.BooleanField("itinérant", default=False, help_text="Bus ou permanence itinérante.")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    appointment_required = models.BooleanField("sur rendez-vous", default=False)

    objects = ServiceSiteQuerySet.as_manager()

    class Meta:
        verbose_name = "site de service public"
        verbose_name_plural = "sites de service public"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        """Typed by hand (the administration, a form): the site must lie in its commune, as the importer checks;
        it is published on the public map and used for travel times."""
        from . import geo

        super().clean()
        known = self.commune_id and self.latitude is not None and self.longitude is not None
        if known and not geo.in_commune(self.commune, self.latitude, self.longitude):
            raise ValidationError({"latitude": geo.outside_message(f"la commune de {self.commune.name}")})

    def periods_on(self, weekday: int) -> list["OpeningPeriod"]:
        return sorted((p for p in self.opening_periods.all() if p.weekday == weekday), key=lambda p: p.opens)

    def is_open_on(self, weekday: int) -> bool:
        return any(p.weekday == weekday for p in self.opening_periods.all())

    def serves_access_on(self, weekday: int) -> bool:
        """Counts in the access indicator that day: open, and at a fixed address."""
        return not self.is_mobile and self.is_open_on(weekday)

    def is_open_at(self, moment: datetime.datetime | None = None) -> bool:
        moment = timezone.localtime(moment)
        now = moment.time()
        return any(p.opens <= now < p.closes for p in self.periods_on(moment.weekday()))

    def hours_label(self, weekday: int) -> str:
        periods = self.periods_on(weekday)
        if not periods:
            return "fermé"
        return ", ".join(p.label for p in periods)


def _time_label(value: datetime.time) -> str:
    return f"{value.hour} h {value.minute:02d}"


class OpeningPeriod(models.Model):
    """One opening period of a site on a weekday; a day may have several (morning, afternoon)."""

    site = models.ForeignKey(
        ServiceSite, on_delete=models.CASCADE, related_name="opening_periods", verbose_name="site"
    )
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    opens = models.TimeField("ouverture")
    closes = models.TimeField("fermeture")

    class Meta:
        verbose_name = "plage d'ouverture"
        verbose_name_plural = "plages d'ouverture"
        ordering = ["site", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="opening_period_opens_before_closes",
                violation_error_message="L'heure d'ouverture doit précéder l'heure de fermeture.",
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.label}"

    @property
    def label(self) -> str:
        return f"{_time_label(self.opens)} – {_time_label(self.closes)}"

    def clean(self):
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": "L'heure de fermeture doit suivre l'heure d'ouverture."})
