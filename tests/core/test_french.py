"""The one home of French for people and numbers for machines (``core.french`` and its template filters)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from carteblanche.core import french

pytestmark = pytest.mark.no_database

NN = "\u202f"  # narrow no-break space between thousands
NB = "\u00a0"  # no-break space before a unit


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [
        (0, "habitant", f"0{NB}habitant"),
        (1, "encadrant", f"1{NB}encadrant"),
        (1, "thème", f"1{NB}thème"),
        (2, "thème", f"2{NB}thèmes"),
        (1147, "habitant", f"1{NN}147{NB}habitants"),
        (3, "journal", f"3{NB}journaux"),
        (2, "bureau", f"2{NB}bureaux"),
        (2, "dossier fusionné", f"2{NB}dossiers fusionnés"),
        (2, "demande de dérogation", f"2{NB}demandes de dérogation"),
        (5, "prix", f"5{NB}prix"),
    ],
)
def test_french_plurals_take_the_singular_for_zero_and_one(count, word, expected):
    assert french.plural(count, word) == expected


def test_numbers_for_people_are_french():
    assert french.number(50849) == f"50{NN}849"
    assert french.number(14.45, 1, "km") == f"14,5{NB}km"  # half away from zero, as a person rounds
    assert french.euros(1147) == f"1{NN}147{NB}€"
    assert french.euros(42.5) == f"42,50{NB}€"
    assert french.number(None) == "—"
    assert french.distance(578053) == f"578{NB}km"
    assert french.distance(12440) == f"12,4{NB}km"
    assert french.distance(850) == f"850{NB}m"


def test_numbers_for_machines_are_never_localised():
    assert french.machine(40.0) == "40"
    assert french.machine(40.25) == "40.25"
    assert french.machine(-3.5) == "-3.5"
    assert french.machine(1234567) == "1234567"
    assert french.machine(Decimal("12.50")) == "12.50"
    assert french.machine(None) == ""
    rendered = Template('<line y1="{{ y|machine }}" x1="{{ x|machine }}">').render(Context({"y": 40.0, "x": 12.5}))
    assert rendered == '<line y1="40" x1="12.5">'


def test_small_words_agree_with_the_next_one():
    assert french.of("Sarah") == "de Sarah"
    assert french.of("Odette") == "d'Odette"
    assert french.of("Le bassin de vie de Cahors") == "du bassin de vie de Cahors"
    assert french.of("Les Causses") == "des Causses"
    assert french.of("La Bastide-Murat") == "de la Bastide-Murat"
    assert french.of("Hôtel Wilson") == "d'Hôtel Wilson"


def test_dates_and_phones_in_french():
    assert french.on_date(datetime.date(2026, 3, 1)) == "le 1er mars 2026"
    assert french.date(datetime.date(2026, 12, 14), year=False, weekday=True) == "lundi 14 décembre"
    assert french.month(datetime.date(2018, 6, 1)) == "juin 2018"
    assert french.phone("+33565123456") == "05 65 12 34 56"
    assert french.phone("0565123456") == "05 65 12 34 56"
    assert french.join(["Cahors", "Catus", "Cabrerets"]) == "Cahors, Catus et Cabrerets"


def test_the_filters_are_in_every_template_without_loading_them():
    template = Template(
        '{{ n|plural:"encadrant" }} ; {{ m|plural:"journal,journaux" }} ; {{ d|on_date }} ; {{ a|euros }}'
    )
    rendered = template.render(Context({"n": 1, "m": 4, "d": datetime.date(2026, 3, 1), "a": 1147}))
    assert rendered == f"1{NB}encadrant ; 4{NB}journaux ; le 1er mars 2026 ; 1{NN}147{NB}€"


def test_no_inclusive_dots_or_brackets_in_what_the_platform_writes():
    """« inscrit(e) », « estimé·e », « dossier(s) » are rephrased or agreed, in code and templates alike."""
    import io
    import re
    import tokenize
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "carteblanche"
    pattern = re.compile(r"[a-zà-ü]·(e|es|s)\b|[a-zà-ü]\((e|s|es|x)\)")

    def texts(path):
        source = path.read_text(encoding="utf-8")
        if path.suffix != ".py":
            yield from enumerate(source.splitlines(), start=1)
            return
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                yield token.start[0], token.string

    found = [
        f"{path.relative_to(root)}:{number}: {text.strip()}"
        for path in [*root.rglob("*.py"), *root.rglob("*.html"), *root.rglob("*.txt")]
        if "migrations" not in path.parts
        for number, text in texts(path)
        if pattern.search(text) and "« inscrit(e) »" not in text
    ]
    assert not found, "\n".join(found)
