"""The CMG of a childcare solution is OpenFisca-France's own answer for the family's complete situation: Sarah's
reference household (its answer stored from OpenFisca itself) with her youngest kept by a childminder."""

import copy
import datetime
import json
from pathlib import Path

import pytest

from carteblanche.childcare import cost
from carteblanche.childcare.enums import ProviderKind

pytestmark = pytest.mark.no_database  # plain data: CI runs it on SQLite only

REFERENCE = Path(__file__).parent.parent / "rights" / "reference" / "sarah_reprise_emploi_agepi.json"


def sarah():
    case = json.loads(REFERENCE.read_text(encoding="utf-8"))
    without = copy.deepcopy(case["droits"])
    for member in without["membres"]:
        member.pop("mode_de_garde", None)
    return without, case["attendu"]["paje_cmg"]


def test_a_childminder_opens_the_cmg_openfisca_computes_for_sarahs_household():
    situation, expected = sarah()
    amount, rule = cost.cmg_estimate(situation, child_birth=datetime.date(2023, 5, 1), kind=ProviderKind.CHILDMINDER)
    assert amount == expected > 0  # the stored answer is OpenFisca's own (tests/rights/test_reference.py)
    assert "OpenFisca-France" in rule and "1er septembre 2025" in rule and "horaires spécifiques" in rule


def test_a_creche_or_after_school_care_opens_no_cmg():
    situation, _ = sarah()
    for kind in (ProviderKind.CRECHE, ProviderKind.AFTER_SCHOOL):
        amount, _ = cost.cmg_estimate(situation, child_birth=datetime.date(2023, 5, 1), kind=kind)
        assert amount == 0


def test_the_monthly_cost_of_a_year_round_contract():
    assert cost.monthly_cost(4.5, 30) == 585.0


def test_the_supplement_for_specific_hours_is_ten_percent_of_openfiscas_amount_from_25_hours_a_month():
    from carteblanche.childcare import patterns

    situation, expected = sarah()
    amount, _ = cost.cmg_estimate(situation, child_birth=datetime.date(2023, 5, 1), kind=ProviderKind.CHILDMINDER)
    evenings = patterns.slots_of({str(d): [[40, 46]] for d in range(3)})  # 20 h – 23 h, three days: 1 h of night
    assert cost.specific_hours(evenings) == 13.0  # 3 hours a week × 52 / 12
    assert cost.supplement(amount, cost.specific_hours(evenings)) == (0.0, cost.supplement(amount, 13)[1])
    assert "Pas de majoration" in cost.supplement(amount, 13)[1]
    nights = evenings | patterns.slots_of({"6": [[16, 30]]})  # and Sundays 8 h – 15 h
    hours = cost.specific_hours(nights)
    assert hours == pytest.approx((3 + 7) * 52 / 12, abs=0.1) and hours >= 25
    extra, note = cost.supplement(amount, hours)
    assert extra == round(expected * 0.10, 2) and "CSS D531-23" in note and "qui ne la calcule pas" in note
    assert cost.supplement(None, hours) == (0.0, "")  # no CMG known: no supplement either
