"""The reference households: our engine, from our records, gives OpenFisca-France's own answer to the cent.

Each file under ``reference/`` holds one household written twice by hand (see ``reference/build.py``): as our
records (the ``manage.py droits`` format) and as a complete OpenFisca situation, with the answer OpenFisca gave.
"""

import dataclasses
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from carteblanche.rights import engine, services
from carteblanche.rights.access import Reader, open_files
from carteblanche.rights.engine import month_add
from carteblanche.rights.enums import IncomeKind, MemberRole
from carteblanche.rights.management.commands.droits import rights_of
from carteblanche.rights.models import HouseholdMember, MonthlyIncome, Person
from carteblanche.rights.situation_json import situation_from_json
from carteblanche.rights.situations import situation_from_file
from carteblanche.territories.models import Commune
from tests.factories import CommuneFactory, TerritoryFactory

REFERENCE = Path(__file__).parent / "reference"
sys.path.insert(0, str(REFERENCE))
import build  # noqa: E402  (the reference's own OpenFisca side, independent of our engine)

# One worker computes the suite once (``--dist loadgroup``), while the others run the rest.
pytestmark = pytest.mark.xdist_group("rights_reference")

CASES = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(REFERENCE.glob("*.json"))}


@pytest.mark.no_database
def test_the_suite_covers_the_situations_a_counter_meets():
    assert len(CASES) >= 40
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


@pytest.mark.no_database
@pytest.mark.parametrize("name", CASES)
def test_openfisca_still_gives_the_stored_answer(name, openfisca):
    assert openfisca[name] == CASES[name]["attendu"]


@pytest.mark.no_database
def test_the_stored_answers_are_openfisca_own_without_our_speed_ups():
    """In a fresh process, OpenFisca-France as published (none of ``openfisca_speed``'s shortcuts installed)
    gives the stored answers: the shortcuts our engine and the suite run with change no amount. Unhurried, it takes
    seconds a month: the cases of the month that holds the most of them (they cover every kind of shortcut)."""
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(REFERENCE)!r})\n"
        "import build\n"
        "cases = json.load(sys.stdin)\n"
        "found = build.answers(cases)\n"
        "assert not any(name.startswith('carteblanche') for name in sys.modules)\n"
        "print(json.dumps(found))\n"
    )
    months = Counter(case["droits"]["mois"] for case in CASES.values())
    busiest = {month for month, _ in months.most_common(1)}
    cases = {
        name: {"mois": case["droits"]["mois"], "openfisca": case["openfisca"]}
        for name, case in CASES.items()
        if case["droits"]["mois"] in busiest
    }
    run = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(cases), capture_output=True, text=True, check=True
    )
    found = json.loads(run.stdout.splitlines()[-1])
    assert len(found) >= 8
    assert found == {name: CASES[name]["attendu"] for name in cases}


@pytest.mark.no_database
@pytest.mark.parametrize("name", CASES)
def test_our_engine_gives_openfisca_answer_for_every_right_we_show(name, ours):
    expected, got = CASES[name]["attendu"], ours[name]
    assert set(got) == set(expected)
    shown = {code: value for code, value in got.items() if value is not None}
    assert shown == {code: expected[code] for code in shown}
    # Where we show nothing (a fact is missing), OpenFisca finds no right either.
    assert all(not expected[code] for code, value in got.items() if value is None)


def _record(territory, name: str, situation, month) -> Person:
    """The household as our tables hold it: the person, her household and every month of income."""
    commune = Commune.objects.filter(insee_code=situation.depcom).first() or CommuneFactory(
        insee_code=situation.depcom, name=f"Commune {situation.depcom}"
    )
    applicant = next(m for m in situation.members if m.role == MemberRole.APPLICANT)
    person = Person.objects.create(
        territory=territory,
        first_name=applicant.first_name or name,
        last_name=name,
        birth_date=applicant.birth_date,
        commune=commune,
        tenure=situation.tenure,
        rent=situation.rent,
    )
    facts = {f.name for f in HouseholdMember._meta.get_fields()} & {f.name for f in dataclasses.fields(applicant)}
    for index, member in enumerate(situation.members):
        values = {fact: getattr(member, fact) for fact in facts}
        values["first_name"] = member.first_name or f"Enfant {index}"
        row = HouseholdMember.objects.create(person=person, **values)
        MonthlyIncome.objects.bulk_create(
            MonthlyIncome(member=row, month=month, kind=kind, amount=amount)
            for kind, series in member.monthly.items()
            for month, amount in series.items()
        )
    if not any(series for member in situation.members for series in member.monthly.values()):
        # No income at all: our files say so with 0 € (a file with nothing recorded is not examined).
        MonthlyIncome.objects.create(
            member=person.members.get(role=MemberRole.APPLICANT),
            month=month_add(month, -1),
            kind=IncomeKind.SALARY_NET,
            amount=0,
        )
    return person


@pytest.mark.django_db
def test_from_our_records_through_a_consent_the_screening_gives_openfisca_answer(clock):
    """The same households, stored in our tables and read through a consent as the screening reads them."""
    territory = TerritoryFactory()
    persons, months = {}, {}
    for name, case in CASES.items():
        situation, months[name] = situation_from_json(case["droits"])
        persons[name] = _record(territory, name, situation, months[name])
        services.give_consent(persons[name], organisations=[])
    reader = Reader.screening(territory)
    files = {file.person.last_name: file for file in open_files(reader, persons.values(), reason="Référence")}
    assert set(files) == set(CASES)
    by_month = defaultdict(list)
    for name, file in files.items():
        by_month[months[name]].append((name, situation_from_file(file, months[name])))
    for month, items in by_month.items():
        computed = engine.compute([situation for _, situation in items], month)
        for (name, situation), result in zip(items, computed, strict=True):
            got = rights_of(services.evaluation_of(result, situation, month))
            expected = CASES[name]["attendu"]
            shown = {code: value for code, value in got.items() if value is not None}
            assert shown == {code: expected[code] for code in shown}, name
            assert all(not expected[code] for code, value in got.items() if value is None), name
