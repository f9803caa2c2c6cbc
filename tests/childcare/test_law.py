"""The legal limits on hand-built weeks: the agrément, six minors under eleven of whom four under three (her own
children included), the two-more exception, night care, eleven hours of rest between a late and an early shift, six
consecutive days, the weekly rest, 48 hours a week and 2,250 a year. Each violation names its article."""

import dataclasses
import datetime

import pytest

from carteblanche.childcare import law
from carteblanche.childcare.law import Agreement, Child, Presence

pytestmark = pytest.mark.no_database  # plain data: CI runs it on SQLite only

MONDAY = datetime.date(2027, 1, 11)
BABY = datetime.date(2026, 3, 1)  # under 3 on MONDAY
TODDLER = datetime.date(2024, 6, 1)  # 2 on MONDAY: under 3
FOUR = datetime.date(2022, 9, 1)  # 4
EIGHT = datetime.date(2018, 5, 1)  # 8
TEN = datetime.date(2016, 5, 1)  # 10
TWELVE = datetime.date(2014, 5, 1)  # 12: not a minor under eleven


def at(hours: float) -> int:
    return int(hours * 2)


def kept(key, birth, day=MONDAY, start=8, end=17, own=False):
    return Presence(Child(key, birth, own=own), day, at(start), at(end))


def codes(violations) -> set[str]:
    return {v.code for v in violations}


def test_a_legal_day_passes():
    week = [kept("a", BABY), kept("b", TODDLER), kept("c", FOUR), kept("d", EIGHT)]
    assert law.check(week, agreement=Agreement()) == []


def test_the_agrement_counts_the_children_she_keeps_not_her_own():
    week = [kept(k, FOUR) for k in "abcd"] + [kept("mine", EIGHT, own=True)]
    assert law.check(week, agreement=Agreement(capacity=4)) == []
    found = law.check(week, agreement=Agreement(capacity=3))
    assert codes(found) == {"agrement_max"}
    assert found[0].article == "CASF L421-4 I" and found[0].slot == at(8)
    assert "4 enfants accueillis à la fois, l'agrément en permet 3" in found[0].message


def test_six_under_eleven_with_her_own_child_and_the_twelve_year_old_not_counted():
    four_kept = [kept("a", BABY), kept("b", FOUR), kept("c", FOUR), kept("d", EIGHT)]
    own = [kept("fils", TEN, own=True), kept("fille", EIGHT, own=True)]
    assert law.check(four_kept + own + [kept("aine", TWELVE, own=True)], agreement=Agreement()) == []
    # Her third child, 10, comes home from school at 16 h 30: seven minors under eleven from then.
    late = [Presence(Child("petit", TEN, own=True), MONDAY, at(16.5), at(17))]
    found = law.check(four_kept + own + late, agreement=Agreement())
    assert codes(found) == {"moins_de_11_ans"}
    assert found[0].slot == at(16.5) and found[0].article == "CASF L421-4 II"
    assert "7 mineurs de moins de 11 ans à la fois (ses enfants compris), 6 au plus" in found[0].message


def test_four_under_three_at_most_her_baby_included():
    three_babies = [kept("a", BABY), kept("b", BABY), kept("c", TODDLER)]
    assert law.check([*three_babies, kept("mine", BABY, own=True)], agreement=Agreement()) == []
    found = law.check([*three_babies, kept("d", TODDLER), kept("mine", BABY, own=True)], agreement=Agreement())
    assert codes(found) == {"moins_de_3_ans"}


def test_two_more_for_the_holidays_but_never_a_fifth_under_three():
    week = [kept(k, FOUR) for k in "abcd"] + [kept(f"own{k}", EIGHT, own=True) for k in range(4)]
    assert codes(law.check(week, agreement=Agreement())) == {"moins_de_11_ans"}
    assert law.check(week, agreement=Agreement(), exceptional_days={MONDAY}) == []
    nine = [*week, kept("own9", TEN, own=True)]
    assert codes(law.check(nine, agreement=Agreement(), exceptional_days={MONDAY})) == {"moins_de_11_ans"}
    babies = [kept(f"b{k}", BABY) for k in range(4)] + [kept("mine", BABY, own=True)]
    assert codes(law.check(babies, agreement=Agreement(), exceptional_days={MONDAY})) == {"moins_de_3_ans"}


def test_night_care_needs_its_agrement():
    night = [Presence(Child("a", FOUR), MONDAY, at(20), at(23))]
    found = law.check(night, agreement=Agreement(night=False))
    assert codes(found) == {"nuit"} and found[0].slot == at(22)
    assert law.check(night, agreement=Agreement(night=True)) == []


def test_eleven_hours_of_rest_between_a_late_shift_and_an_early_one():
    tuesday = MONDAY + datetime.timedelta(days=1)
    # Sarah's pattern: a child kept until 20 h on Monday, another from 6 h 30 on Tuesday: 10 h 30 of rest.
    late = [kept("a", FOUR, start=12, end=20), kept("b", FOUR, day=tuesday, start=6.5, end=14)]
    found = law.check(late, agreement=Agreement())
    assert codes(found) == {"repos_quotidien_h"} and found[0].article == "CASF L423-21"
    # Until 19 h 30: exactly 11 hours, legal.
    ok = [kept("a", FOUR, start=12, end=19.5), kept("b", FOUR, day=tuesday, start=6.5, end=14)]
    assert law.check(ok, agreement=Agreement()) == []
    # A split day (7 h – 9 h and 16 h – 19 h) is one working day of 12 hours: legal.
    split = [kept("a", FOUR, start=7, end=9), kept("b", EIGHT, start=16, end=19)]
    assert law.check(split, agreement=Agreement()) == []
    # One day from 6 h 30 to 20 h: 13 h 30 of span.
    assert codes(law.check([kept("a", FOUR, start=6.5, end=20)], agreement=Agreement())) == {"repos_quotidien_h"}


def test_six_consecutive_days_at_most_and_a_weekly_rest():
    six = [kept("a", FOUR, day=MONDAY + datetime.timedelta(days=d), start=9, end=15) for d in range(6)]
    assert law.check(six, agreement=Agreement()) == []
    seven = [*six, kept("a", FOUR, day=MONDAY + datetime.timedelta(days=6), start=9, end=15)]
    found = law.check(seven, agreement=Agreement())
    assert "jours_consecutifs" in codes(found)
    assert next(v for v in found if v.code == "jours_consecutifs").article == "CASF L423-22"
    # Saturday off, Sunday night to Monday: no rest of 35 hours in seven days.
    short_rest = [
        kept("a", FOUR, day=MONDAY + datetime.timedelta(days=d), start=9, end=17) for d in (0, 1, 2, 3, 4)
    ] + [
        kept("a", FOUR, day=MONDAY + datetime.timedelta(days=4), start=17, end=23.5),
        kept("a", FOUR, day=MONDAY + datetime.timedelta(days=6), start=8, end=16),
        kept("a", FOUR, day=MONDAY + datetime.timedelta(days=7), start=9, end=17),
        kept("a", FOUR, day=MONDAY + datetime.timedelta(days=8), start=9, end=17),
    ]
    assert "repos_hebdo_h" in codes(law.check(short_rest, agreement=Agreement(night=True)))


def test_48_hours_a_week_and_2250_a_year():
    def week_of(hours_a_day):
        return [
            kept(f"c{d}", FOUR, day=MONDAY + datetime.timedelta(days=d), start=7, end=7 + hours_a_day)
            for d in range(5)
        ]

    assert law.check(week_of(9), agreement=Agreement()) == []  # 45 h, 2,115 h a year
    assert codes(law.check(week_of(10), agreement=Agreement())) == {"heures_semaine", "heures_an"}  # 50 h
    found = law.check(week_of(9.5), agreement=Agreement())  # 47.5 h a week is legal, 2,232.5 a year too
    assert found == []
    more = law.check(week_of(9.5), agreement=Agreement(), annual_weeks=48)  # 2,280 h
    assert codes(more) == {"heures_an"} and "2\u202f280 heures par an" in more[0].message


def test_a_limit_is_a_dated_parameter(monkeypatch):
    assert law.limit("heures_an", datetime.date(2030, 1, 1)).value == 2250
    with pytest.raises(LookupError):
        law.limit("moins_de_11_ans", datetime.date(2020, 1, 1))  # the 2021 ordinance's rule did not exist yet
    changed = dataclasses.replace(law.limit("moins_de_11_ans", MONDAY), value=5, since=datetime.date(2027, 1, 1))
    monkeypatch.setattr(law, "LIMITS", [*law.LIMITS, changed])
    assert law.limit("moins_de_11_ans", datetime.date(2026, 12, 31)).value == 6
    assert law.limit("moins_de_11_ans", MONDAY).value == 5
    six = [kept(k, FOUR) for k in "abcd"] + [kept("x", EIGHT, own=True), kept("y", EIGHT, own=True)]
    assert codes(law.check(six, agreement=Agreement())) == {"moins_de_11_ans"}


def test_a_stay_outside_the_day_is_refused():
    with pytest.raises(ValueError):
        Presence(Child("a", FOUR), MONDAY, 40, 50)


def test_a_weekly_pattern_becomes_dated_presences_the_checker_reads():
    from carteblanche.childcare import patterns

    # Sarah, home help: Monday and Thursday 6 h 30 – 14 h, Tuesday 12 h – 20 h.
    sarah = {"0": [[13, 28]], "3": [[13, 28]], "1": [[24, 40]]}
    patterns.validate(sarah)
    slots = patterns.slots_of(sarah)
    assert patterns.pattern_of(slots) == {"0": [[13, 28]], "1": [[24, 40]], "3": [[13, 28]]}
    assert patterns.hours(slots) == 23
    assert patterns.label(slots).startswith("lundi 6\u00a0h\u00a030 – 14\u00a0h\u00a000")
    child = Child("sarah", TODDLER)
    found = patterns.presences(child, slots, first=MONDAY, days=14)
    assert len(found) == 6 and found[0] == Presence(child, MONDAY, 13, 28)
    # With a childminder's other child every weekday 9 h – 16 h (44 hours a week with Sarah's child): Tuesday's end
    # at 20 h and Wednesday's start at 9 h leave 13 hours; a child from 7 h on Wednesday leaves 11, still legal;
    # from 6 h 30, not.
    other = patterns.presences(
        Child("x", FOUR), patterns.slots_of({str(d): [[18, 32]] for d in range(5)}), first=MONDAY, days=14
    )
    assert law.check(found + other, agreement=Agreement()) == []
    seven = [Presence(Child("y", FOUR), MONDAY + datetime.timedelta(days=2), at(7), at(9))]
    assert law.check(found + other + seven, agreement=Agreement()) == []
    early = [Presence(Child("y", FOUR), MONDAY + datetime.timedelta(days=2), at(6.5), at(8))]
    assert codes(law.check(found + other + early, agreement=Agreement())) == {"repos_quotidien_h"}
    with pytest.raises(Exception, match="Chaque plage"):
        patterns.validate({"0": [[30, 20]]})
