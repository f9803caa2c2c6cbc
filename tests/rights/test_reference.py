"""The reference households: our engine, from our records, gives OpenFisca-France's own answer to the cent.

Each file under ``reference/`` holds one household written twice by hand (see ``reference/build.py``): as our
records (the ``manage.py droits`` format) and as a complete OpenFisca situation, with the answer OpenFisca gave.
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from carteblanche.rights import engine, services
from carteblanche.rights.management.commands.droits import rights_of
from carteblanche.rights.situation_json import situation_from_json

REFERENCE = Path(__file__).parent / "reference"
sys.path.insert(0, str(REFERENCE))
import build  # noqa: E402  (the reference's own OpenFisca side, independent of our engine)

CASES = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(REFERENCE.glob("*.json"))}


def test_the_suite_covers_the_situations_a_counter_meets():
    assert len(CASES) >= 29
    months = {case["droits"]["mois"][5:] for case in CASES.values()}
    assert {"01", "06", "09", "12"} <= months


@pytest.fixture(scope="module")
def ours():
    """Our answers for every case, computed in bulk as the screening does (one simulation per month)."""
    by_month = defaultdict(list)
    for name, case in CASES.items():
        situation, month = situation_from_json(case["droits"])
        by_month[month].append((name, situation))
    out = {}
    for month, items in by_month.items():
        computed = engine.compute([situation for _, situation in items], month)
        for (name, situation), result in zip(items, computed, strict=True):
            out[name] = rights_of(services.evaluation_of(result, situation, month))
    return out


@pytest.fixture(scope="module")
def openfisca():
    """OpenFisca's own answers for the stored situations, today (a new release may change them)."""
    cases = {name: {"mois": case["droits"]["mois"], "openfisca": case["openfisca"]} for name, case in CASES.items()}
    return build.answers(cases, tbs=engine.tax_benefit_system())


@pytest.mark.parametrize("name", CASES)
def test_openfisca_still_gives_the_stored_answer(name, openfisca):
    assert openfisca[name] == CASES[name]["attendu"]


@pytest.mark.parametrize("name", CASES)
def test_our_engine_gives_openfisca_answer_for_every_right_we_show(name, ours):
    expected, got = CASES[name]["attendu"], ours[name]
    assert set(got) == set(expected)
    shown = {code: value for code, value in got.items() if value is not None}
    assert shown == {code: expected[code] for code in shown}
    # Where we show nothing (a fact is missing), OpenFisca finds no right either.
    assert all(not expected[code] for code, value in got.items() if value is None)
