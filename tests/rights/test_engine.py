"""Rights computed in bulk from arrays match OpenFisca's own API, and each rule reads the right months."""

import datetime

import pytest
from openfisca_core.simulation_builder import SimulationBuilder

from carteblanche.rights import engine, services
from carteblanche.rights.engine import HouseholdSituation, MemberSituation, month_add
from carteblanche.rights.enums import Benefit, IncomeKind, MemberRole, Tenure

M = datetime.date(2026, 11, 1)
ROLE_KEYS = {MemberRole.APPLICANT: "parents", MemberRole.PARTNER: "parents", MemberRole.CHILD: "enfants"}


def series(amount, months=24, until=M):
    return {month_add(until, -i): float(amount) for i in range(1, months + 1)}


def openfisca_reference(household: HouseholdSituation, month=M):
    """The same household through OpenFisca's documented dict API, every month written out by hand."""
    months = engine.window(month)
    individus, parents, enfants = {}, [], []
    for index, member in enumerate(household.members):
        key = f"p{index}"
        person = {"date_naissance": {"ETERNITY": member.birth_date.isoformat()}}
        newest = max((max(v) for v in member.monthly.values() if v), default=None)
        oldest = min((min(v) for v in member.monthly.values() if v), default=None)
        for kind, variable in ((IncomeKind.SALARY_NET, "salaire_net"), (IncomeKind.UNEMPLOYMENT_NET, "chomage_net")):
            known = member.monthly.get(kind, {})
            if not known:
                continue
            # After its last month, an income goes on only if nothing newer is known of the person (a salary
            # stops when unemployment benefit starts).
            last = known[max(known)] if max(known) == newest else 0.0
            # Before its first month, it is the same as then only if it is the oldest news of the person.
            first = known[min(known)] if min(known) == oldest else 0.0
            values = {f"{m:%Y-%m}": known.get(m, last if m > max(known) else first) for m in months}
            person[variable] = values
            taxable = "salaire_imposable" if variable == "salaire_net" else "chomage_imposable"
            person[taxable] = {k: v * 1.03 for k, v in values.items()}
        if member.unemployment_start:
            person["date_debut_chomage"] = {"ETERNITY": member.unemployment_start.isoformat()}
        if member.disability_rate is not None:
            person["taux_incapacite"] = {f"{m:%Y-%m}": member.disability_rate / 100 for m in months}
        individus[key] = person
        (enfants if member.role == MemberRole.CHILD else parents).append(key)
    tenure = {"locataire": "locataire_vide", "locataire_hlm": "locataire_hlm", "proprietaire": "proprietaire"}
    menage = {
        "personne_de_reference": parents[:1],
        "enfants": enfants,
        "depcom": {f"{m:%Y-%m}": household.depcom for m in months},
        "loyer": {f"{m:%Y-%m}": household.rent or 0 for m in months},
        "statut_occupation_logement": {f"{m:%Y-%m}": tenure[household.tenure] for m in months},
        "cheque_energie_eligibilite_logement": {str(month.year): True},
    }
    if len(parents) > 1:
        menage["conjoint"] = parents[1:]
    case = {
        "individus": individus,
        "familles": {"f": {"parents": parents, "enfants": enfants}},
        "foyers_fiscaux": {"ff": {"declarants": parents, "personnes_a_charge": enfants}},
        "menages": {"m": menage},
    }
    simulation = SimulationBuilder().build_from_entities(engine.tax_benefit_system(), case)
    period = f"{month:%Y-%m}"
    rentree = month.year if month.month <= 8 else month.year + 1
    return {
        Benefit.RSA: simulation.calculate("rsa", period)[0],
        Benefit.PPA: simulation.calculate("ppa", period)[0],
        Benefit.HOUSING: simulation.calculate("aide_logement", period)[0],
        Benefit.AF: simulation.calculate("af", period)[0],
        Benefit.ASF: simulation.calculate("asf", period)[0],
        Benefit.CF: simulation.calculate("cf", period)[0],
        Benefit.PAJE: simulation.calculate("paje_base", period)[0],
        Benefit.CSS_FREE: float(simulation.calculate("cmu_c", period)[0]),
        Benefit.CSS_PAID: simulation.calculate("css_participation_forfaitaire", period)[0],
        Benefit.ARS: simulation.calculate("ars", str(rentree))[0],
        Benefit.ENERGY: simulation.calculate("cheque_energie", str(month.year))[0],
        Benefit.AAH: simulation.calculate("aah", period).sum(),
    }


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


@pytest.mark.parametrize("build", [sarah, couple_three_children_one_unemployed, jobless_with_a_disability])
def test_bulk_arrays_match_openfisca_own_api(build):
    household = build()
    ours = engine.compute([household, sarah()], M)[0].amounts  # in a batch, as the screening does
    reference = openfisca_reference(household)
    for benefit, expected in reference.items():
        if ours[benefit] is None:  # not evaluated: the data does not allow it, and that is said
            assert benefit == Benefit.AAH and all(m.disability_rate is None for m in household.members)
            continue
        assert ours[benefit] == pytest.approx(float(expected), abs=0.01), benefit


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
