"""The only way in to personal data: a reader, a consent that covers what is read, and a journal line.

An agent reads for her organisation, in her territory, for the "accompagnement" purpose; the screening job
reads for the "anticipation" purpose; the person reads her own file. Querysets (``readable_by``) filter by
consent in SQL; this module adds the refusal (journaled too) and the journal line of each read and write.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from carteblanche.accounts.enums import Role
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry

from .enums import DataCategory, Purpose
from .models import (
    CATEGORY_FIELDS,
    PURPOSE_FIELDS,
    AnnualIncome,
    BenefitPayment,
    Consent,
    HouseholdMember,
    MonthlyIncome,
    Person,
)


class ConsentMissing(PermissionDenied):
    """No active consent opens this person's data to this reader."""

    hint = (
        "Ce n'est pas une question de rôle : demandez à la personne son consentement (au guichet, par un lien "
        "qu'elle reçoit, ou depuis son espace), puis rouvrez son dossier."
    )


@dataclass(frozen=True)
class Reader:
    territory: object
    purpose: str
    user: object = None
    organisations: tuple | None = None  # None: any organisation (the screening job)
    person_id: int | None = None  # the person herself

    @classmethod
    def agent(cls, user, territory, purpose: str = Purpose.COUNTER) -> "Reader":
        organisations = tuple(
            m.organisation
            for m in user.memberships.all()
            if m.is_active and m.role == Role.AGENT and m.territory_id == territory.pk and m.organisation_id
        )
        if not organisations:
            raise PermissionDenied(
                "Seuls les agents d'une organisation du territoire consultent les dossiers des usagers."
            )
        return cls(territory=territory, purpose=purpose, user=user, organisations=organisations)

    @classmethod
    def screening(cls, territory, user=None, organisations=None) -> "Reader":
        """The screening job, for the organisations of whoever started it (``None``: the platform itself, for
        every organisation a consent names, as the demo does)."""
        return cls(
            territory=territory,
            purpose=Purpose.SCREENING,
            user=user,
            organisations=tuple(organisations) if organisations is not None else None,
        )

    @classmethod
    def own(cls, person) -> "Reader":
        return cls(territory=person.territory, purpose=Purpose.COUNTER, person_id=person.pk)

    @property
    def organisation(self):
        return self.organisations[0] if self.organisations else None

    @property
    def label(self) -> str:
        if self.person_id is not None:
            return "la personne elle-même"
        if self.organisations:
            return ", ".join(str(o) for o in self.organisations)
        return "examen automatique des droits"


def readable_categories(reader: Reader, person: Person) -> set[str]:
    if reader.person_id is not None:
        return set(DataCategory) if reader.person_id == person.pk else set()
    if person.territory_id != reader.territory.pk:
        return set()
    # The holder's active consents for this purpose (and organisations), in one query; what they open, together.
    consents = Consent.objects.active().filter(
        person=person, given_by__isnull=True, **{PURPOSE_FIELDS[reader.purpose]: True}
    )
    if reader.organisations is not None:
        consents = consents.filter(organisations__in=list(reader.organisations))
    rows = consents.values_list(*CATEGORY_FIELDS.values())
    return {str(category) for row in rows for category, yes in zip(CATEGORY_FIELDS, row, strict=True) if yes}


def readable_categories_of(reader: Reader, person_ids) -> dict[int, set[str]]:
    """``readable_categories`` for many persons at once: one query per category."""
    opened: dict[int, set[str]] = {}
    for category in CATEGORY_FIELDS:
        rows = (
            Consent.objects.opening(category=category, purpose=reader.purpose, organisations=reader.organisations)
            .filter(person_id__in=list(person_ids), person__territory=reader.territory)
            .values_list("person_id", flat=True)
        )
        for person_id in rows:
            opened.setdefault(person_id, set()).add(str(category))
    return opened


def _entry(action, reader: Reader, person: Person, *, reason: str, fields=(), details=None) -> JournalEntry:
    return JournalEntry.build(
        action=action,
        actor=reader.user,
        target=person,
        territory=reader.territory,
        reason=reason,
        fields=list(fields),
        details={"lecteur": reader.label, "finalite": str(reader.purpose), **(details or {})},
    )


def _journal(action, reader: Reader, person: Person, *, reason: str, fields=(), details=None):
    _entry(action, reader, person, reason=reason, fields=fields, details=details).save()


@transaction.atomic
def journal_reads(reader: Reader, persons, *, reason: str, fields=(), details=None):
    """One line per person read, written together (a list of search results, a screening round)."""
    JournalEntry.objects.bulk_create(
        [_entry(Action.PERSONAL_DATA_READ, reader, p, reason=reason, fields=fields, details=details) for p in persons],
        batch_size=1000,
    )


def refuse(reader: Reader, person: Person, *, reason: str):
    _journal(Action.PERSONAL_DATA_REFUSED, reader, person, reason=reason)
    raise ConsentMissing(
        "Aucun consentement actif de cette personne n'autorise votre organisation à consulter ses données."
    )


def journal_read(reader: Reader, person: Person, *, fields, reason: str, details=None):
    _journal(Action.PERSONAL_DATA_READ, reader, person, reason=reason, fields=fields, details=details)


def record_write(reader: Reader, person: Person, *, fields, reason: str, details=None):
    _journal(Action.PERSONAL_DATA_WRITTEN, reader, person, reason=reason, fields=fields, details=details)


@dataclass
class PersonFile:
    """What one reader may see of one person, loaded through the consent-filtered querysets."""

    person: Person
    categories: set[str]
    members: list = field(default_factory=list)
    incomes: list = field(default_factory=list)
    annual_incomes: list = field(default_factory=list)
    benefits: list = field(default_factory=list)
    withheld: list = field(default_factory=list)  # first names of partners whose own records are not open

    def covers(self, category: str) -> bool:
        return category in self.categories


def person_for(reader: Reader, pk, *, reason: str) -> Person:
    """The person, if a consent opens at least her identity to this reader; a journaled refusal otherwise."""
    person = Person.objects.readable_by(reader).filter(pk=pk).first()
    if person is None:
        existing = Person.objects.filter(pk=pk, territory=reader.territory).first()
        if existing is None:
            raise PermissionDenied("Dossier introuvable.")
        refuse(reader, existing, reason=reason)
    return person


def open_file(reader: Reader, person: Person, *, reason: str, journal: bool = True) -> PersonFile:
    """Load everything the reader's consents open, and journal which categories were read, and why."""
    categories = readable_categories(reader, person)
    if DataCategory.IDENTITY not in categories:
        refuse(reader, person, reason=reason)
    file = PersonFile(person=person, categories=categories)
    file.members = (
        list(HouseholdMember.objects.readable_by(reader).filter(person=person))
        if file.covers(DataCategory.HOUSEHOLD)
        else list(HouseholdMember.objects.filter(person=person, role="demandeur"))
    )
    if file.covers(DataCategory.INCOME):
        file.incomes = list(MonthlyIncome.objects.readable_by(reader).filter(member__person=person))
        file.withheld = _withheld(file, MonthlyIncome.objects.filter(member__person=person))
        file.annual_incomes = list(AnnualIncome.objects.readable_by(reader).filter(member__person=person))
    if file.covers(DataCategory.BENEFITS):
        file.benefits = list(BenefitPayment.objects.readable_by(reader).filter(person=person))
    if not file.covers(DataCategory.HOUSING):
        person.commune = None
        person.tenure = ""
        person.rent = None
    if journal:
        _journal(
            Action.PERSONAL_DATA_READ,
            reader,
            person,
            reason=reason,
            fields=[DataCategory(c).label for c in DataCategory if c in categories],
        )
    return file


@transaction.atomic
def revoke(consent: Consent, *, by_label: str, reader: Reader | None = None):
    from django.utils import timezone

    if consent.revoked_at:
        return consent
    consent.revoked_at = timezone.now()
    consent.revoked_by_label = by_label
    consent.save(update_fields=["revoked_at", "revoked_by_label"])
    reader = reader or Reader.own(consent.person)
    _journal(Action.CONSENT_REVOKED, reader, consent.person, reason=f"Consentement retiré par {by_label}.")
    return consent


def consent_field_names() -> list[str]:
    return list(CATEGORY_FIELDS.values())


def open_files(reader: Reader, persons, *, reason: str) -> list[PersonFile]:
    """Many files at once (the screening job): a handful of queries, one journal line per person read."""
    from collections import defaultdict

    persons = list(Person.objects.readable_by(reader).filter(pk__in=[p.pk for p in persons]).select_related("commune"))
    ids = [p.pk for p in persons]
    opened = readable_categories_of(reader, ids)
    members, incomes, annual, benefits = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for m in HouseholdMember.objects.readable_by(reader).filter(person_id__in=ids):
        members[m.person_id].append(m)
    applicants = defaultdict(list)
    for m in HouseholdMember.objects.filter(person_id__in=ids, role="demandeur"):
        applicants[m.person_id].append(m)
    for i in MonthlyIncome.objects.readable_by(reader).filter(member__person_id__in=ids).select_related(None):
        incomes[i.member_id].append(i)
    for i in AnnualIncome.objects.readable_by(reader).filter(member__person_id__in=ids):
        annual[i.member_id].append(i)
    for b in BenefitPayment.objects.readable_by(reader).filter(person_id__in=ids):
        benefits[b.person_id].append(b)
    # Households with a partner's own records (few): those are checked for what the consents leave out.
    own = dict.fromkeys(
        MonthlyIncome.objects.filter(member__person_id__in=ids)
        .partner_own()
        .values_list("member__person_id", flat=True),
        True,
    )
    files, entries = [], []
    for person in persons:
        categories = opened.get(person.pk, set())
        if not file_covers_identity(categories):
            continue
        household = (
            members[person.pk]
            if DataCategory.HOUSEHOLD in categories
            else [m for m in members[person.pk] if m.role == "demandeur"]
        )
        file = PersonFile(person=person, categories=categories, members=household)
        member_ids = [m.pk for m in household]
        if DataCategory.INCOME in categories:
            file.incomes = [i for mid in member_ids for i in incomes[mid]]
            file.annual_incomes = [i for mid in member_ids for i in annual[mid]]
            if own.get(person.pk):
                file.withheld = _withheld(file, MonthlyIncome.objects.filter(member__person=person))
        if DataCategory.BENEFITS in categories:
            file.benefits = benefits[person.pk]
        if DataCategory.HOUSING not in categories:
            person.commune, person.tenure, person.rent = None, "", None
        files.append(file)
        entries.append(
            _entry(
                Action.PERSONAL_DATA_READ,
                reader,
                person,
                reason=reason,
                fields=[DataCategory(c).label for c in DataCategory if c in categories],
            )
        )
    with transaction.atomic():
        JournalEntry.objects.bulk_create(entries, batch_size=1000)
    return files


def applicant_only(member: HouseholdMember) -> HouseholdMember:
    """The applicant as her identity shows her (name, birth date), when the household is not shared: what the
    household category covers (disability, job-seeker status) is left out."""
    member.disability_rate = member.job_seeker = member.unemployment_start = member.job_seeker_until = None
    member.student = member.unable_to_work = member.employment_restriction = False
    member.pregnant = member.alternating_custody = member.special_care = False
    member.ass_precondition = member.aeeh_complement = None
    member.schooling = member.childcare = member.contract_type = ""
    member.job_start = member.contract_months = member.weekly_hours = member.daily_benefit = None
    member.source_organisation_id = member.source_import_id = member.recorded_by_id = None
    member.source_label = "Identité"
    return member


def _withheld(file: PersonFile, incomes) -> list[str]:
    """Partners of the household with own records that the reader's consents leave out."""
    read = {i.pk for i in file.incomes}
    names = {m.pk: m.first_name for m in file.members}
    hidden = incomes.partner_own().exclude(pk__in=read).values_list("member_id", flat=True).distinct()
    return sorted(names.get(pk, "le conjoint") for pk in set(hidden))


def file_covers_identity(categories) -> bool:
    return DataCategory.IDENTITY in categories
