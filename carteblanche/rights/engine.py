"""Rights computed by OpenFisca-France, for many households at once.

One OpenFisca simulation is built per chunk of households from arrays (one row per person), so screening a
territory costs a few hundred microseconds per household instead of about a second each. Everything here
works on plain data (``HouseholdSituation``): no database, no consent logic; ``situations.py`` builds these
from the records a consent opens, and says what it had to assume.

Periods are OpenFisca's own: we give it every month of income from January of year N-2 to the month examined,
and each rule reads the months the law names (RSA and prime d'activité the 3 previous months, housing aid the
rolling 12 months ending 2 months ago, family benefits year N-2, the CSS the 12 previous months, the chèque
énergie the tax reference income of year N-2). What we do not know, we fill in and say so (``assumptions``).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import importlib.metadata
from dataclasses import dataclass, field

import numpy as np

from carteblanche.core import french

from .enums import Benefit, IncomeKind, MemberRole, Schooling, Tenure

RULES_VERSION = importlib.metadata.version("openfisca-france")

# Net to taxable salary: CSG non déductible (2.4 %) and CRDS (0.5 %) are taxed but not paid out.
TAXABLE_OVER_NET = 1.03
NET_OVER_GROSS = 0.78

# Our income kinds and the OpenFisca variables they feed (monthly, per person).
MONTHLY_VARIABLES = {
    IncomeKind.SALARY_NET: "salaire_net",
    IncomeKind.SALARY_TAXABLE: "salaire_imposable",
    IncomeKind.UNEMPLOYMENT_NET: "chomage_net",
    IncomeKind.UNEMPLOYMENT_TAXABLE: "chomage_imposable",
    IncomeKind.PENSION: "retraite_nette",
    IncomeKind.PENSION_TAXABLE: "retraite_imposable",
    IncomeKind.ALIMONY: "pensions_alimentaires_percues",
    IncomeKind.ALIMONY_PAID: "pensions_alimentaires_versees_individu",
}
# OpenFisca counts what a person pays as a negative amount.
_NEGATIVE = {"pensions_alimentaires_versees_individu"}
_TAXABLE_TWIN = {
    IncomeKind.SALARY_TAXABLE: IncomeKind.SALARY_NET,
    IncomeKind.UNEMPLOYMENT_TAXABLE: IncomeKind.UNEMPLOYMENT_NET,
    IncomeKind.PENSION_TAXABLE: IncomeKind.PENSION,
}
_YEARLY = {Benefit.ARS, Benefit.ENERGY, Benefit.BOURSE_COLLEGE, Benefit.BOURSE_LYCEE, Benefit.AGEPI}
# Paid once (for a job starting), at most once in twelve months: counted like a yearly right.
_ONCE = {Benefit.AGEPI}
# How OpenFisca names the CMG's childcare modes (family flags); the others open no CMG.
_CHILDCARE_FLAGS = {"emploi_direct": "empl_dir", "structure": "ass_mat", "garde_domicile": "gar_dom"}
# Where a job is (AGEPI), from the commune's département.
_PLACES = {
    "2A": "corse",
    "2B": "corse",
    "971": "guadeloupe",
    "972": "martinique",
    "973": "guyane",
    "974": "la_reunion",
    "975": "saint_pierre_et_miquelon",
    "976": "mayotte",
    "977": "saint_bartelemy",
    "978": "saint_martin",
}
_FAMILY_ROLES = {MemberRole.APPLICANT: "demandeur", MemberRole.PARTNER: "conjoint", MemberRole.CHILD: "enfant"}
_TAX_ROLES = {
    MemberRole.APPLICANT: "declarant_principal",
    MemberRole.PARTNER: "conjoint",
    MemberRole.CHILD: "personne_a_charge",
}
_HOUSEHOLD_ROLES = {
    MemberRole.APPLICANT: "personne_de_reference",
    MemberRole.PARTNER: "conjoint",
    MemberRole.CHILD: "enfant",
}
_TENURES = {
    Tenure.TENANT: "locataire_vide",
    Tenure.TENANT_FURNISHED: "locataire_meuble",
    Tenure.SOCIAL_TENANT: "locataire_hlm",
    Tenure.OWNER: "proprietaire",
    Tenure.OWNER_LOAN: "primo_accedant",
    Tenure.HOSTED: "loge_gratuitement",
    Tenure.HOMELESS: "sans_domicile",
}
_RENTING = {Tenure.TENANT, Tenure.TENANT_FURNISHED, Tenure.SOCIAL_TENANT}


# Incomes we never hold (nor do the households the counter meets, as a rule): nil, so that OpenFisca does not
# derive them month after month from empty gross amounts.
_NIL_MONTHLY = ("rente_accident_travail", "pensions_invalidite", "salaire_de_base")


def _beyond(months: list[datetime.date]) -> list[datetime.date]:
    """The months some rules read outside the window: the two years before it (the taxable incomes of year N-3,
    the base salary of N-4 in January), and up to December of next year (the next school year). A month read
    and not given is computed by OpenFisca's formulas: slower, never wrong."""
    before = [month_add(months[0], -i) for i in range(24, 0, -1)]
    after = [month_add(months[-1], i) for i in range(1, 14 - months[-1].month + 12)]
    return before + after


def month_add(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_label(month: datetime.date) -> str:
    return french.month(month)


def of_month(month: datetime.date) -> str:
    """« de mars 2026 », « d'août 2026 »: French elides before a vowel."""
    return french.of(month_label(month))


@dataclass
class MemberSituation:
    role: str
    birth_date: datetime.date
    first_name: str = ""
    disability_rate: int | None = None
    # France Travail: registered (None: not known), since when, and until when if the registration ended.
    job_seeker: bool | None = None
    unemployment_start: datetime.date | None = None
    job_seeker_until: datetime.date | None = None
    student: bool = False  # in higher education (OpenFisca's « étudiant » status)
    unable_to_work: bool = False  # « inapte au travail » (ASPA before 65, AAH)
    employment_restriction: bool = False  # « restriction substantielle et durable d'accès à l'emploi » (AAH 50-79 %)
    pregnant: bool = False  # in the month examined
    alternating_custody: bool = False  # a child living half the time with the other parent
    ass_precondition: bool | None = None  # worked 5 years in the 10 before the last contract ended (ASS)
    special_care: bool = False  # a child at 50-79 % in a specialised school or with care at home (AEEH)
    aeeh_complement: int | None = None  # the AEEH complement category the MDPH granted, 1 to 6
    schooling: str = ""  # a child's school: « college », « lycee » (the school grants)
    childcare: str = ""  # a young child's childcare (ChildcareMode): the CMG reads it; "" when not known
    # A job starting (France Travail's AGEPI): start date, contract (ContractType), its length in months (None for a
    # CDI), hours a week, and the gross daily unemployment benefit (ARE) France Travail pays, if any.
    job_start: datetime.date | None = None
    contract_type: str = ""
    contract_months: float | None = None
    weekly_hours: float | None = None
    daily_benefit: float | None = None
    # kind -> {first day of month: amount}
    monthly: dict[str, dict[datetime.date, float]] = field(default_factory=dict)
    # kind -> {year: amount}, from the tax return
    annual: dict[str, dict[int, float]] = field(default_factory=dict)


@dataclass
class HouseholdSituation:
    members: list[MemberSituation]
    depcom: str = ""
    tenure: str = ""
    rent: float | None = None
    # benefit -> amount received recently (per month, or per year for yearly benefits)
    received: dict[str, float] = field(default_factory=dict)
    income_known: bool = True
    # False for a file where no income at all is recorded yet (a new file): not examined as if it earned 0 €.
    income_recorded: bool = True
    household_known: bool = True
    benefits_known: bool = True
    key: object = None
    withheld: list[str] = field(default_factory=list)  # members whose own records a consent keeps out

    def copy(self) -> HouseholdSituation:
        return dataclasses.replace(
            self,
            members=[
                dataclasses.replace(
                    m,
                    monthly={k: dict(v) for k, v in m.monthly.items()},
                    annual={k: dict(v) for k, v in m.annual.items()},
                )
                for m in self.members
            ],
            received=dict(self.received),
        )


@dataclass
class Prepared:
    """A household's inputs on the month window, and the French sentences saying what was assumed."""

    series: list[dict[str, np.ndarray]]  # per member: OpenFisca variable -> amounts over the window
    activities: list[list[str]]  # per member: OpenFisca's « activite » for each month of the window
    assumptions: list[str]
    missing: list[str]
    housing_known: bool
    disability_known: bool
    not_evaluable: set[str] = field(default_factory=set)  # rights a missing fact keeps from being evaluated
    why_not: dict[str, str] = field(default_factory=dict)  # right -> what is missing, « le taux d'incapacité… »


@functools.lru_cache(maxsize=64)
def window(month: datetime.date) -> tuple[datetime.date, ...]:
    """Every month OpenFisca may read for ``month``: January of year N-2 up to the month itself."""
    start = datetime.date(month.year - 2, 1, 1)
    return tuple(month_add(start, i) for i in range(24 + month.month))


@functools.lru_cache(maxsize=64)
def _positions(months: tuple[datetime.date, ...]) -> dict[datetime.date, int]:
    return {m: i for i, m in enumerate(months)}


def _fill(
    known: dict,
    months: list[datetime.date],
    annual: dict[int, float],
    horizon: datetime.date | None,
    member_last: datetime.date | None = None,
):
    """A dense series over ``months`` from the known months, and what had to be assumed to fill it.

    Months after the last known one repeat it (the situation goes on), if it is among the newest news of this
    person (``member_last``): a salary that stopped when unemployment benefit started is zero after it. Before
    ``horizon``, the first month
    anything is known of this person, amounts come from the yearly tax return when there is one, else repeat
    the first known month of a kind known since the horizon. A kind that starts later (unemployment benefit
    after a job) is zero before it starts: its absence is known.
    """
    values = np.zeros(len(months))
    if not known and not annual:
        return values, None, None
    index = _positions(tuple(months))
    known_in = {m: v for m, v in known.items() if m in index}
    if not known_in and not annual:
        return values, None, None
    for m, v in known_in.items():
        values[index[m]] = v
    carried_forward = carried_back = None
    first = min(known_in) if known_in else None
    if known_in:
        last = max(known_in)
        after = [m for m in months if m > last]
        if after and (member_last is None or last >= member_last):
            values[index[after[0]] :] = known_in[last]
            carried_forward = (after[0], after[-1], last)
    before = [m for m in months if horizon is None or m < horizon]
    by_year: dict[int, list[datetime.date]] = {}
    for m in before:
        by_year.setdefault(m.year, []).append(m)
    estimated_years = []
    for year, gap in by_year.items():
        if year in annual:
            known_sum = sum(v for m, v in known_in.items() if m.year == year)
            per_month = max(annual[year] - known_sum, 0) / len(gap)
            for m in gap:
                values[index[m]] = per_month
        elif first is not None and first == horizon:
            for m in gap:
                values[index[m]] = known_in[first]
            estimated_years.append(year)
    if estimated_years:
        carried_back = (before[0], before[-1], first, estimated_years)
    return values, carried_forward, carried_back


def activities(member: MemberSituation, series: dict[str, np.ndarray], months: list[datetime.date]) -> list[str]:
    """The person's status each month, as the rules read it: student, job seeker, in work, retired or inactive.

    A job seeker is registered at France Travail from ``unemployment_start`` (until ``job_seeker_until``, or still
    unless France Travail says otherwise), with or without benefit; a month of unemployment benefit means
    registered too. Being a job seeker comes before a salary: a part-time job does not end the registration.
    """
    if member.student:
        return ["etudiant"] * len(months)
    status = np.full(len(months), "inactif", dtype=object)
    status[series["retraite_nette"] > 0] = "retraite"
    status[series["salaire_net"] > 0] = "actif"
    registered = series["chomage_net"] > 0
    if member.unemployment_start and (member.job_seeker_until or member.job_seeker is not False):
        since = member.unemployment_start.replace(day=1)
        until = member.job_seeker_until.replace(day=1) if member.job_seeker_until else datetime.date.max
        registered |= np.array([since <= m <= until for m in months])
    status[registered] = "chomeur"
    return status.tolist()


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def prepare(household: HouseholdSituation, month: datetime.date) -> Prepared:
    months = window(month)
    assumptions: list[str] = []
    missing: list[str] = []
    series, statuses = [], []
    for member in household.members:
        name = member.first_name or ("la personne" if member.role == MemberRole.APPLICANT else "un membre du foyer")
        of_name = french.of(name)
        monthly = {k: dict(v) for k, v in member.monthly.items() if v}
        annual = member.annual
        # Derive what organisations rarely send together: taxable from net, net from gross.
        gross = monthly.pop(IncomeKind.SALARY_GROSS, {})
        if gross and IncomeKind.SALARY_NET not in monthly:
            monthly[IncomeKind.SALARY_NET] = {m: v * NET_OVER_GROSS for m, v in gross.items()}
            assumptions.append(f"Salaire net {of_name} estimé à 78 % du brut transmis.")
        for taxable, net in _TAXABLE_TWIN.items():
            if net in monthly and taxable not in monthly:
                monthly[taxable] = {m: v * TAXABLE_OVER_NET for m, v in monthly[net].items()}
                assumptions.append(
                    f"{IncomeKind(taxable).label} {of_name} : estimation à partir du montant net "
                    "(+3 % de CSG et CRDS)."
                )
        member_series = {}
        in_window = [[m for m in v if m >= months[0]] for v in monthly.values()]
        horizon = min((min(v) for v in in_window if v), default=None)
        member_last = max((max(v) for v in in_window if v), default=None)
        if member.monthly.get(IncomeKind.SELF_EMPLOYED):
            missing.append(
                f"Revenus d'activité indépendante {of_name} : ils ne sont pas pris en compte ; le bénéfice déclaré "
                "(BIC, BNC ou agricole) est à demander."
            )
        for kind, variable in MONTHLY_VARIABLES.items():
            values, forward, back = _fill(monthly.get(kind, {}), months, annual.get(kind, {}), horizon, member_last)
            member_series[variable] = values
            if not (forward or back) or kind in _TAXABLE_TWIN:
                continue
            label = IncomeKind(kind).label
            if forward and kind not in _TAXABLE_TWIN:
                start, end, last = forward
                span = f"en {month_label(start)}" if start == end else f"{of_month(start)} à {month_label(end)}"
                assumptions.append(
                    f"{label} {of_name} {span} : montant {of_month(last)} repris "
                    f"({french.euros(values[months.index(last)], 0)} par mois), la situation étant supposée inchangée."
                )
            if back and kind not in _TAXABLE_TWIN:
                start, end, first, years = back
                assumptions.append(
                    f"{label} {of_name} {of_month(start)} à {month_label(end)} : montant inconnu, "
                    f"celui {of_month(first)} est repris."
                )
                for year in years:
                    if year == month.year - 2:
                        missing.append(
                            f"Revenus {year} {of_name} (avis d'impôt {year + 1}) : ils fondent les prestations "
                            "familiales et le chèque énergie."
                        )
        series.append(member_series)
        statuses.append(activities(member, member_series, months))
        if member.student:
            assumptions.append(f"{name[0].upper()}{name[1:]} : études supérieures retenues sur les 24 derniers mois.")
        if member.monthly.get(IncomeKind.UNEMPLOYMENT_NET) and not member.unemployment_start:
            missing.append(
                f"Date d'inscription {of_name} à France Travail : l'aide au logement et la complémentaire santé "
                "solidaire en tiennent compte."
            )
    if not household.income_known:
        missing.append(
            "Revenus des 24 derniers mois : ils ne sont pas couverts par le consentement, aucun droit n'est évalué."
        )
    elif not household.income_recorded:
        missing.append(
            "Revenus des 24 derniers mois : aucun n'est enregistré dans ce dossier, aucun droit n'est évalué. "
            "Demandez les bulletins de salaire, les attestations de paiement de France Travail, les relevés de "
            "pension ou d'indemnités journalières, ou enregistrez 0 € s'il n'y a vraiment eu aucun revenu."
        )
    if not household.household_known:
        assumptions.append(
            "Composition du foyer non partagée : le foyer est supposé composé de la seule personne (ni conjoint ou "
            "conjointe, ni enfant à charge)."
        )
    if not household.benefits_known:
        missing.append("Prestations déjà perçues : non partagées, on ne peut pas dire si un droit est déjà ouvert.")
    if not household.tenure:
        assumptions.append(
            "Logement inconnu : le RSA et la prime d'activité sont calculés sans forfait logement, ce qui peut les "
            "surestimer."
        )
    housing_known = bool(household.depcom and household.tenure)
    if household.tenure in _RENTING and household.rent is None:
        housing_known = False
    if not housing_known:
        missing.append(
            "Commune, statut d'occupation du logement et loyer : sans eux l'aide au logement n'est pas évaluée."
        )
    disability_known = any(m.disability_rate is not None for m in household.members if m.role != MemberRole.CHILD)
    not_evaluable = set() if disability_known else {Benefit.AAH}
    if not disability_known:
        missing.append(
            "Taux d'incapacité reconnu par la MDPH, s'il y en a un (adulte du foyer) : il ouvre l'allocation aux "
            "adultes handicapés (AAH)."
        )
    children = [m for m in household.members if m.role == MemberRole.CHILD]
    if children and all(c.disability_rate is None for c in children):
        not_evaluable.add(Benefit.AEEH)
        missing.append(
            "Taux d'incapacité d'un enfant reconnu par la MDPH, s'il y en a un : il ouvre l'allocation d'éducation "
            "de l'enfant handicapé (AEEH)."
        )
    for index, member in enumerate(household.members):
        name = member.first_name or ("la personne" if member.role == MemberRole.APPLICANT else "un membre du foyer")
        of_name = french.of(name)
        unpaid_job_seeker = statuses[index][-1] == "chomeur" and not series[index]["chomage_net"][-1]
        if member.role != MemberRole.CHILD and unpaid_job_seeker and member.ass_precondition is None:
            not_evaluable.add(Benefit.ASS)
            missing.append(
                f"Années de travail {of_name} (5 ans dans les 10 ans avant la fin du dernier contrat) : elles "
                "ouvrent l'allocation de solidarité spécifique."
            )
        if member.job_start is not None:
            facts = (("le contrat", member.contract_type), ("les heures par semaine", member.weekly_hours))
            unknown = [label for label, value in facts if value in ("", None)]
            if member.contract_type and member.contract_type != "cdi" and member.contract_months is None:
                unknown.append("la durée du contrat")
            if series[index]["chomage_net"][-1] > 0 and member.daily_benefit is None:
                unknown.append("le montant journalier de l'allocation chômage")
            if unknown:
                not_evaluable.add(Benefit.AGEPI)
                missing.append(
                    f"Nouvel emploi {of_name} : {', '.join(unknown)} ; l'aide à la garde d'enfants pour parent isolé "
                    "(AGEPI) en dépend."
                )
            elif statuses[index][-1] != "chomeur":
                assumptions.append(
                    f"Nouvel emploi {of_name} : l'AGEPI suppose une inscription à France Travail au moment de la "
                    "demande ; elle n'est pas connue ce mois-ci."
                )
    young = [c for c in children if _age(c.birth_date, month) < 6]
    if any(not c.childcare for c in young):
        not_evaluable.add(Benefit.CMG)
        missing.append(
            "Mode de garde des enfants de moins de 6 ans (crèche, assistante maternelle, garde à domicile) : il ouvre "
            "le complément de libre choix du mode de garde."
        )
    if any(m.job_start is not None for m in household.members):
        assumptions.append(f"AGEPI : la demande est supposée faite le 1er {month_label(month)}.")
    pupils = [c for c in children if 11 <= _age(c.birth_date, month) <= 18 and not c.schooling]
    if pupils:
        not_evaluable.update({Benefit.BOURSE_COLLEGE, Benefit.BOURSE_LYCEE})
        missing.append("Scolarité des enfants de 11 à 18 ans (collège ou lycée) : elle ouvre les bourses.")
    why_not = {benefit: WHY_NOT_EVALUATED[benefit] for benefit in not_evaluable}
    if not housing_known:
        why_not[Benefit.HOUSING] = "la commune, le statut d'occupation du logement ou le loyer"
    if not household.income_known:
        why_not = dict.fromkeys(Benefit, "les revenus, que le consentement ne couvre pas")
    elif not household.income_recorded:
        why_not = dict.fromkeys(Benefit, "les revenus des 24 derniers mois, aucun n'étant enregistré")
    return Prepared(
        series,
        statuses,
        list(dict.fromkeys(assumptions)),
        list(dict.fromkeys(missing)),
        housing_known,
        disability_known,
        not_evaluable,
        why_not,
    )


# What keeps a right from being evaluated, as « Non évalué : il manque … ».
WHY_NOT_EVALUATED = {
    Benefit.AAH: "le taux d'incapacité reconnu par la MDPH, s'il y en a un",
    Benefit.AEEH: "le taux d'incapacité de l'enfant reconnu par la MDPH, s'il y en a un",
    Benefit.ASS: "les années de travail avant la fin du dernier contrat",
    Benefit.AGEPI: "des précisions sur le nouvel emploi",
    Benefit.CMG: "le mode de garde des enfants de moins de 6 ans",
    Benefit.BOURSE_COLLEGE: "la scolarité des enfants de 11 à 18 ans",
    Benefit.BOURSE_LYCEE: "la scolarité des enfants de 11 à 18 ans",
}


@functools.cache
def tax_benefit_system():
    """Loading the French rules takes a few seconds: once per process."""
    from openfisca_france import FranceTaxBenefitSystem

    from .openfisca_speed import install

    install()
    return FranceTaxBenefitSystem()


# What we compute, and the intermediate figures we show to explain it.
_MONTHLY_RESULTS = {
    Benefit.RSA: "rsa",
    Benefit.PPA: "ppa",
    Benefit.HOUSING: "aide_logement",
    Benefit.AF: "af",
    Benefit.ASF: "asf",
    Benefit.CF: "cf",
    Benefit.PAJE: "paje_base",
    Benefit.ASPA: "aspa",
    Benefit.AEEH: "aeeh",
    Benefit.BOURSE_COLLEGE: "bourse_college",
    Benefit.BOURSE_LYCEE: "bourse_lycee",
}
_FIGURES = {
    "rsa_base_ressources": "Ressources mensuelles retenues pour le RSA",
    "rsa_socle": "Montant forfaitaire du RSA pour votre foyer",
    "ppa_base_ressources": "Ressources mensuelles retenues pour la prime d'activité",
    "aide_logement_base_ressources": "Ressources annuelles retenues pour l'aide au logement",
    "prestations_familiales_base_ressources": "Ressources annuelles retenues pour les prestations familiales",
    "css_cmu_base_ressources": "Ressources annuelles retenues pour la complémentaire santé solidaire",
    "cmu_c_plafond": "Plafond de la complémentaire santé solidaire gratuite",
    "acs_plafond": "Plafond de la complémentaire santé solidaire avec participation",
}


@dataclass
class Computed:
    """Raw amounts for one household: benefit -> amount (None when not evaluable), and figures."""

    amounts: dict[str, float | None]
    figures: dict[str, float]
    why_not: dict[str, str] = field(default_factory=dict)  # not evaluated: what is missing


def compute(households: list[HouseholdSituation], month: datetime.date, prepared: list[Prepared] | None = None):
    """Rights of every household for ``month``, in one OpenFisca simulation. Returns one ``Computed`` each."""
    from openfisca_core import periods
    from openfisca_core.simulation_builder import SimulationBuilder

    tbs = tax_benefit_system()
    prepared = prepared or [prepare(h, month) for h in households]
    months = window(month)
    n = len(households)
    sizes = np.array([len(h.members) for h in households])
    person_household = np.repeat(np.arange(n), sizes)
    members = [m for h in households for m in h.members]
    p = len(members)
    roles = [m.role for m in members]

    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("individu", np.arange(p))
    for entity, mapping in (("famille", _FAMILY_ROLES), ("foyer_fiscal", _TAX_ROLES), ("menage", _HOUSEHOLD_ROLES)):
        population = builder.declare_entity(entity, np.arange(n))
        builder.join_with_persons(population, person_household, [mapping[r] for r in roles])
    simulation = builder.build(tbs)

    eternity = periods.period("eternity")
    _put(simulation, "date_naissance", eternity, np.array([m.birth_date for m in members], dtype="datetime64[D]"))
    if any(m.unemployment_start for m in members):
        default = tbs.variables["date_debut_chomage"].default_value
        start = [m.unemployment_start or default for m in members]
        _put(simulation, "date_debut_chomage", eternity, np.array(start, dtype="datetime64[D]"))

    # Incomes: one (persons × months) matrix per variable, one set_input per month.
    person_series = [s for prep in prepared for s in prep.series]
    variables = list(MONTHLY_VARIABLES.values())
    # One (persons × variables × months) array, built in one call.
    incomes = (
        np.array([[s[v] for v in variables] for s in person_series])
        if p
        else np.zeros((0, len(variables), len(months)))
    )
    for k, variable in enumerate(variables):
        # Zeros too: an income we know to be nil is an input, not a formula OpenFisca would evaluate from
        # gross amounts and contributions (the salary's chain alone is hundreds of variables over the months).
        matrix = incomes[:, k, :]
        if variable in _NEGATIVE:
            matrix = -matrix
        for column, m in enumerate(months):
            _put(simulation, variable, _month_period(m), matrix[:, column])
    # Some rules look further than the window (an earlier year's tax return, the next school year): incomes
    # nobody sent us there are nil, as OpenFisca's own formulas would find from empty inputs, without computing.
    nothing = np.zeros(p)
    for m in _beyond(months):
        period_m = _month_period(m)
        for variable in (*MONTHLY_VARIABLES.values(), *_NIL_MONTHLY):
            _put(simulation, variable, period_m, nothing)
    for m in (*months, *_beyond(months)):
        period_m = _month_period(m)
        for variable in _NIL_MONTHLY:
            _put(simulation, variable, period_m, nothing)

    # Statuses: what each person is each month (job seeker, student...), and the facts the rules read as such.
    from openfisca_core.indexed_enums import EnumArray

    activity_enum = tbs.variables["activite"].possible_values
    code = {item.name: item.index for item in activity_enum}
    # Encoded here, once (OpenFisca would hash each of persons × months enum items to encode them).
    activity = EnumArray(
        np.array(
            [[code[a] for a in person] for prep in prepared for person in prep.activities], dtype=np.int16
        ).reshape(p, len(months)),
        activity_enum,
    )
    # Facts the rules read as such, the same each month: inability to work, the AAH's employment restriction,
    # alternating custody; a child's disability (AEEH: 80 % or more, or 50 to 79 % with specialised schooling or
    # care) and the complement granted; the ASS's work condition; where children go to school.
    child_disabled = [
        m.role == MemberRole.CHILD
        and (m.disability_rate or 0) >= 50
        and ((m.disability_rate or 0) >= 80 or m.special_care)
        for m in members
    ]
    schooling_enum = tbs.variables["scolarite"].possible_values
    flags = {
        "inapte_travail": np.array([m.unable_to_work for m in members]),
        "aah_restriction_substantielle_durable_acces_emploi": np.array([m.employment_restriction for m in members]),
        "garde_alternee": np.array([m.alternating_custody for m in members]),
        "handicap": np.array(child_disabled),
        "aeeh_niveau_handicap": np.array([m.aeeh_complement or 0 for m in members]),
        "ass_precondition_remplie": np.array([bool(m.ass_precondition) for m in members]),
    }
    flags = {name: values for name, values in flags.items() if values.any()}
    if any(m.schooling for m in members):
        flags["scolarite"] = np.array([schooling_enum[m.schooling or "inconnue"] for m in members], dtype=object)
    for column, m in enumerate(months):
        period = _month_period(m)
        _put(simulation, "activite", period, activity[:, column])
        for name, values in flags.items():
            _put(simulation, name, period, values)
    pregnant = np.array([m.pregnant for m in members])
    if pregnant.any():
        _put(simulation, "enceinte", _month_period(month), pregnant)

    rate = np.array([m.disability_rate or 0 for m in members], dtype=float) / 100
    tenure_enum = tbs.variables["statut_occupation_logement"].possible_values
    tenures = np.array([tenure_enum[_TENURES.get(h.tenure, "non_renseigne")] for h in households], dtype=object)
    depcom = np.array([h.depcom or "46042" for h in households])
    rent = np.array([h.rent or 0.0 for h in households], dtype=float)
    has_home = np.array([h.tenure not in ("", Tenure.HOMELESS) for h in households])
    # Housing lasts: the household lives there over the whole window (the CSS forfait logement reads it).
    for m in months:
        period = _month_period(m)
        _put(simulation, "taux_incapacite", period, rate)
        _put(simulation, "statut_occupation_logement", period, tenures)
        _put(simulation, "depcom", period, depcom)
        _put(simulation, "loyer", period, rent)
    for year in {month.year, month.year + 1}:
        _put(simulation, "cheque_energie_eligibilite_logement", periods.period(str(year)), has_home)

    period = _month_period(month)
    # A job starting, for the AGEPI: registered at France Travail (category 1) when asking, the place of work,
    # the contract, its length and weekly hours, the daily benefit; asked on the first day of the month examined.
    starting = np.array([m.job_start is not None for m in members])
    if starting.any():
        category_enum = tbs.variables["pole_emploi_categorie_demandeur_emploi"].possible_values
        place_enum = tbs.variables["lieu_emploi_ou_formation"].possible_values
        contract_enum = tbs.variables["contrat_de_travail_type"].possible_values
        intensity_enum = tbs.variables["type_intensite_activite"].possible_values
        person_depcom = np.repeat(depcom, sizes)
        registered = activity[:, -1] == activity_enum["chomeur"]
        no_date = tbs.variables["contrat_de_travail_debut"].default_value
        job_inputs = {
            "pole_emploi_categorie_demandeur_emploi": np.array(
                [category_enum["categorie_1" if r else "pas_de_categorie"] for r in registered], dtype=object
            ),
            "lieu_emploi_ou_formation": np.array(
                [
                    place_enum[place_of_work(d) if s else "non_renseigne"]
                    for d, s in zip(person_depcom, starting, strict=True)
                ],
                dtype=object,
            ),
            "contrat_de_travail_debut": np.array([m.job_start or no_date for m in members], dtype="datetime64[D]"),
            "contrat_de_travail_type": np.array(
                [contract_enum[m.contract_type or "cdi"] for m in members], dtype=object
            ),
            "contrat_de_travail_duree": np.array([m.contract_months or 0 for m in members], dtype=float),
            "agepi_date_demande": np.array([month] * p, dtype="datetime64[D]"),
            "type_intensite_activite": np.array(
                [intensity_enum["hebdomadaire" if s else "inconnue"] for s in starting], dtype=object
            ),
            "agepi_temps_travail_en_heure": np.array([m.weekly_hours or 0 for m in members], dtype=float),
            "allocation_retour_emploi_journaliere": np.array([m.daily_benefit or 0 for m in members], dtype=float),
        }
        for name, values in job_inputs.items():
            _put(simulation, name, period, values)
    # The CMG reads the family's childcare (a child under 6 with a childminder, a micro-crèche or at home) and
    # whether a parent is without activity (neither working, nor a paid job seeker, nor a student).
    family_modes = [{c.childcare for c in h.members if c.role == MemberRole.CHILD} for h in households]
    with_childcare = any(modes & set(_CHILDCARE_FLAGS) for modes in family_modes)
    if with_childcare:
        for mode, flag in _CHILDCARE_FLAGS.items():
            _put(simulation, flag, period, np.array([mode in modes for modes in family_modes]))
        benefit_now = np.array([s["chomage_net"][-1] > 0 for prep in prepared for s in prep.series])
        last = activity[:, -1]
        idle = (last == activity_enum["inactif"]) | (last == activity_enum["retraite"])
        idle |= (last == activity_enum["chomeur"]) & ~benefit_now
        parent = np.array([r != MemberRole.CHILD for r in roles])
        inactive = np.bincount(person_household, weights=(idle & parent).astype(float), minlength=n) > 0
        _put(simulation, "inactif", period, inactive)
    for variable in _nil_benefits(members, prepared, month):
        entity = tbs.variables[variable].entity.key
        zeros = np.zeros(p if entity == "individu" else n)
        for m in months:  # the rules read them within the window only
            _put(simulation, variable, _month_period(m), zeros)

    results = {}
    for benefit, variable in _MONTHLY_RESULTS.items():
        results[benefit] = simulation.calculate(variable, period)
    free_css = simulation.calculate("cmu_c", period)
    results[Benefit.CSS_FREE] = free_css.astype(float)
    results[Benefit.CSS_PAID] = simulation.calculate("css_participation_forfaitaire", period)
    rentree = month.year if month.month <= 8 else month.year + 1
    results[Benefit.ARS] = simulation.calculate("ars", periods.period(str(rentree)))
    results[Benefit.ENERGY] = simulation.calculate("cheque_energie", periods.period(str(month.year)))
    for benefit, variable in ((Benefit.AAH, "aah"), (Benefit.ASS, "ass")):  # per person: the household's sum
        per_person = simulation.calculate(variable, period)
        results[benefit] = np.bincount(person_household, weights=per_person, minlength=n)
    # Without a job starting or a paid childcare, OpenFisca gives no AGEPI or CMG: not asked (it costs seconds).
    agepi = simulation.calculate("agepi", period) if starting.any() else np.zeros(p)
    results[Benefit.AGEPI] = np.bincount(person_household, weights=agepi, minlength=n)
    results[Benefit.CMG] = simulation.calculate("paje_cmg", period) if with_childcare else np.zeros(n)
    figures = {name: simulation.calculate(name, period) for name in _FIGURES}

    out = []
    for i, prep in enumerate(prepared):
        amounts = {}
        for benefit, values in results.items():
            amount = float(values[i])
            unknown_housing = benefit == Benefit.HOUSING and not prep.housing_known
            unknown_income = not households[i].income_known or not households[i].income_recorded
            if unknown_income or unknown_housing or benefit in prep.not_evaluable:
                amounts[benefit] = None
            else:
                amounts[benefit] = round(amount, 2)
        if amounts[Benefit.CSS_FREE]:
            amounts[Benefit.CSS_PAID] = 0.0
        figures_i = {name: round(float(values[i]), 2) for name, values in figures.items()}
        out.append(Computed(amounts, figures_i, {b: w for b, w in prep.why_not.items() if amounts.get(b) is None}))
    return out


@functools.lru_cache(maxsize=512)
def _month_period(m: datetime.date):
    from openfisca_core import periods

    return periods.period(f"{m:%Y-%m}")


def _put(simulation, variable: str, period, values):
    """An input, as ``simulation.set_input`` gives it when the period is the variable's own (a month for a
    monthly variable: no dividing or spreading to do), without its checks of the name and the period on each of
    the thousand inputs of a simulation."""
    holder = simulation.get_holder(variable)
    own = holder.variable
    if own.definition_period == period.unit and not own.is_neutralized and own.end is None:
        holder._set(period, values)
    else:
        simulation.set_input(variable, period, values)


def nil_benefits_key(household: HouseholdSituation, month: datetime.date) -> tuple[bool, ...]:
    """Which benefits ``_nil_benefits`` may give as nil for this household alone: households of the same key
    computed together keep those savings in bulk (see ``screening.screen``)."""
    horizon = datetime.date(month.year + 2, 1, 1)
    return (
        any((m.disability_rate or 0) >= 50 for m in household.members),
        any(_age(m.birth_date, horizon) >= 62 for m in household.members),
        any(m.ass_precondition for m in household.members),
        *(any(m.schooling == school for m in household.members) for school in Schooling.values),
    )


def _nil_benefits(members, prepared, month) -> list[str]:
    """Benefits that OpenFisca's own formulas make nil for every person of this simulation, given as nil inputs
    so that it does not evaluate them month after month (the AAH alone was half of a household's time). Each
    condition is the formula's own gate, on the facts we give it:

    - AAH (and its base, its complement): a disability rate of at least 50 % (``aah_eligible``);
    - ASI: an invalidity pension, which we never hold (given as nil), or a disabled person with a pension;
    - ASPA: 65 years of age, or the legal retirement age with a disability or inability to work: nobody 62 by the
      last month any rule reads;
    - ASS: the work condition (``ass_precondition_remplie``), which only the counter records;
    - school grants: a child at the collège (``bourse_college``) or the lycée (``bourse_lycee``); the higher
      education grant (``bourse_criteres_sociaux``) a student of higher education, which the rules know only from
      ``scolarite`` and we never give (students are known by their activity).
    """
    nil = []
    if all((m.disability_rate or 0) < 50 for m in members):
        nil += ["aah_base", "aah", "caah"]
        disabled_with_pension = False
    else:
        disabled_with_pension = any(
            (m.disability_rate or 0) >= 50 and s["retraite_nette"].any()
            for m, s in zip(members, (s for prep in prepared for s in prep.series), strict=True)
        )
    if not disabled_with_pension:
        nil += ["asi"]
        if "aah" in nil:
            nil += ["aah_base_non_cumulable"]  # the invalidity pension and last month's ASI
    horizon = datetime.date(month.year + 2, 1, 1)
    if all(_age(m.birth_date, horizon) < 62 for m in members):
        nil += ["aspa"]
    if not any(m.ass_precondition for m in members):
        nil += ["ass"]
    schoolings = {m.schooling for m in members}
    nil += [f"bourse_{school}" for school in Schooling.values if school not in schoolings]
    nil += ["bourse_criteres_sociaux"]
    return nil


def is_yearly(benefit: str) -> bool:
    return benefit in _YEARLY


def is_once(benefit: str) -> bool:
    return benefit in _ONCE


def place_of_work(depcom: str) -> str:
    """OpenFisca's « lieu_emploi_ou_formation » for a job in this commune (we know where the person lives)."""
    return _PLACES.get(depcom[:3], _PLACES.get(depcom[:2], "metropole_hors_corse"))
