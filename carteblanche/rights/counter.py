"""What an agent corrects at the counter: incomes by month, housing, the household and each member's facts.

Each correction is refused (and the refusal journaled) unless an active consent opens that category of data to
the agent's organisation for the "accompagnement" purpose. Otherwise, in one transaction: the values are written
with the provenance « Saisi au guichet par <agent> (<organisation>) », a journal line says what was written and
why, and the rights are examined again, so that the page that follows shows them.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from carteblanche.core import french

from . import engine, services
from .access import ConsentMissing, Reader, readable_categories, record_write, refuse
from .enums import DataCategory, IncomeKind, MemberRole
from .models import AssessmentTrigger, HouseholdMember, MonthlyIncome, Person, RightsAssessment

# The facts of a member an agent may correct (the household category covers them all).
MEMBER_FACTS = (
    "first_name",
    "birth_date",
    "disability_rate",
    "employment_restriction",
    "unable_to_work",
    "job_seeker",
    "unemployment_start",
    "job_seeker_until",
    "ass_precondition",
    "daily_benefit",
    "student",
    "pregnant",
    "alternating_custody",
    "schooling",
    "special_care",
    "aeeh_complement",
    "childcare",
    "job_start",
    "contract_type",
    "contract_months",
    "weekly_hours",
)
HOUSING_FACTS = ("tenure", "rent", "commune")
LONGEST_CORRECTION_MONTHS = 36


def provenance(reader: Reader) -> str:
    """« Saisi au guichet par Camille Durand (CAF du Lot) »: who wrote the value, for which organisation."""
    user = reader.user
    name = (user.get_full_name() or user.get_username()) if user is not None else "l'agent"
    return f"Saisi au guichet par {name} ({reader.organisation})" if reader.organisation else f"Saisi par {name}"


def _require(reader: Reader, person: Person, category: str, *, reason: str):
    """Refuse, journaled, a correction the consent does not open (before the write's transaction, so that the
    refusal's journal line is kept)."""
    if reader.person_id is not None or reader.organisations is None:
        raise ConsentMissing("Seul un agent au guichet corrige la situation d'un usager.")
    if category not in readable_categories(reader, person):
        refuse(reader, person, reason=reason)


def _reassess(reader: Reader, person: Person, what: str) -> RightsAssessment:
    return services.assess(
        reader, person, trigger=AssessmentTrigger.COUNTER, reason=f"Droits réexaminés après la correction : {what}"
    )


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = engine.month_add(month, 1)
    return months


def correct_incomes(
    *, reader: Reader, person: Person, member: HouseholdMember, kind: str, amounts: dict
) -> RightsAssessment:
    """The amounts of one kind of income for some months, as the person shows them (a pay slip, a France Travail
    statement). Each month's amount replaces every amount of that kind known for the month (all employers'
    payroll lines included: the agent gives the month's total); 0 says there was none."""
    reason = "Correction des revenus au guichet"
    _require(reader, person, DataCategory.INCOME, reason=reason)
    if member.person_id != person.pk:
        raise ValueError("Ce membre n'appartient pas au foyer.")
    label = provenance(reader)
    with transaction.atomic():
        MonthlyIncome.objects.filter(member=member, kind=kind, month__in=list(amounts)).delete()
        MonthlyIncome.objects.bulk_create(
            MonthlyIncome(
                member=member,
                month=month.replace(day=1),
                kind=kind,
                amount=Decimal(amount).quantize(Decimal("0.01")),
                source_organisation=reader.organisation,
                recorded_by=reader.user,
                source_label=label,
            )
            for month, amount in sorted(amounts.items())
        )
        months = sorted(amounts)
        record_write(
            reader,
            person,
            fields=[DataCategory.INCOME.label],
            reason=reason,
            details={
                "membre": member.first_name,
                "nature": IncomeKind(kind).label,
                "mois": f"{months[0]:%m/%Y} – {months[-1]:%m/%Y}" if months else "",
                "provenance": label,
            },
        )
        return _reassess(reader, person, f"{IncomeKind(kind).label.lower()} {french.of(member.first_name)}")


def correct_housing(*, reader: Reader, person: Person, tenure: str, rent, commune) -> RightsAssessment:
    reason = "Correction du logement au guichet"
    _require(reader, person, DataCategory.HOUSING, reason=reason)
    label = provenance(reader)
    at = timezone.now().isoformat()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        values = {"tenure": tenure, "rent": rent, "commune": commune}
        changed = [name for name, value in values.items() if getattr(person, name) != value]
        for name, value in values.items():
            setattr(person, name, value)
            person.provenance[name] = {
                "source": label,
                "organisation": reader.organisation.pk if reader.organisation else None,
                "by": reader.user.pk if reader.user else None,
                "at": at,
            }
        person.full_clean()
        person.save()
        record_write(
            reader,
            person,
            fields=[DataCategory.HOUSING.label],
            reason=reason,
            details={"champs": [str(Person._meta.get_field(n).verbose_name) for n in changed], "provenance": label},
        )
        return _reassess(reader, person, "logement")


def _member_write(reader, person, member, reason, changed):
    label = provenance(reader)
    member.source_organisation = reader.organisation
    member.recorded_by = reader.user
    member.source_label = label
    member.source_import = None
    member.recorded_at = timezone.now()
    member.full_clean()
    member.save()
    record_write(
        reader,
        person,
        fields=[DataCategory.HOUSEHOLD.label],
        reason=reason,
        details={
            "membre": member.first_name,
            "champs": [str(HouseholdMember._meta.get_field(n).verbose_name) for n in changed],
            "provenance": label,
        },
    )


def correct_member(*, reader: Reader, person: Person, member: HouseholdMember, facts: dict) -> RightsAssessment:
    """A member's facts that rules read (disability, France Travail registration, studies, a new job,
    childcare...), as the person shows them."""
    reason = f"Correction de la situation {french.of(member.first_name)} au guichet"
    _require(reader, person, DataCategory.HOUSEHOLD, reason=reason)
    unknown = set(facts) - set(MEMBER_FACTS)
    if unknown:
        raise ValueError(f"Champs non modifiables au guichet : {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        member = HouseholdMember.objects.select_for_update().get(pk=member.pk, person=person)
        changed = [name for name, value in facts.items() if getattr(member, name) != value]
        for name, value in facts.items():
            setattr(member, name, value)
        if member.role == MemberRole.APPLICANT and {"first_name", "birth_date"} & set(changed):
            raise ValueError("Le prénom et la date de naissance du demandeur se corrigent dans son identité.")
        _member_write(reader, person, member, reason, changed)
        return _reassess(reader, person, f"situation {french.of(member.first_name)}")


def add_member(*, reader: Reader, person: Person, role: str, first_name: str, birth_date) -> RightsAssessment:
    reason = "Membre du foyer ajouté au guichet"
    _require(reader, person, DataCategory.HOUSEHOLD, reason=reason)
    with transaction.atomic():
        member = HouseholdMember(person=person, role=role, first_name=first_name, birth_date=birth_date)
        _member_write(reader, person, member, reason, ["role", "first_name", "birth_date"])
        return _reassess(reader, person, "composition du foyer")


def remove_member(*, reader: Reader, person: Person, member: HouseholdMember) -> RightsAssessment:
    """A partner who left (a separation), a child who left the household: the member and her incomes go."""
    reason = f"{member.first_name} ne fait plus partie du foyer (déclaré au guichet)"
    _require(reader, person, DataCategory.HOUSEHOLD, reason=reason)
    if member.role == MemberRole.APPLICANT:
        raise ValueError("Le demandeur ne peut pas être retiré de son propre foyer.")
    with transaction.atomic():
        HouseholdMember.objects.filter(pk=member.pk, person=person).delete()
        record_write(
            reader,
            person,
            fields=[DataCategory.HOUSEHOLD.label],
            reason=reason,
            details={"membre": member.first_name, "role": member.get_role_display(), "provenance": provenance(reader)},
        )
        return _reassess(reader, person, "composition du foyer")
