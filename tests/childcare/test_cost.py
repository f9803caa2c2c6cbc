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
