"""Rights of a person: assess, compare with last time, simulate a change, record consents."""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import french

from . import engine
from .access import Reader, open_file
from .catalogue import describe
from .enums import ConsentChannel, DataCategory, IncomeKind, MemberRole, Purpose
from .models import (
    CATEGORY_FIELDS,
    PURPOSE_FIELDS,
    Consent,
    HouseholdMember,
    Person,
    RightsAssessment,
)
from .situations import file_assumptions, situation_from_file

DEFAULT_CONSENT_DAYS = 365


def current_month(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()).replace(day=1)


def evaluate(situation: engine.HouseholdSituation, month: datetime.date) -> dict:
    """Rights, assumptions and missing data of one situation, ready to store or show."""
    prepared = engine.prepare(situation, month)
    prepared.assumptions.extend(file_assumptions(situation))
    computed = engine.compute([situation], month, [prepared])[0]
    return _evaluation(computed, prepared, situation, month)


def evaluation_of(computed, situation, month) -> dict:
    """The evaluation of a situation computed in bulk (the screening): assumptions are prepared again."""
    prepared = engine.prepare(situation, month)
    prepared.assumptions.extend(file_assumptions(situation))
    return _evaluation(computed, prepared, situation, month)


def _evaluation(computed, prepared, situation, month) -> dict:
    results = describe(computed, month, situation.received, situation.benefits_known)
    unclaimed_rows = [r for r in results if r["eligible"] and r["received"] is False]
    return {
        # Per month, a yearly right counting for a twelfth: one figure to sort the persons to contact.
        "unclaimed_count": len(unclaimed_rows),
        "results": results,
        "assumptions": prepared.assumptions,
        "missing": prepared.missing,
        "unclaimed_total": round(sum(r["yearly_value"] / 12 for r in unclaimed_rows), 2),
    }


def store(person, month, evaluation: dict, trigger: str, categories, *, job=None) -> RightsAssessment:
    """Keep an assessment with the categories it was computed from: it is shown only to readers who may read
    exactly those (see ``RightsAssessment.shown_to``)."""
    assessment = RightsAssessment.objects.create(
        person=person,
        month=month,
        trigger=trigger,
        categories=sorted(categories),
        unclaimed_count=evaluation["unclaimed_count"],
        results=evaluation["results"],
        assumptions=evaluation["assumptions"],
        missing=evaluation["missing"],
        unclaimed_total=evaluation["unclaimed_total"],
        rules_version=engine.RULES_VERSION,
        job=job,
    )
    Person.objects.filter(pk=person.pk).update(last_screened_at=assessment.computed_at)
    return assessment


def next_month(today: datetime.date | None = None) -> datetime.date:
    return engine.month_add(current_month(today), 1)


def assess_file(file, *, trigger: str, month=None) -> RightsAssessment:
    month = month or current_month()
    return store(file.person, month, evaluate(situation_from_file(file, month), month), trigger, file.categories)


def assess(reader: Reader, person: Person, *, trigger: str, reason: str, month=None) -> RightsAssessment:
    return assess_file(open_file(reader, person, reason=reason), trigger=trigger, month=month)


def latest(person, categories=None) -> RightsAssessment | None:
    qs = person.assessments.order_by("-computed_at", "-pk")
    if categories is not None:
        qs = qs.filter(categories=sorted(categories))
    return qs.first()


def is_stale(person, assessment) -> bool:
    """Has anything the assessment was computed from changed since: the month, the data, the consents?"""
    if assessment is None or assessment.month != current_month():
        return True
    from django.db.models import Max

    from .models import AnnualIncome, MonthlyIncome

    since = assessment.computed_at
    changed = [
        person.updated_at,
        person.members.aggregate(at=Max("recorded_at"))["at"],
        MonthlyIncome.objects.filter(member__person=person).aggregate(at=Max("recorded_at"))["at"],
        AnnualIncome.objects.filter(member__person=person).aggregate(at=Max("recorded_at"))["at"],
        person.benefits.aggregate(at=Max("recorded_at"))["at"],
        *person.consents.aggregate(given=Max("created_at"), revoked=Max("revoked_at")).values(),
    ]
    return any(at and at > since for at in changed)


def current_assessment(file, *, trigger: str) -> tuple[RightsAssessment, RightsAssessment | None]:
    """The assessment this reader may see (computed from exactly the categories she may read), computed now if
    there is none or the data changed since; and the previous one of the same scope, to say what changed."""
    assessment = latest(file.person, file.categories)
    if is_stale(file.person, assessment):
        previous, assessment = assessment, assess_file(file, trigger=trigger)
    else:
        previous = previous_of(assessment)
    return assessment, previous


def previous_of(assessment: RightsAssessment) -> RightsAssessment | None:
    """The assessment of the same person and scope computed just before this one, to say what changed."""
    return (
        assessment.person.assessments.filter(categories=assessment.categories)
        .filter(computed_at__lte=assessment.computed_at, pk__lt=assessment.pk)
        .order_by("-computed_at", "-pk")
        .first()
    )


def changes(current: RightsAssessment, previous: RightsAssessment | None) -> list[str]:
    """What changed since the previous assessment, in French, biggest first."""
    if previous is None:
        return []
    before = {r["benefit"]: r for r in previous.results}
    lines = []
    for row in current.results:
        old = before.get(row["benefit"])
        if old is None:
            continue
        if row["eligible"] and not old["eligible"]:
            lines.append(f"Nouveau droit probable : {row['label']}.")
        elif old["eligible"] and not row["eligible"]:
            lines.append(f"Plus de droit probable : {row['label']}.")
        elif row["eligible"] and abs((row["amount"] or 0) - (old["amount"] or 0)) >= 1:
            lines.append(f"{row['label']} : {old['amount']:.0f} € → {row['amount']:.0f} €.")
    return lines


# What if ---------------------------------------------------------------------------------------------------

# Net unemployment benefit (ARE) against the last net salary: 57 % of the gross reference wage, less CSG/CRDS.
ARE_OVER_NET_SALARY = 0.70


@dataclasses.dataclass
class Scenario:
    """A change people ask about at the counter, from its first month."""

    kind: str
    start: datetime.date  # first month of the change
    member_role: str = MemberRole.APPLICANT
    amount: float | None = None  # net pay of the new or part-time job, the benefit if known, alimony received
    hours: float | None = None  # hours a week of the new job
    contract_type: str = ""  # the new job's contract (ContractType)
    contract_months: float | None = None  # its length, for a CDD
    share: float | None = None  # part time: the share of the present pay, 0 < share < 1
    birth_date: datetime.date | None = None  # the baby's
    depcom: str = ""  # moving: the new commune's INSEE code
    rent: float | None = None  # moving: the new rent
    tenure: str = ""  # moving: the new tenure, if it changes
    child: str = ""  # the first name of the child turning 20

    LABELS = {
        "perte_emploi": "Perte d'emploi",
        "nouvel_emploi": "Reprise d'un emploi",
        "temps_partiel": "Passage à temps partiel",
        "naissance": "Naissance d'un enfant",
        "separation": "Séparation",
        "demenagement": "Déménagement",
        "enfant_20_ans": "Un enfant atteint 20 ans",
    }

    @property
    def label(self) -> str:
        return self.LABELS[self.kind]


def _last_value(series: dict, before: datetime.date) -> float:
    earlier = [m for m in series if m < before]
    return series[max(earlier)] if earlier else 0.0


def _set_from(member: engine.MemberSituation, kind: str, start, end, value: float):
    series = member.monthly.setdefault(kind, {})
    # Status quo up to the change, then the new value: explicit months, nothing left to guess.
    last_known = max(series) if series else None
    month = engine.month_add(last_known, 1) if last_known else start
    while last_known and month < start:
        series[month] = series[last_known]
        month = engine.month_add(month, 1)
    month = start
    while month <= end:
        series[month] = value
        month = engine.month_add(month, 1)


def _pay_from(member, start, target, net: float):
    """A new net pay from ``start``, the taxable pay following when the payroll gives it."""
    _set_from(member, IncomeKind.SALARY_NET, start, target, net)
    if IncomeKind.SALARY_TAXABLE in member.monthly:
        _set_from(member, IncomeKind.SALARY_TAXABLE, start, target, net * engine.TAXABLE_OVER_NET)


def _net_history(member, assumptions):
    gross = member.monthly.pop(IncomeKind.SALARY_GROSS, {})
    if gross and not member.monthly.get(IncomeKind.SALARY_NET):
        # Payroll sent gross pay only: the history becomes net first, so that the change keeps the past.
        member.monthly[IncomeKind.SALARY_NET] = {m: v * engine.NET_OVER_GROSS for m, v in gross.items()}
        assumptions.append("Salaire net estimé à 78 % du brut transmis.")


def twentieth_birthday_month(birth_date: datetime.date) -> datetime.date:
    return datetime.date(birth_date.year + 20, birth_date.month, 1)


def _lose_job(member, scenario, target, salary, assumptions):
    benefit = scenario.amount
    if benefit is None:
        benefit = round(salary * ARE_OVER_NET_SALARY, 2)
        assumptions.append(
            f"Allocation chômage estimée à 70 % du dernier salaire net ({salary:.0f} €), soit {benefit:.0f} € par "
            "mois ; France Travail calcule le montant exact."
        )
    for kind in (IncomeKind.SALARY_NET, IncomeKind.SALARY_TAXABLE):
        if kind in member.monthly or kind == IncomeKind.SALARY_NET:
            _set_from(member, kind, scenario.start, target, 0.0)
    _set_from(member, IncomeKind.UNEMPLOYMENT_NET, scenario.start, target, benefit)
    if IncomeKind.UNEMPLOYMENT_TAXABLE in member.monthly:
        _set_from(member, IncomeKind.UNEMPLOYMENT_TAXABLE, scenario.start, target, benefit * engine.TAXABLE_OVER_NET)
    member.job_seeker, member.unemployment_start, member.job_seeker_until = True, scenario.start, None


def _take_job(member, scenario, target, assumptions):
    _pay_from(member, scenario.start, target, scenario.amount or 0.0)
    for kind in (IncomeKind.UNEMPLOYMENT_NET, IncomeKind.UNEMPLOYMENT_TAXABLE):
        if kind in member.monthly:
            _set_from(member, kind, scenario.start, target, 0.0)
    if member.job_seeker or member.unemployment_start:
        # The registration is supposed closed when the job starts (France Travail may keep it, in another category).
        member.job_seeker_until = scenario.start - datetime.timedelta(days=1)
        assumptions.append(
            f"Inscription à France Travail supposée close à la reprise d'emploi, le {scenario.start:%d/%m/%Y}."
        )
    member.job_start, member.weekly_hours = scenario.start, scenario.hours
    member.contract_type = scenario.contract_type
    member.contract_months = scenario.contract_months
    if scenario.hours:
        assumptions.append(
            f"Nouvel emploi de {scenario.hours:g} heures par semaine, {scenario.amount:.0f} € net par mois."
        )


def apply(situation: engine.HouseholdSituation, scenario: Scenario, target: datetime.date):
    """A copy of the situation with the change applied from ``scenario.start`` to ``target``; and what we assumed."""
    changed = situation.copy()
    assumptions = []
    if scenario.kind == "naissance":
        changed.members.append(
            engine.MemberSituation(
                role=MemberRole.CHILD, birth_date=scenario.birth_date or scenario.start, first_name="le bébé"
            )
        )
        return changed, assumptions
    if scenario.kind == "demenagement":
        changed.depcom = scenario.depcom or changed.depcom
        changed.tenure = scenario.tenure or changed.tenure
        changed.rent = scenario.rent
        return changed, assumptions
    if scenario.kind == "enfant_20_ans":
        return changed, assumptions  # the same household, a later month: see ``what_if``
    if scenario.kind == "separation":
        partner = next((m for m in changed.members if m.role == MemberRole.PARTNER), None)
        if partner is not None:
            changed.members.remove(partner)
            name = partner.first_name or "le conjoint"
            assumptions.append(f"{name} quitte le foyer ; ses revenus ne sont plus comptés.")
        if scenario.amount:
            applicant = next(m for m in changed.members if m.role == MemberRole.APPLICANT)
            _set_from(applicant, IncomeKind.ALIMONY, scenario.start, target, scenario.amount)
            assumptions.append(f"Pension alimentaire reçue : {scenario.amount:.0f} € par mois.")
        return changed, assumptions
    member = next((m for m in changed.members if m.role == scenario.member_role), changed.members[0])
    _net_history(member, assumptions)
    salary = _last_value(member.monthly.get(IncomeKind.SALARY_NET, {}), scenario.start)
    if scenario.kind == "perte_emploi":
        _lose_job(member, scenario, target, salary, assumptions)
    elif scenario.kind == "nouvel_emploi":
        _take_job(member, scenario, target, assumptions)
    elif scenario.kind == "temps_partiel":
        pay = scenario.amount
        if pay is None:
            pay = round(salary * scenario.share, 2)
            assumptions.append(
                f"Salaire à temps partiel estimé à {scenario.share * 100:.0f} % du dernier salaire net "
                f"({salary:.0f} €), soit {pay:.0f} € par mois."
            )
        _pay_from(member, scenario.start, target, pay)
    return changed, assumptions


def _months_compared(members, scenario: Scenario) -> tuple[datetime.date, datetime.date]:
    """The month of the rights without and with the change. The RSA and the prime d'activité of a month look at
    the three months before it: the first month that counts only the new situation is the fourth (its three
    months before are the change's first three). A child's 20th birthday is a date, not a change of data: the
    month before it against the month after."""
    if scenario.kind == "enfant_20_ans":
        child = next((m for m in members if m.role == MemberRole.CHILD and m.first_name == scenario.child), None)
        if child is None:
            raise ValueError(f"Aucun enfant nommé « {scenario.child} » dans le foyer.")
        birthday = twentieth_birthday_month(child.birth_date)
        return engine.month_add(birthday, -1), engine.month_add(birthday, 1)
    target = engine.month_add(scenario.start, 3)
    return target, target


def what_if(reader: Reader, person: Person, scenario: Scenario, progress=None) -> dict:
    """Rights without and with the change, computed by the same engine on the same file. What the file says is
    received today (« perçu ») stays received in the month compared. ``progress(percent, message)``, if given,
    is told each step (a background job's bar)."""

    def step(percent, message):
        if progress is not None:
            progress(percent, message)

    step(5, "Lecture du dossier")
    file = open_file(reader, person, reason=f"Simulation : {scenario.label.lower()}")
    base_month, target = _months_compared(file.members, scenario)
    today = current_month()
    base = situation_from_file(file, target, received_on=min(target, today))
    changed, extra = apply(base, scenario, target)
    step(20, "Chargement des règles d'OpenFisca-France")
    engine.tax_benefit_system()
    step(40, "Calcul des droits sans et avec le changement")
    if base_month == target:
        prepared = [engine.prepare(base, target), engine.prepare(changed, target)]
        for prep, situation in zip(prepared, (base, changed), strict=True):
            prep.assumptions.extend(file_assumptions(situation))
        computed = engine.compute([base, changed], target, prepared)
        before = _evaluation(computed[0], prepared[0], base, target)
    else:
        before_situation = situation_from_file(file, base_month, received_on=min(base_month, today))
        before = evaluate(before_situation, base_month)
        prepared = [None, engine.prepare(changed, target)]
        prepared[1].assumptions.extend(file_assumptions(changed))
        computed = [None, engine.compute([changed], target, [prepared[1]])[0]]
    step(90, "Comparaison")
    prepared[1].assumptions[:0] = extra
    after = _evaluation(computed[1], prepared[1], changed, target)
    rows = []
    old = {r["benefit"]: r for r in before["results"]}
    for row in after["results"]:
        previous = old[row["benefit"]]
        delta = (row["amount"] or 0) - (previous["amount"] or 0)
        if previous["eligible"] or row["eligible"]:
            rows.append(
                {
                    "label": row["label"],
                    "before": previous,
                    "after": row,
                    "delta": round(delta, 2),
                    "yearly": row["yearly"],
                    "once": row.get("once", False),
                }
            )
    rows.sort(key=lambda r: -abs(r["delta"] * (1 if r["yearly"] else 12)))
    counted = (scenario.start, engine.month_add(scenario.start, 2)) if base_month == target else None
    return {
        "scenario": scenario,
        "month": target,
        "base_month": base_month,
        "counted": counted,  # the months of resources the RSA and the prime d'activité count, all after the change
        "rows": rows,
        "before": before,
        "after": after,
    }


def outcome_to_json(outcome: dict) -> dict:
    """A what-if's outcome as a background job keeps it (dates as ISO text)."""
    counted = outcome["counted"]
    return {
        "scenario": {"kind": outcome["scenario"].kind, "label": outcome["scenario"].label},
        "month": outcome["month"].isoformat(),
        "base_month": outcome["base_month"].isoformat(),
        "counted": [m.isoformat() for m in counted] if counted else None,
        "rows": outcome["rows"],
        "after": {"assumptions": outcome["after"]["assumptions"]},
    }


def outcome_from_json(data: dict) -> dict:
    return {
        **data,
        "month": datetime.date.fromisoformat(data["month"]),
        "base_month": datetime.date.fromisoformat(data["base_month"]),
        "counted": [datetime.date.fromisoformat(m) for m in data["counted"]] if data["counted"] else None,
    }


def scenario_to_json(scenario: Scenario) -> dict:
    return {
        k: (v.isoformat() if isinstance(v, datetime.date) else v)
        for k, v in dataclasses.asdict(scenario).items()
        if k != "LABELS"
    }


def scenario_from_json(data: dict) -> Scenario:
    values = dict(data)
    for name in ("start", "birth_date"):
        if values.get(name):
            values[name] = datetime.date.fromisoformat(values[name])
    return Scenario(**values)


@transaction.atomic
def note_follow_up(*, reader: Reader, person: Person, note: str):
    """What the agent's organisation did for the person, kept for that organisation, journaled."""
    from .access import record_write
    from .models import FollowUp

    follow_up = FollowUp.objects.create(person=person, author=reader.user, organisation=reader.organisation, note=note)
    record_write(reader, person, fields=["suivi"], reason="Suite donnée notée au guichet")
    return follow_up


# Consents and persons -------------------------------------------------------------------------------------


@transaction.atomic
def give_consent(
    person: Person,
    *,
    organisations,
    categories=tuple(DataCategory),
    purposes=tuple(Purpose),
    days: int = DEFAULT_CONSENT_DAYS,
    channel: str = ConsentChannel.ONLINE,
    agent=None,
    agent_organisation=None,
    starts_at=None,
    given_by: HouseholdMember | None = None,
) -> Consent:
    """A consent of the file holder; with ``given_by``, the consent a partner gives for her own records (her
    payroll, her France Travail file), which opens those only."""
    starts_at = starts_at or timezone.now()
    if given_by is not None:
        if given_by.person_id != person.pk or given_by.role != MemberRole.PARTNER:
            raise ValueError(
                "Ce consentement pour ses propres relevés ne peut être donné que par le conjoint ou la conjointe "
                "du foyer."
            )
        categories = [DataCategory.INCOME]
    consent = Consent(
        person=person,
        given_by=given_by,
        channel=channel,
        agent=agent,
        agent_organisation=agent_organisation,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(days=days),
        **{field: category in categories for category, field in CATEGORY_FIELDS.items()},
        **{field: purpose in purposes for purpose, field in PURPOSE_FIELDS.items()},
    )
    consent.full_clean(exclude=["organisations"])
    consent.save()
    consent.organisations.set(organisations)
    how = ConsentChannel(channel).label.lower()
    whose = f" {french.of(given_by.first_name)} pour ses propres relevés" if given_by is not None else ""
    JournalEntry.log(
        action=Action.CONSENT_GIVEN,
        actor=agent,
        target=person,
        territory=person.territory,
        reason=f"Consentement{whose} recueilli {how}.",
        fields=consent.category_labels,
        details={
            "organisations": [str(o) for o in organisations],
            "finalites": consent.purpose_labels,
            "jusqu_au": f"{consent.ends_at:%Y-%m-%d}",
        },
    )
    return consent


def existing_person(territory, *, first_name, last_name, birth_date) -> Person | None:
    """The file this person already has in the territory (same names, same birth date), if any."""
    return Person.objects.filter(
        territory=territory,
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        birth_date=birth_date,
    ).first()


@transaction.atomic
def register_person(
    *, territory, created_by=None, organisation=None, source: str = "Déclaré par la personne", **identity
) -> Person:
    """A new file, with its applicant as the first member of the household."""
    person = Person(territory=territory, created_by=created_by, **identity)
    at = timezone.now().isoformat()
    person.provenance = {
        name: {
            "source": source,
            "organisation": organisation.pk if organisation else None,
            "by": created_by.pk if created_by else None,
            "at": at,
        }
        for name, value in identity.items()
        if value not in (None, "")
    }
    person.full_clean()
    person.save()
    HouseholdMember.objects.create(
        person=person,
        role=MemberRole.APPLICANT,
        first_name=person.first_name,
        birth_date=person.birth_date,
        recorded_by=created_by,
        source_organisation=organisation,
        source_label=source,
    )
    JournalEntry.log(
        action=Action.PERSONAL_DATA_WRITTEN,
        actor=created_by,
        target=person,
        territory=territory,
        reason="Ouverture du dossier de l'usager.",
        fields=[DataCategory.IDENTITY.label],
    )
    return person


@transaction.atomic
def register_with_consent(
    *,
    territory,
    identity: dict,
    organisations,
    categories,
    purposes,
    days: int,
    agent=None,
    organisation=None,
    channel: str = ConsentChannel.COUNTER,
    source: str = "Déclaré par la personne",
) -> tuple[Person, bool]:
    """The person's file, and the consent she gives now — at the counter with an agent, or online herself. One file
    per person: a second registration attaches the new consent to the file she already has (her data there stays
    as its sources wrote it). Returns the file and whether it existed."""
    person = existing_person(
        territory,
        first_name=identity["first_name"],
        last_name=identity["last_name"],
        birth_date=identity["birth_date"],
    )
    existed = person is not None
    if not existed:
        person = register_person(
            territory=territory, created_by=agent, organisation=organisation, source=source, **identity
        )
    give_consent(
        person,
        organisations=organisations,
        categories=categories,
        purposes=purposes,
        days=days,
        channel=channel,
        agent=agent,
        agent_organisation=organisation,
    )
    return person, existed


def register_from_franceconnect(
    *, claims: dict, commune, organisations, categories, purposes, days: int
) -> tuple[Person, bool]:
    """She opens her own file online: her identity as FranceConnect certifies it, her commune, and the consent she
    gives."""
    given = claims.get("given_name") or ""
    given = " ".join(given) if isinstance(given, list) else str(given)
    identity = {
        "first_name": given.split()[0][:100] if given.split() else "",
        "last_name": str(claims.get("family_name") or "")[:100],
        "birth_date": datetime.date.fromisoformat(str(claims.get("birthdate"))),
        "email": str(claims.get("email") or "")[:254],
        "commune": commune,
    }
    if not identity["first_name"] or not identity["last_name"]:
        raise ValueError("FranceConnect n'a pas transmis votre nom et votre prénom.")
    return register_with_consent(
        territory=commune.territories.order_by("pk").first(),
        identity=identity,
        organisations=organisations,
        categories=categories,
        purposes=purposes,
        days=days,
        channel=ConsentChannel.ONLINE,
        source="FranceConnect",
    )
