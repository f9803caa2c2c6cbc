"""Personal data held by public services about a person (usager) and her household, and her consents.

Everything here is personal data: it is read only under an active consent whose scope covers it (see
``access.py``), or by the person herself, and every read and write is journaled. The querysets below are the
gate: ``readable_by`` returns nothing that a consent does not open, whatever the template asks for.
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from carteblanche.core import dates, french
from carteblanche.core.fields import optional_fk

from .enums import (
    Benefit,
    ChildcareMode,
    ConsentChannel,
    ContractType,
    DataCategory,
    ImportKind,
    ImportStatus,
    IncomeKind,
    MemberRole,
    NoticeChannel,
    Purpose,
    ReferralStatus,
    Schooling,
    Tenure,
)

# One boolean per category on Consent, so that "does a consent cover it" is a plain indexed filter.
CATEGORY_FIELDS = {
    DataCategory.IDENTITY: "covers_identity",
    DataCategory.HOUSEHOLD: "covers_household",
    DataCategory.HOUSING: "covers_housing",
    DataCategory.INCOME: "covers_income",
    DataCategory.BENEFITS: "covers_benefits",
}
PURPOSE_FIELDS = {Purpose.COUNTER: "for_counter", Purpose.SCREENING: "for_screening"}


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class ConsentQuerySet(models.QuerySet):
    def active(self, at: datetime.datetime | None = None):
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at, revoked_at__isnull=True)

    def opening(self, *, category: str, purpose: str, organisations=None, at=None, own_records=False):
        """Active consents that open ``category`` for ``purpose`` (to one of ``organisations`` if given): the file
        holder's, or with ``own_records`` the ones a partner gave for her own records (see ``Consent.given_by``)."""
        qs = self.active(at).filter(
            **{CATEGORY_FIELDS[category]: True, PURPOSE_FIELDS[purpose]: True}, given_by__isnull=not own_records
        )
        if organisations is not None:
            qs = qs.filter(organisations__in=list(organisations))
        return qs


def consent_opens(
    person_ref: str, *, category: str, purpose: str, organisations=None, at=None, given_by_ref: str | None = None
) -> Exists:
    """A subquery: an active consent of the person at ``person_ref`` opens this category for this purpose; with
    ``given_by_ref``, a consent the member at that reference gave for her own records."""
    qs = Consent.objects.opening(
        category=category, purpose=purpose, organisations=organisations, at=at, own_records=given_by_ref is not None
    ).filter(person=OuterRef(person_ref))
    if given_by_ref is not None:
        qs = qs.filter(given_by=OuterRef(given_by_ref))
    return Exists(qs)


class ConsentScopedQuerySet(models.QuerySet):
    """Rows of one data category, reachable only through a consent of the person they belong to."""

    category: str = ""
    person_ref: str = "person"

    def readable_by(self, reader):
        """What ``reader`` (see ``access.Reader``) may read. No consent, no row."""
        if reader.person_id is not None:  # the person herself, in her own space
            return self.filter(**{f"{self.person_ref}__pk": reader.person_id})
        return self.filter(
            consent_opens(
                self.person_ref, category=self.category, purpose=reader.purpose, organisations=reader.organisations
            )
        ).filter(**{f"{self.person_ref}__territory": reader.territory})


class PersonQuerySet(ConsentScopedQuerySet):
    category = DataCategory.IDENTITY
    person_ref = "pk"

    def readable_by(self, reader):
        if reader.person_id is not None:
            return self.filter(pk=reader.person_id)
        return self.filter(
            consent_opens("pk", category=self.category, purpose=reader.purpose, organisations=reader.organisations),
            territory=reader.territory,
        )


class Person(models.Model):
    """A resident whose file public services share, with her consent. She is the applicant of her household."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="persons", verbose_name="territoire"
    )
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    birth_date = models.DateField("date de naissance")
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField(
        "téléphone",
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^\+?[0-9 .]{10,20}$", "Saisissez un numéro de téléphone, par exemple 06 12 34 56 78.")
        ],
    )
    # The phone's 10 national digits, to find the file of a person who asks for a code by SMS (see ``save``).
    phone_digits = models.CharField(max_length=10, blank=True, default="", editable=False, db_index=True)
    caf_number = models.CharField(
        "numéro d'allocataire CAF",
        max_length=12,
        blank=True,
        db_index=True,
        validators=[RegexValidator(r"^\d{7,12}$", "Un numéro d'allocataire compte de 7 à 12 chiffres.")],
    )
    france_travail_id = models.CharField(
        "identifiant France Travail",
        max_length=12,
        blank=True,
        db_index=True,
        validators=[RegexValidator(r"^[0-9A-Za-z]{7,12}$", "Un identifiant France Travail compte 7 à 12 caractères.")],
    )
    # Housing (category "logement")
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune de résidence",
    )
    tenure = models.CharField("statut d'occupation du logement", max_length=20, choices=Tenure.choices, blank=True)
    rent = models.DecimalField(
        "loyer mensuel hors charges (€)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Where each scalar value came from: {"field": {"source": label, "organisation": id, "import": id, "by": user id,
    # "at": iso datetime}}
    provenance = models.JSONField("provenance des valeurs", default=dict, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    created_by = optional_fk(settings.AUTH_USER_MODEL)
    last_screened_at = models.DateTimeField("dernier examen des droits", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "usager"
        verbose_name_plural = "usagers"
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["territory", "last_name", "first_name", "birth_date"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        from carteblanche.core.messaging import national_phone

        self.phone_digits = national_phone(self.phone)
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_digits"}
        super().save(*args, **kwargs)

    @property
    def applicant(self) -> "HouseholdMember":
        return next(m for m in self.members.all() if m.role == MemberRole.APPLICANT)


class Sourced(models.Model):
    """Where a value came from: which organisation, which import, which agent, when."""

    source_organisation = optional_fk("territories.Organisation", "organisation source")
    source_import = optional_fk("rights.DataImport", "import")
    recorded_by = optional_fk(settings.AUTH_USER_MODEL, "saisi par")
    source_label = models.CharField("origine", max_length=200, blank=True)
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)

    class Meta:
        abstract = True

    @property
    def provenance_label(self) -> str:
        parts = [self.source_label or (str(self.source_organisation) if self.source_organisation_id else "")]
        if self.source_import_id:
            parts.append(f"import n° {self.source_import_id}")
        if self.recorded_by_id:
            parts.append(f"saisi par {self.recorded_by}")
        parts.append(f"le {timezone.localtime(self.recorded_at):%d/%m/%Y}")
        return ", ".join(p for p in parts if p)


class HouseholdMemberQuerySet(ConsentScopedQuerySet):
    category = DataCategory.HOUSEHOLD


class HouseholdMember(Sourced):
    """The applicant herself, her partner, and the children she has in charge."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="members", verbose_name="usager")
    role = models.CharField("rôle dans le foyer", max_length=12, choices=MemberRole.choices)
    first_name = models.CharField("prénom", max_length=100)
    birth_date = models.DateField("date de naissance")
    disability_rate = models.PositiveSmallIntegerField(
        "taux d'incapacité reconnu (%)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Reconnu par la MDPH ; laisser vide s'il n'y en a pas ou s'il n'est pas connu.",
    )
    job_seeker = models.BooleanField("inscription à France Travail", null=True, blank=True)
    unemployment_start = models.DateField("date d'inscription à France Travail", null=True, blank=True)
    job_seeker_until = models.DateField(
        "fin de l'inscription à France Travail", null=True, blank=True, help_text="Si l'inscription a pris fin."
    )
    student = models.BooleanField("études supérieures en cours", default=False)
    unable_to_work = models.BooleanField("inapte au travail (reconnu)", default=False)
    employment_restriction = models.BooleanField(
        "restriction substantielle et durable d'accès à l'emploi",
        default=False,
        help_text="Reconnue par la MDPH : ouvre l'AAH avec un taux d'incapacité de 50 à 79 %.",
    )
    pregnant = models.BooleanField("enceinte", default=False)
    alternating_custody = models.BooleanField("en garde alternée", default=False)
    ass_precondition = models.BooleanField(
        "a travaillé 5 ans dans les 10 ans avant la fin du dernier contrat",
        null=True,
        blank=True,
        help_text="Condition de l'allocation de solidarité spécifique (ASS) ; vide si inconnu.",
    )
    special_care = models.BooleanField(
        "enfant en établissement spécialisé ou avec des soins",
        default=False,
        help_text="Ouvre l'AEEH à un enfant dont le taux d'incapacité est de 50 à 79 %.",
    )
    aeeh_complement = models.PositiveSmallIntegerField(
        "catégorie du complément d'AEEH",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text="Accordée par la MDPH, de 1 à 6 ; vide s'il n'y en a pas.",
    )
    schooling = models.CharField("scolarité", max_length=10, choices=Schooling.choices, blank=True)
    childcare = models.CharField(
        "mode de garde",
        max_length=16,
        choices=ChildcareMode.choices,
        blank=True,
        help_text="Enfant de moins de 6 ans.",
    )
    # A job starting (France Travail's AGEPI reads it): when, which contract, how long, how many hours a week.
    job_start = models.DateField("début du nouvel emploi", null=True, blank=True)
    contract_type = models.CharField(
        "contrat du nouvel emploi", max_length=4, choices=ContractType.choices, blank=True
    )
    contract_months = models.PositiveSmallIntegerField(
        "durée du contrat (mois)", null=True, blank=True, help_text="Vide pour un CDI."
    )
    weekly_hours = models.DecimalField(
        "heures de travail par semaine",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(48)],
    )
    daily_benefit = models.DecimalField(
        "allocation chômage journalière brute (€)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Montant journalier de l'ARE indiqué par France Travail.",
    )

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "membre du foyer"
        verbose_name_plural = "membres du foyer"
        ordering = ["person", "role", "birth_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(role=MemberRole.APPLICANT), name="member_one_applicant"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(role=MemberRole.PARTNER), name="member_one_partner"
            ),
        ]

    def __str__(self):
        return f"{self.first_name} ({self.get_role_display().lower()})"

    def age_on(self, day: datetime.date) -> int:
        return dates.age(self.birth_date, day)


# A partner's own records: what her employer's payroll or France Travail sent about her, matched on her own
# identity. They are read under her own consent, not under the file holder's; what the holder declares for the
# household (at the counter, on a CAF declaration) stays under the holder's.
OWN_RECORD_SOURCES = (ImportKind.PAYROLL, ImportKind.FRANCE_TRAVAIL)


def partner_own_record(member_ref: str = "member") -> Q:
    return Q(**{f"{member_ref}__role": MemberRole.PARTNER, "source_import__kind__in": OWN_RECORD_SOURCES})


class IncomeQuerySet(ConsentScopedQuerySet):
    category = DataCategory.INCOME
    person_ref = "member__person"

    def readable_by(self, reader):
        if reader.person_id is not None:
            # The file holder's space: her partner's own records only while the partner consents to share them.
            shared = Exists(Consent.objects.active().filter(given_by=OuterRef("member")))
            return self.filter(member__person__pk=reader.person_id).filter(~partner_own_record() | shared)
        scope = {"category": self.category, "purpose": reader.purpose, "organisations": reader.organisations}
        holder = consent_opens(self.person_ref, **scope)
        partner = consent_opens(self.person_ref, **scope, given_by_ref="member")
        # The partner's records live in the holder's file: the file must be open to the reader too.
        file_open = consent_opens(
            self.person_ref, category=DataCategory.IDENTITY, purpose=reader.purpose, organisations=reader.organisations
        )
        return self.filter(
            (~partner_own_record() & holder) | (partner_own_record() & partner & file_open),
            member__person__territory=reader.territory,
        )

    def partner_own(self):
        return self.filter(partner_own_record())


class MonthlyIncome(Sourced):
    member = models.ForeignKey(
        HouseholdMember, on_delete=models.CASCADE, related_name="incomes", verbose_name="membre"
    )
    month = models.DateField("mois", help_text="Premier jour du mois.")
    kind = models.CharField("nature", max_length=30, choices=IncomeKind.choices)
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    # A salary is kept per employer: the payroll files of two employers for the same month add up.
    employer_siret = models.CharField("SIRET de l'employeur", max_length=14, blank=True, default="")

    objects = IncomeQuerySet.as_manager()

    class Meta:
        verbose_name = "revenu mensuel"
        verbose_name_plural = "revenus mensuels"
        ordering = ["member", "-month", "kind", "employer_siret"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month", "kind", "employer_siret"], name="income_unique_month")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.month:%m/%Y} : {self.amount} €"


class AnnualIncome(Sourced):
    """A yearly amount from the tax return (family benefits look at year N-2), per member."""

    member = models.ForeignKey(
        HouseholdMember, on_delete=models.CASCADE, related_name="annual_incomes", verbose_name="membre"
    )
    year = models.PositiveSmallIntegerField("année des revenus")
    kind = models.CharField("nature", max_length=30, choices=IncomeKind.choices)
    amount = models.DecimalField(
        "montant annuel (€)", max_digits=11, decimal_places=2, validators=[MinValueValidator(0)]
    )

    objects = IncomeQuerySet.as_manager()

    class Meta:
        verbose_name = "revenu annuel déclaré"
        verbose_name_plural = "revenus annuels déclarés"
        ordering = ["member", "-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["member", "year", "kind"], name="annual_income_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} : {self.amount} €"


class BenefitQuerySet(ConsentScopedQuerySet):
    category = DataCategory.BENEFITS


class BenefitPayment(Sourced):
    """A benefit already paid to the household, as the paying organisation reports it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="benefits", verbose_name="usager")
    benefit = models.CharField("prestation", max_length=24, choices=Benefit.choices)
    month = models.DateField("mois")
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])

    objects = BenefitQuerySet.as_manager()

    class Meta:
        verbose_name = "prestation perçue"
        verbose_name_plural = "prestations perçues"
        ordering = ["person", "-month", "benefit"]
        constraints = [models.UniqueConstraint(fields=["person", "benefit", "month"], name="benefit_unique_month")]

    def __str__(self):
        return f"{self.get_benefit_display()} {self.month:%m/%Y} : {self.amount} €"


class Consent(models.Model):
    """What a person lets which organisations read, for which purpose, from when and until when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents", verbose_name="usager")
    covers_identity = models.BooleanField(DataCategory.IDENTITY.label, default=True)
    covers_household = models.BooleanField(DataCategory.HOUSEHOLD.label, default=True)
    covers_housing = models.BooleanField(DataCategory.HOUSING.label, default=True)
    covers_income = models.BooleanField(DataCategory.INCOME.label, default=True)
    covers_benefits = models.BooleanField(DataCategory.BENEFITS.label, default=True)
    organisations = models.ManyToManyField(
        "territories.Organisation",
        related_name="consents",
        verbose_name="organisations autorisées",
        help_text="Les services qui peuvent transmettre et consulter ces données.",
    )
    for_counter = models.BooleanField(Purpose.COUNTER.label, default=True)
    for_screening = models.BooleanField(Purpose.SCREENING.label, default=True)
    channel = models.CharField("recueilli", max_length=10, choices=ConsentChannel.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="agent ayant recueilli le consentement",
    )
    # Given by a partner for her own records (her payroll, her France Travail file): it opens those, and nothing
    # else of the file. Empty: the file holder's own consent.
    given_by = models.ForeignKey(
        "HouseholdMember",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_consents",
        verbose_name="donné par (le conjoint ou la conjointe, pour ses propres relevés)",
    )
    agent_organisation = models.ForeignKey(
        "territories.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    revoked_at = models.DateTimeField("retiré le", null=True, blank=True)
    revoked_by_label = models.CharField("retiré par", max_length=254, blank=True)
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = "consentement"
        verbose_name_plural = "consentements"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="consent_ends_after_start",
                violation_error_message="La fin du consentement doit suivre son début.",
            ),
            models.CheckConstraint(
                condition=~Q(channel=ConsentChannel.COUNTER) | Q(agent__isnull=False),
                name="consent_counter_names_agent",
                violation_error_message="Un consentement recueilli au guichet nomme l'agent.",
            ),
        ]

    def __str__(self):
        return f"Consentement {french.of(self.person)} du {french.date(timezone.localtime(self.starts_at))}"

    def is_active(self, at: datetime.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.starts_at <= at < self.ends_at

    @property
    def categories(self) -> list[str]:
        return [category for category, field in CATEGORY_FIELDS.items() if getattr(self, field)]

    @property
    def category_labels(self) -> list[str]:
        return [DataCategory(c).label for c in self.categories]

    @property
    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p, field in PURPOSE_FIELDS.items() if getattr(self, field)]

    @property
    def status_label(self) -> str:
        if self.revoked_at:
            return "Retiré"
        now = timezone.now()
        if now < self.starts_at:
            return "À venir"
        return "Actif" if now < self.ends_at else "Expiré"


class DataImport(models.Model):
    """One file an organisation sent: what it changed, whom it skipped, and why each bad line was refused."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "territories.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="organisation source"
    )
    kind = models.CharField("format", max_length=20, choices=ImportKind.choices)
    file_name = models.CharField("fichier", max_length=255)
    status = models.CharField("état", max_length=10, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField("lignes lues", default=0)
    updated_persons = models.PositiveIntegerField("usagers mis à jour", default=0)
    skipped_no_consent = models.PositiveIntegerField("usagers ignorés faute de consentement", default=0)
    unknown_persons = models.PositiveIntegerField("usagers inconnus", default=0)
    errors = models.JSONField("erreurs par ligne", default=list, blank=True)
    # The uploaded file while it waits for a worker (kept in the database, so a worker on another machine reads
    # it); dropped once imported.
    content = models.BinaryField("contenu en attente", null=True, blank=True)
    created_by = optional_fk(settings.AUTH_USER_MODEL, blank=False)
    created_at = models.DateTimeField("importé le", auto_now_add=True)

    class Meta:
        verbose_name = "import de données"
        verbose_name_plural = "imports de données"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.file_name}"


class AssessmentTrigger(models.TextChoices):
    COUNTER = "guichet", "Consultation au guichet"
    SCREENING = "examen", "Examen automatique"
    IMPORT = "import", "Nouvelles données"
    PERSON = "usager", "Consultation par la personne"


class RightsAssessment(models.Model):
    """The rights computed for a person for one month, with what was assumed and what is missing."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    month = models.DateField("mois examiné")
    computed_at = models.DateTimeField("calculé le", auto_now_add=True)
    trigger = models.CharField("origine", max_length=10, choices=AssessmentTrigger.choices)
    results = models.JSONField("droits", default=list)
    assumptions = models.JSONField("hypothèses", default=list, blank=True)
    missing = models.JSONField("données manquantes", default=list, blank=True)
    categories = models.JSONField("données utilisées", default=list)
    unclaimed_count = models.PositiveSmallIntegerField("droits probables non perçus", default=0)
    unclaimed_total = models.DecimalField(
        "droits probables non perçus (€ par mois, droits annuels pour un douzième)",
        max_digits=10,
        decimal_places=2,
        default=0,
    )
    rules_version = models.CharField("version d'OpenFisca-France", max_length=20)
    job = models.ForeignKey(
        "core.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="examen automatique",
        help_text="L'examen qui l'a calculé : repris après l'arrêt d'un worker, il ne recalcule pas ce qui est fait.",
    )

    class Meta:
        verbose_name = "examen des droits"
        verbose_name_plural = "examens des droits"
        ordering = ["-computed_at", "-pk"]
        indexes = [models.Index(fields=["person", "-computed_at"])]

    def __str__(self):
        return f"Droits {french.of(self.person)} pour {french.month(self.month)}"

    @property
    def unclaimed(self) -> list[dict]:
        return [r for r in self.results if r["eligible"] and r["received"] is False]

    def shown_to(self, categories) -> bool:
        """Derived from personal data, an assessment reveals what it was computed from: it is shown only to a
        reader who may read exactly those categories (a narrower reader gets one computed for her)."""
        return set(self.categories) == set(categories)


class FollowUp(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="follow_ups")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("territories.Organisation", on_delete=models.PROTECT, related_name="+")
    note = models.TextField("suite donnée")
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "suivi"
        verbose_name_plural = "suivis"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Suivi {french.of(self.person)} {french.on_date(timezone.localtime(self.created_at))}"


class Referral(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey("territories.Organisation", on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        "territories.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name="partenaire",
    )
    reason = models.TextField("motif de l'orientation")
    status = models.CharField("état", max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("le", auto_now_add=True)
    # The partner's side: who answered, when, why a refusal; what was done.
    answered_by = optional_fk(settings.AUTH_USER_MODEL)
    answered_at = models.DateTimeField("réponse le", null=True, blank=True)
    refusal_reason = models.TextField("motif du refus", blank=True)
    done_at = models.DateTimeField("terminée le", null=True, blank=True)
    outcome = models.TextField("suite donnée par le partenaire", blank=True)

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Orientation {french.of(self.person)} vers {self.to_organisation}"


class Notice(models.Model):
    """A message sent to the person (her probable rights, a reminder). The body is kept as sent."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notices")
    channel = models.CharField("canal", max_length=10, choices=NoticeChannel.choices)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    assessment = optional_fk(RightsAssessment, blank=False)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "message à l'usager"
        verbose_name_plural = "messages aux usagers"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.subject} ({self.get_channel_display()})"
