"""From the records a consent opens to the plain situation OpenFisca is given, and back to French."""

import datetime
from collections import defaultdict

from carteblanche.core import french

from .engine import HouseholdSituation, MemberSituation, is_yearly, month_add
from .enums import Benefit, DataCategory, IncomeKind, MemberRole


def situation_from_file(file, month: datetime.date, *, received_on: datetime.date | None = None) -> HouseholdSituation:
    """The household of a file for ``month``. What is « already received » is read around ``received_on``
    (default: that month): for a month to come, what the file shows received today."""
    person = file.person
    incomes = defaultdict(lambda: defaultdict(dict))
    for income in file.incomes:
        series = incomes[income.member_id][income.kind]  # several employers in one month add up
        series[income.month] = series.get(income.month, 0.0) + float(income.amount)
    annual = defaultdict(lambda: defaultdict(dict))
    for income in file.annual_incomes:
        annual[income.member_id][income.kind][income.year] = float(income.amount)
    members = [
        MemberSituation(
            role=m.role,
            birth_date=m.birth_date,
            first_name=m.first_name,
            disability_rate=m.disability_rate,
            job_seeker=m.job_seeker,
            unemployment_start=m.unemployment_start,
            job_seeker_until=m.job_seeker_until,
            student=m.student,
            unable_to_work=m.unable_to_work,
            employment_restriction=m.employment_restriction,
            pregnant=m.pregnant,
            alternating_custody=m.alternating_custody,
            ass_precondition=m.ass_precondition,
            special_care=m.special_care,
            aeeh_complement=m.aeeh_complement,
            schooling=m.schooling,
            childcare=m.childcare,
            job_start=m.job_start,
            contract_type=m.contract_type,
            contract_months=m.contract_months,
            weekly_hours=float(m.weekly_hours) if m.weekly_hours is not None else None,
            daily_benefit=float(m.daily_benefit) if m.daily_benefit is not None else None,
            monthly={k: dict(v) for k, v in incomes[m.pk].items()},
            annual={k: dict(v) for k, v in annual[m.pk].items()},
        )
        for m in file.members
    ]
    return HouseholdSituation(
        members=members,
        depcom=person.commune.insee_code if person.commune_id and person.commune else "",
        tenure=person.tenure,
        rent=float(person.rent) if person.rent is not None else None,
        received=received_recently(file.benefits, received_on or month),
        income_known=file.covers(DataCategory.INCOME),
        income_recorded=bool(file.incomes) or any(annual.values()),
        household_known=file.covers(DataCategory.HOUSEHOLD),
        benefits_known=file.covers(DataCategory.BENEFITS),
        key=person.pk,
        withheld=list(file.withheld),
    )


def received_recently(payments, month: datetime.date) -> dict[str, float]:
    """Benefits paid in the last two months (the last twelve for yearly ones): those are "already received"."""
    received = {}
    for payment in payments:
        horizon = month_add(month, -12 if is_yearly(payment.benefit) else -2)
        if horizon <= payment.month <= month:
            received[payment.benefit] = max(received.get(payment.benefit, 0.0), float(payment.amount))
    if Benefit.CSS_FREE in received or Benefit.CSS_PAID in received:
        received.setdefault(Benefit.CSS_FREE, 0.0)
        received.setdefault(Benefit.CSS_PAID, 0.0)
    return received


def file_assumptions(household: HouseholdSituation) -> list[str]:
    """What the file itself leaves open, in French (the engine says what it assumed about the months)."""
    lines = []
    adults = [m for m in household.members if m.role != MemberRole.CHILD]
    children = [m for m in household.members if m.role == MemberRole.CHILD]
    if len(adults) == 1 and children and not adults[0].monthly.get(IncomeKind.ALIMONY):
        lines.append(
            "Aucune pension alimentaire reçue n'est connue : l'allocation de soutien familial suppose que l'autre "
            "parent ne la verse pas (ou pas entièrement)."
        )
    for name in household.withheld:
        lines.append(
            f"Les relevés propres {french.of(name)} (paie, France Travail) ne sont pas lus sans son propre "
            "consentement : seuls comptent les revenus déclarés pour le foyer."
        )
    return lines
