"""Vigies solidaires: people who meet residents every day (postmen, home helps, pharmacists, town hall secretaries,
neighbours, drivers) tell a structure when someone seems to be slipping; the structure's agents qualify the signal
and hand it to a partner who reaches out; the vigie is told, without details, that it was taken care of.

A signal holds as little as it can about the person: where, what was seen from a short list, how urgent, a few
words checked for health and personal data; her name only if the vigie knows it. No health data, ever.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from carteblanche.core.fields import optional_fk
from carteblanche.core.personal_data import validate_no_personal_or_health_data

from .enums import (
    INFORM_WITHIN,
    CallOutcome,
    InformedHow,
    Origin,
    Outcome,
    PlanKind,
    RegisterCategory,
    RegisterSource,
    Seen,
    SignalStatus,
    Urgency,
    VigieRole,
)


class Network(models.Model):
    """A structure's network of vigies (a commune, a CCAS, France services, an association): who triages, who leads,
    the partners signals are handed to, how long they are kept."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="vigie_networks", verbose_name="territoire"
    )
    organisation = models.ForeignKey(
        "territories.Organisation",
        on_delete=models.PROTECT,
        related_name="vigie_networks",
        verbose_name="structure",
        help_text="Ses agents reçoivent et trient les signalements.",
    )
    name = models.CharField("nom du réseau", max_length=200)
    lead = optional_fk(settings.AUTH_USER_MODEL, "responsable", related_name="+")
    lead_email = models.EmailField(
        "adresse de la responsable", blank=True, help_text="Prévenue quand un signalement attend au-delà de son délai."
    )
    partners = models.ManyToManyField(
        "territories.Organisation",
        related_name="vigie_partnerships",
        blank=True,
        verbose_name="partenaires",
        help_text="CCAS, service social du département, France services, association de visites…",
    )
    kept_months = models.PositiveSmallIntegerField(
        "conservation des signalements (mois)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="Après la clôture, le signalement est anonymisé ; les chiffres restent.",
    )

    class Meta:
        verbose_name = "réseau de vigies"
        verbose_name_plural = "réseaux de vigies"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Vigie(models.Model):
    """A person registered, trained and named by the structure; she signals from her personal link."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="vigies", verbose_name="réseau")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    role = models.CharField("activité", max_length=30, choices=VigieRole.choices)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    trained_on = models.DateField("formée le", null=True, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("inscrite le", default=timezone.now)

    class Meta:
        verbose_name = "vigie"
        verbose_name_plural = "vigies"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Signal(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="signals", verbose_name="réseau")
    origin = models.CharField("envoyé par", max_length=20, choices=Origin.choices, default=Origin.VIGIE)
    vigie = models.ForeignKey(
        Vigie, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals", verbose_name="vigie"
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="vigie_signals", verbose_name="commune"
    )
    place = models.CharField("adresse ou lieu", max_length=200)
    person_name = models.CharField("nom de la personne, si vous le connaissez", max_length=200, blank=True)
    seen = models.JSONField("ce que vous avez vu", default=list)
    urgency = models.CharField("urgence", max_length=20, choices=Urgency.choices, default=Urgency.WEEK)
    words = models.TextField(
        "en quelques mots",
        blank=True,
        max_length=600,
        validators=[validate_no_personal_or_health_data],
        help_text="Ce que vous avez remarqué, sans aucune donnée de santé (ni maladie, ni traitement).",
    )
    status = models.CharField(
        "état", max_length=20, choices=SignalStatus.choices, default=SignalStatus.NEW, db_index=True
    )
    outcome = models.CharField("issue", max_length=20, choices=Outcome.choices, blank=True)
    assigned_to = models.ForeignKey(
        "territories.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vigie_signals",
        verbose_name="confié à",
    )
    created_at = models.DateTimeField("reçu le", default=timezone.now)
    due_at = models.DateTimeField("à prendre en charge avant le")
    escalated_at = models.DateTimeField("signalé à la responsable le", null=True, blank=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    # RGPD art. 14: the person is told what was recorded, by whom and why, within a month at the latest.
    informed_at = models.DateTimeField("personne informée le", null=True, blank=True)
    informed_how = models.CharField("informée", max_length=20, choices=InformedHow.choices, blank=True)
    objected_at = models.DateTimeField("opposition le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)
    # Her space (the rights app's), when the structure found one at her name and birth date: she reads there what
    # was recorded about her, and may object. Never shown to the structure whether one was found.
    person = models.ForeignKey(
        "rights.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vigie_signals",
        verbose_name="espace de la personne",
    )

    class Meta:
        verbose_name = "signalement"
        verbose_name_plural = "signalements"
        ordering = ["due_at"]

    def __str__(self):
        return f"Signalement du {timezone.localtime(self.created_at):%d/%m/%Y} — {self.commune}"

    @property
    def inform_before(self):
        """The latest day the person must be told (RGPD art. 14.3 a: a month after the data were obtained)."""
        return self.created_at + INFORM_WITHIN

    @property
    def seen_labels(self) -> list[str]:
        return [Seen(code).label for code in self.seen if code in Seen.values]


class SignalEvent(models.Model):
    """Each step of a signal: who, when, to which state, to which partner, why (a refusal says it)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events", verbose_name="signalement")
    at = models.DateTimeField("le", default=timezone.now)
    actor = optional_fk(settings.AUTH_USER_MODEL, "par")
    status = models.CharField("état", max_length=20, choices=SignalStatus.choices)
    partner = models.ForeignKey(
        "territories.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="partenaire",
    )
    note = models.CharField("remarque", max_length=300, blank=True)

    class Meta:
        verbose_name = "étape d'un signalement"
        verbose_name_plural = "étapes des signalements"
        ordering = ["signal", "at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} — {self.signal}"


class RegisterEntry(models.Model):
    """The commune's register of elderly and disabled people living at home (CASF L121-6-1), kept for the
    prefect's alert plans only: what the law allows — identity, address, phone, a contact person, home services."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="register_entries", verbose_name="territoire"
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="register_entries", verbose_name="commune"
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    category = models.CharField("qualité", max_length=20, choices=RegisterCategory.choices)
    address = models.CharField("adresse", max_length=200)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    contact_name = models.CharField("personne à prévenir", max_length=200, blank=True)
    contact_phone = models.CharField("téléphone de la personne à prévenir", max_length=30, blank=True)
    home_services = models.CharField(
        "services à domicile", max_length=200, blank=True, help_text="Aide à domicile, portage de repas, infirmière…"
    )
    source = models.CharField("inscription", max_length=20, choices=RegisterSource.choices)
    third_party = models.CharField(
        "demandée par", max_length=200, blank=True, help_text="Le tiers qui a écrit : son nom et son lien avec elle."
    )
    requested_on = models.DateField("demande écrite du", null=True, blank=True)
    agreed_at = models.DateTimeField(
        "accord de la personne le",
        null=True,
        blank=True,
        help_text="Sa demande ou son accord ; pour une liste du département ou de la CARSAT, vide tant qu'elle ne "
        "s'y est pas opposée.",
    )
    registered_at = models.DateTimeField("inscrite le", default=timezone.now)
    acknowledged_at = models.DateTimeField("accusé de réception envoyé le", null=True, blank=True)
    # A person on a list of the département or the CARSAT (CASF L121-6-1 since the law of 8 April 2024) is told
    # she will be in the register unless she objects: she is called only once told.
    informed_at = models.DateTimeField("informée de son inscription le", null=True, blank=True)
    objected_at = models.DateTimeField("opposition le", null=True, blank=True)
    # Her name and birth date, keyed (``register_book.identity``): a list sent again never registers anew a person
    # who objected, whose other data are erased; and her space finds her registration.
    identity = models.CharField(max_length=64, blank=True, default="", editable=False, db_index=True)
    priority = models.PositiveSmallIntegerField(
        "priorité d'appel", default=2, validators=[MinValueValidator(1), MaxValueValidator(3)], help_text="1 d'abord."
    )

    class Meta:
        verbose_name = "inscription au registre"
        verbose_name_plural = "registre des personnes vulnérables"
        ordering = ["commune", "priority", "last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.commune})"

    def save(self, *args, **kwargs):
        if self.last_name:  # an erased entry keeps the identity it had
            self.identity = identity(self.first_name, self.last_name, self.birth_date)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "identity"}
        super().save(*args, **kwargs)


def identity(first_name: str, last_name: str, birth_date) -> str:
    """A person's name and birth date, keyed: « Léa-Marie D'Aubigné » and « LEA MARIE D AUBIGNE » born the same day
    are one person. Compared, never read back."""
    from carteblanche.core.throttle import fingerprint
    from carteblanche.rights.importers import normalise

    born = birth_date.isoformat() if birth_date else ""
    return fingerprint(f"registre:{normalise(first_name)}|{normalise(last_name)}|{born}")


class Campaign(models.Model):
    """A commune's calls when the prefect triggers an alert plan (heat wave, great cold, epidemic)."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="campaigns", verbose_name="territoire"
    )
    kind = models.CharField("plan", max_length=20, choices=PlanKind.choices)
    communes = models.ManyToManyField("territories.Commune", related_name="campaigns", verbose_name="communes")
    started_at = models.DateTimeField("déclenchée le", default=timezone.now)
    started_by = optional_fk(settings.AUTH_USER_MODEL, "déclenchée par")
    ended_at = models.DateTimeField("levée le", null=True, blank=True)

    class Meta:
        verbose_name = "campagne d'appels"
        verbose_name_plural = "campagnes d'appels"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.get_kind_display()} du {timezone.localtime(self.started_at):%d/%m/%Y}"


class Call(models.Model):
    """One attempt to reach a person of the register during a campaign: its number is unique per person, so that
    two agents can never record the same attempt twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="calls", verbose_name="campagne")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="calls", verbose_name="personne")
    attempt = models.PositiveSmallIntegerField("tentative")
    outcome = models.CharField("résultat", max_length=20, choices=CallOutcome.choices)
    note = models.CharField("remarque", max_length=300, blank=True)
    at = models.DateTimeField("le", default=timezone.now)
    by = optional_fk(settings.AUTH_USER_MODEL, "par")

    class Meta:
        verbose_name = "appel"
        verbose_name_plural = "appels"
        ordering = ["campaign", "entry", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "entry", "attempt"], name="call_unique_attempt"),
        ]

    def __str__(self):
        return f"{self.entry} — tentative {self.attempt}"
