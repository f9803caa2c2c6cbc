"""Childcare at staggered hours: the offers (childminders with their agrément and the children they already keep,
crèches, MAM, micro-crèches, after-school care, home care), a family's need in half-hour slots, and the proposals
assembled for it, each part answered by its provider.

A need holds a parent's situation and a child's schedule: it is recorded by an adviser with the parent's consent and
read under journal. Nothing of it reaches a provider before the family agreed to the proposal.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from carteblanche.core.fields import optional_fk
from carteblanche.territories.models import TerritoryScopedQuerySet

from . import patterns
from .enums import NeedStatus, PartStatus, Place, ProposalStatus, ProviderKind


def week_monday(value) -> datetime.date:
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return day - datetime.timedelta(days=day.weekday())


def validate_weeks(value) -> None:
    """``[{"du": "2027-02-01", "planning": {…}, "tous_les": 2}]``: a particular week, repeated every n weeks."""
    from django.core.exceptions import ValidationError

    if not isinstance(value, list):
        raise ValidationError("Les semaines particulières forment une liste.")
    for item in value:
        if not isinstance(item, dict) or set(item) - {"du", "planning", "tous_les"} or "du" not in item:
            raise ValidationError("Chaque semaine particulière donne son début (« du ») et son planning.")
        try:
            datetime.date.fromisoformat(str(item["du"]))
        except ValueError as exc:
            raise ValidationError(f"Date de semaine particulière illisible : {item['du']}.") from exc
        patterns.validate(item.get("planning"))
        if not isinstance(item.get("tous_les", 0), int) or not 0 <= item.get("tous_les", 0) <= 8:
            raise ValidationError("Une semaine particulière revient toutes les 2 à 8 semaines, ou une seule fois.")


def pattern_field(label: str, help_text: str = ""):
    return models.JSONField(label, default=dict, blank=True, validators=[patterns.validate], help_text=help_text)


class Provider(models.Model):
    """Who keeps children: a childminder (her agrément, her declared availability) or a structure (its hours)."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="childcare_providers",
        verbose_name="territoire",
    )
    kind = models.CharField("nature", max_length=30, choices=ProviderKind.choices)
    name = models.CharField("nom", max_length=200)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="childcare_providers", verbose_name="commune"
    )
    address = models.CharField("adresse", max_length=200, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    capacity = models.PositiveSmallIntegerField(
        "enfants à la fois",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text="Pour une assistante maternelle : le nombre de son agrément (4 au plus).",
    )
    night = models.BooleanField("accueil de nuit autorisé", default=False)
    avip_places = models.PositiveSmallIntegerField(
        "places AVIP",
        default=0,
        help_text="Places réservées aux parents en recherche d'emploi ou en insertion (crèches à vocation "
        "d'insertion professionnelle).",
    )
    min_age_months = models.PositiveSmallIntegerField("âge minimum (mois)", default=0)
    max_age_months = models.PositiveSmallIntegerField("âge maximum (mois)", default=72)
    hourly_cost = models.DecimalField(
        "coût horaire pour la famille (€)",
        max_digits=6,
        decimal_places=2,
        default=0,
        help_text="Assistante maternelle : salaire net horaire et indemnités ; structure : tarif horaire moyen.",
    )
    opening = pattern_field(
        "heures d'ouverture ou disponibilités", "Par jour, les demi-heures où un enfant de plus peut être accueilli."
    )
    availability_updated_on = models.DateField("disponibilités mises à jour le", null=True, blank=True)
    agrement_number = models.CharField("numéro d'agrément", max_length=40, blank=True)
    is_active = models.BooleanField("en activité", default=True)

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "mode d'accueil"
        verbose_name_plural = "modes d'accueil"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_childminder(self) -> bool:
        return self.kind in (ProviderKind.CHILDMINDER, ProviderKind.MAM)


class KeptChild(models.Model):
    """A child a childminder already keeps (a contract), or her own child at home: when, from when to when."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="kept", verbose_name="accueillant")
    birth_date = models.DateField("date de naissance")
    own = models.BooleanField("son propre enfant", default=False)
    schedule = pattern_field("présence")
    first_date = models.DateField("du")
    last_date = models.DateField("au", null=True, blank=True)

    class Meta:
        verbose_name = "enfant accueilli"
        verbose_name_plural = "enfants accueillis"
        ordering = ["provider", "first_date"]

    def __str__(self):
        return f"Enfant né le {self.birth_date:%d/%m/%Y} — {self.provider}"


class Need(models.Model):
    """A family's need, recorded by an adviser with the parent's consent."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="childcare_needs", verbose_name="territoire"
    )
    person = optional_fk("rights.Person", "dossier du parent", related_name="childcare_needs")
    parent_first_name = models.CharField("prénom du parent", max_length=100)
    parent_last_name = models.CharField("nom du parent", max_length=100)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    consent_at = models.DateTimeField(
        "accord du parent recueilli le",
        help_text="Pour conserver ce besoin et le transmettre aux accueillants qu'il aura acceptés.",
    )
    child_birth_date = models.DateField("date de naissance de l'enfant")
    start_date = models.DateField("à partir du")
    end_date = models.DateField("jusqu'au", null=True, blank=True)
    schedule = pattern_field("planning de garde", "Par jour, les demi-heures où l'enfant doit être gardé.")
    exceptions = models.JSONField(
        "semaines particulières",
        default=list,
        blank=True,
        validators=[validate_weeks],
        help_text='Semaines de postes décalés ou de nuit : [{"du": "2027-02-01", "planning": {…}}].',
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune du domicile"
    )
    drop_place = models.CharField("l'enfant est déposé", max_length=20, choices=Place.choices, default=Place.HOME)
    work_commune = optional_fk("territories.Commune", "commune du travail", related_name="+")
    max_travel_minutes = models.PositiveSmallIntegerField(
        "trajet accepté (minutes)", default=20, validators=[MaxValueValidator(90)]
    )
    special_needs = models.CharField(
        "besoins particuliers", max_length=300, blank=True, help_text="Sans donnée de santé : « régime sans porc »."
    )
    job_seeker_promise = models.BooleanField("en recherche d'emploi, avec une promesse d'embauche", default=False)
    single_parent = models.BooleanField("parent seul", default=False)
    status = models.CharField("état", max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    created_at = models.DateTimeField("enregistré le", default=timezone.now)
    created_by = optional_fk(settings.AUTH_USER_MODEL, "enregistré par", blank=False)

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "besoin de garde"
        verbose_name_plural = "besoins de garde"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Besoin de garde de {self.parent_first_name} {self.parent_last_name}"

    @property
    def slots(self):
        return patterns.slots_of(self.schedule)

    @property
    def weeks(self) -> list[tuple[datetime.date, frozenset]]:
        """The particular weeks (rotating shifts, a week of nights): each one's Monday and its half-hours."""
        return [(week_monday(item["du"]), patterns.slots_of(item["planning"])) for item in self.exceptions or []]

    @property
    def avip_priority(self) -> bool:
        """The priority of « crèches AVIP »: a parent looking for work (here with a hiring promise), alone first."""
        return self.job_seeker_promise


class Proposal(models.Model):
    """One solution for a need: one provider or several, each covering some of its half-hours."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="proposals", verbose_name="besoin")
    rank = models.PositiveSmallIntegerField("rang", default=1)
    status = models.CharField("état", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    coverage = models.FloatField("part des demi-heures couvertes")
    travel_minutes = models.PositiveSmallIntegerField("trajets par jour (minutes)", default=0)
    handovers = models.PositiveSmallIntegerField("passages de relais par semaine", default=0)
    monthly_cost = models.DecimalField("coût mensuel avant aides (€)", max_digits=8, decimal_places=2, default=0)
    monthly_cmg = models.DecimalField("CMG mensuel estimé (€)", max_digits=8, decimal_places=2, null=True, blank=True)
    cmg_supplement = models.DecimalField(
        "majoration pour horaires spécifiques (€)", max_digits=8, decimal_places=2, default=0
    )
    cmg_rule = models.CharField("règle du CMG appliquée", max_length=900, blank=True)
    transfers = models.JSONField(
        "passages d'une commune à une autre",
        default=list,
        blank=True,
        help_text='Pour un trajet solidaire : [{"jour": 0, "creneau": 16, "de": 3, "vers": 5, "minutes": 9}].',
    )
    created_at = models.DateTimeField("proposée le", default=timezone.now)

    class Meta:
        verbose_name = "proposition de garde"
        verbose_name_plural = "propositions de garde"
        ordering = ["need", "rank"]

    def __str__(self):
        return f"Proposition {self.rank} — {self.need}"

    @property
    def left_to_pay(self):
        """The monthly cost once the estimated CMG is deducted (nothing when the CMG would cover it all)."""
        return max(self.monthly_cost - (self.monthly_cmg or 0) - self.cmg_supplement, 0)


class ProposalPart(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="parts", verbose_name="proposition")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="parts", verbose_name="accueillant")
    schedule = pattern_field("demi-heures prises en charge")
    weeks = models.JSONField(
        "semaines particulières prises en charge",
        default=list,
        blank=True,
        help_text='[{"du": "2027-02-01", '
        '"planning": {…}}] : les demi-heures de cet accueillant les semaines de postes décalés ou de nuit.',
    )
    status = models.CharField("réponse", max_length=20, choices=PartStatus.choices, default=PartStatus.WAITING)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    decline_reason = models.CharField("raison du refus", max_length=200, blank=True)

    class Meta:
        verbose_name = "part d'une proposition"
        verbose_name_plural = "parts des propositions"

    def __str__(self):
        return f"{self.provider} — {self.proposal}"
