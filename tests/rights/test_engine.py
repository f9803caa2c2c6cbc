"""Each rule reads the right months, and what we assume is said. (That our bulk arrays give OpenFisca's own answer
for complete situations is ``test_reference.py``.)"""

import datetime

from carteblanche.rights import catalogue, engine, services
from carteblanche.rights.engine import HouseholdSituation, MemberSituation, month_add
from carteblanche.rights.enums import Benefit, MemberRole, Tenure

M = datetime.date(2026, 11, 1)
ROLE_KEYS = {MemberRole.APPLICANT: "parents", MemberRole.PARTNER: "parents", MemberRole.CHILD: "enfants"}


def series(amount, months=24, until=M):
    return {month_add(until, -i): float(amount) for i in range(1, months + 1)}


def sarah():
    return HouseholdSituation(
        members=[
            MemberSituation(
                MemberRole.APPLICANT, datetime.date(1997, 4, 12), "Sarah", monthly={"salaire_net": series(950)}
            ),
            MemberSituation(MemberRole.CHILD, datetime.date(2023, 2, 1), "Léa"),
            MemberSituation(MemberRole.CHILD, datetime.date(2020, 6, 1), "Tom"),
        ],
        depcom="46042",
        tenure=Tenure.TENANT,
        rent=520.0,
    )


def couple_three_children_one_unemployed():
    return HouseholdSituation(
        members=[
            MemberSituation(
                MemberRole.APPLICANT, datetime.date(1985, 1, 5), "Karim", monthly={"salaire_net": series(1600)}
            ),
            MemberSituation(
                MemberRole.PARTNER,
                datetime.date(1987, 3, 9),
                "Julie",
                monthly={
                    "chomage_net": series(800, months=5),
                    "salaire_net": {month_add(M, -i): 1200.0 for i in range(6, 25)},
                },
                unemployment_start=month_add(M, -5),
            ),
            MemberSituation(MemberRole.CHILD, datetime.date(2012, 9, 1)),
            MemberSituation(MemberRole.CHILD, datetime.date(2016, 2, 1)),
            MemberSituation(MemberRole.CHILD, datetime.date(2019, 7, 1)),
        ],
        depcom="46042",
        tenure=Tenure.SOCIAL_TENANT,
        rent=430.0,
    )


def jobless_with_a_disability():
    return HouseholdSituation(
        members=[MemberSituation(MemberRole.APPLICANT, datetime.date(1970, 6, 1), "Paul", disability_rate=85)],
        depcom="46042",
        tenure=Tenure.TENANT,
        rent=380.0,
    )


def test_sarah_probable_rights_in_plain_french():
    evaluation = services.evaluate(sarah(), M)
    probable = {r["benefit"]: r for r in evaluation["results"] if r["eligible"]}
    assert {"ppa", "aide_logement", "af", "asf", "css_participation"} <= set(probable)
    assert "rsa" not in probable
    ppa = probable["ppa"]
    assert ppa["verdict"].startswith("Droit probable : environ")
    assert ppa["basis"] == "Calculé sur les ressources d'août 2026 à octobre 2026 (les 3 mois précédents)."
    assert "caf.fr" in ppa["procedure"]
    # Sorted by amount, probable rights first
    amounts = [r["yearly_value"] for r in evaluation["results"] if r["eligible"]]
    assert amounts == sorted(amounts, reverse=True)
    # What was assumed is said
    assert any("novembre 2026" in a and "repris" in a for a in evaluation["assumptions"])
    assert any("pension alimentaire" in a for a in evaluation["assumptions"])


def _with_salary(months_salaries):
    household = sarah()
    household.members[0].monthly["salaire_net"].update(months_salaries)
    return engine.compute([household], M)[0].amounts


def test_rsa_and_prime_d_activite_read_the_three_previous_months():
    base = _with_salary({})
    four_months_ago = _with_salary({month_add(M, -4): 3000.0})
    two_months_ago = _with_salary({month_add(M, -2): 3000.0})
    assert four_months_ago[Benefit.PPA] == base[Benefit.PPA]
    assert two_months_ago[Benefit.PPA] < base[Benefit.PPA]


def test_housing_aid_reads_twelve_months_ending_two_months_ago():
    base = _with_salary({})
    last_month = _with_salary({month_add(M, -1): 5000.0})
    two_months_ago = _with_salary({month_add(M, -2): 5000.0})
    fourteen_months_ago = _with_salary({month_add(M, -14): 5000.0})
    assert last_month[Benefit.HOUSING] == base[Benefit.HOUSING]
    assert fourteen_months_ago[Benefit.HOUSING] == base[Benefit.HOUSING]
    assert two_months_ago[Benefit.HOUSING] < base[Benefit.HOUSING]


def test_family_benefits_read_year_n_minus_2():
    def cf_with(year, amount):
        household = couple_three_children_one_unemployed()
        for m in range(1, 13):
            household.members[0].monthly["salaire_net"][datetime.date(year, m, 1)] = amount
        return engine.compute([household], M)[0].amounts[Benefit.CF]

    base = engine.compute([couple_three_children_one_unemployed()], M)[0].amounts[Benefit.CF]
    assert base > 0
    assert cf_with(2025, 6000.0) == base  # year N-1: not read
    assert cf_with(2024, 6000.0) == 0  # year N-2: above the ceiling


def test_missing_housing_and_disability_are_asked_not_assumed():
    household = sarah()
    household.tenure = ""
    evaluation = services.evaluate(household, M)
    rows = {r["benefit"]: r for r in evaluation["results"]}
    assert rows["aide_logement"]["evaluable"] is False
    assert rows["aah"]["evaluable"] is False
    assert any("l'aide au logement n'est pas évaluée" in m for m in evaluation["missing"])


def test_unknown_early_months_are_filled_and_said():
    household = sarah()
    household.members[0].monthly["salaire_net"] = series(950, months=6)
    prepared = engine.prepare(household, M)
    assert any("inconnu" in a and "janvier 2024" in a for a in prepared.assumptions)
    assert any("Revenus 2024" in m for m in prepared.missing)


def test_what_if_job_loss_lowers_the_prime_d_activite_and_raises_housing_aid():
    household = sarah()
    target = month_add(M, 3)
    changed, assumptions = services.apply(household, services.Scenario("perte_emploi", month_add(M, 1)), target)
    assert "70 %" in assumptions[0]
    before, after = engine.compute([household, changed], target)
    assert after.amounts[Benefit.PPA] < before.amounts[Benefit.PPA]  # unemployment benefit is no earned income
    assert after.amounts[Benefit.HOUSING] > before.amounts[Benefit.HOUSING]
    assert after.amounts[Benefit.ENERGY] == before.amounts[Benefit.ENERGY]  # year N-2 does not move
    assert changed.members[0].unemployment_start == month_add(M, 1)


def test_what_if_birth_adds_the_paje():
    household = sarah()
    target = month_add(M, 4)
    changed, _ = services.apply(
        household, services.Scenario("naissance", month_add(M, 2), birth_date=month_add(M, 2)), target
    )
    before, after = engine.compute([household, changed], target)
    assert before.amounts[Benefit.PAJE] == 0
    assert after.amounts[Benefit.PAJE] > 0


def test_a_salary_stops_when_unemployment_benefit_starts():
    household = sarah()
    household.members[0].monthly = {
        "salaire_net": {month_add(M, -i): 1500.0 for i in range(6, 25)},
        "chomage_net": {month_add(M, -i): 900.0 for i in range(1, 6)},
    }
    prepared = engine.prepare(household, M)
    months = engine.window(M)
    salary = prepared.series[0]["salaire_net"]
    assert salary[months.index(month_add(M, -6))] == 1500
    assert salary[months.index(month_add(M, -3))] == 0  # not carried past the start of the benefit
    assert salary[months.index(M)] == 0
    assert prepared.series[0]["chomage_net"][months.index(M)] == 900  # the newest news goes on
    assert prepared.series[0]["chomage_net"][months.index(month_add(M, -10))] == 0  # nor back before its start


def test_the_paid_health_cover_is_a_participation_the_household_pays_never_an_amount_it_could_get():
    figures = dict.fromkeys(engine._FIGURES, 0.0)
    amounts = dict.fromkeys(Benefit, 0.0)
    amounts[Benefit.CSS_PAID] = 23.0
    amounts[Benefit.RSA] = 100.0
    rows = {
        r["benefit"]: r for r in catalogue.describe(engine.Computed(amounts, figures), datetime.date(2026, 6, 1), {})
    }
    paid = rows[str(Benefit.CSS_PAID)]
    assert paid["eligible"] and paid["cover"] and paid["yearly_value"] == 0.0
    assert "participation d'environ 23\u00a0€ par mois, à payer par le foyer" in paid["verdict"].replace(
        "\u202f", "\u00a0"
    )
    assert "Droit probable : environ 23" not in paid["verdict"]
    assert sum(r["yearly_value"] for r in rows.values()) == 1200.0  # the RSA's year, nothing for the cover
