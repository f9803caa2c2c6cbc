"""The matcher: one provider when one covers everything, else a legal combination (a childminder in the day, another
early and late), ranked by coverage then hand-overs; and its own reckoning agrees with the law's checker on random
weeks of random childminders."""

import datetime
import random

import pytest

from carteblanche.childcare import matching, patterns
from carteblanche.childcare.law import Child
from carteblanche.childcare.matching import Kept, Offer

pytestmark = pytest.mark.no_database  # plain data: CI runs it on SQLite only

MONDAY = datetime.date(2027, 1, 11)
TODDLER = datetime.date(2024, 9, 1)  # 2 years old
FOUR = datetime.date(2022, 9, 1)

# Sarah, home help: Monday 6 h 30 – 14 h, Tuesday 12 h – 20 h.
SARAH = patterns.slots_of({"0": [[13, 28]], "1": [[24, 40]]})


def every_weekday(start, end):
    return patterns.slots_of({str(d): [[start, end]] for d in range(5)})


def travel(times):
    return lambda a, b: 0 if a == b else times.get((a, b), times.get((b, a)))


DAYTIME = Offer(1, "Mme Delpech", 10, True, 4, every_weekday(15, 37), hourly_cost=4.5)  # 7 h 30 – 18 h 30
EARLY_LATE = Offer(
    2, "Mme Lacroix", 11, True, 2, every_weekday(12, 18) | every_weekday(34, 42), night=False, hourly_cost=5.0
)  # 6 h – 9 h and 17 h – 21 h


def test_no_one_covers_sarahs_week_alone_but_two_childminders_do_legally():
    found = matching.propose(
        SARAH,
        Child("enfant", TODDLER),
        MONDAY,
        [DAYTIME, EARLY_LATE],
        home_commune=10,
        travel=travel({(10, 11): 12}),
        max_travel=20,
    )
    best = found[0]
    assert best.coverage == 1.0 and {o.key for o, _ in best.parts} == {1, 2}
    assert best.handovers == 2  # Monday at 7 h 30, Tuesday at 18 h 30
    assert best.travel_minutes == 24
    assert matching.verify(best, Child("enfant", TODDLER), MONDAY) == []
    # Ranked: coverage first, then hand-overs, travel and cost; a single childminder covers less.
    assert found == sorted(found, key=matching.Solution.rank_key)
    assert all(s.coverage < 1 for s in found if len(s.parts) == 1)


def test_a_single_provider_covering_everything_comes_first():
    wide = Offer(3, "MAM Les Lutins", 10, True, 4, every_weekday(12, 42), hourly_cost=4.8)
    found = matching.propose(
        SARAH,
        Child("enfant", TODDLER),
        MONDAY,
        [DAYTIME, EARLY_LATE, wide],
        home_commune=10,
        travel=travel({(10, 11): 12}),
        max_travel=20,
    )
    assert [o.key for o, _ in found[0].parts] == [3] and found[0].handovers == 0


def test_a_full_childminder_too_far_or_the_wrong_age_is_not_proposed():
    full = Offer(
        4,
        "Mme Pech",
        10,
        True,
        4,
        every_weekday(12, 42),
        kept=tuple(Kept(Child(f"k{i}", FOUR), every_weekday(12, 42)) for i in range(4)),
    )
    far = Offer(5, "Mme Roques", 12, True, 4, every_weekday(12, 42))
    school = Offer(6, "Périscolaire de Lalbenque", 10, False, 40, every_weekday(14, 18), min_age_months=36)
    found = matching.propose(
        SARAH,
        Child("enfant", TODDLER),
        MONDAY,
        [full, far, school],
        home_commune=10,
        travel=travel({(10, 12): 35}),
        max_travel=20,
    )
    assert found == []


def test_the_matchers_reckoning_agrees_with_the_laws_checker_on_random_weeks():
    rng = random.Random(18)
    checked = 0
    for case in range(150):
        kept = []
        for i in range(rng.randint(0, 5)):
            start = rng.randint(10, 30)
            days = rng.sample(range(6), rng.randint(1, 5))
            slots = patterns.slots_of({str(d): [[start, min(48, start + rng.randint(4, 24))]] for d in days})
            birth = MONDAY - datetime.timedelta(days=rng.randint(100, 4000))
            kept.append(Kept(Child(f"k{i}", birth, own=rng.random() < 0.2), slots))
        offer = Offer(
            case,
            "Assistante",
            1,
            True,
            rng.randint(1, 4),
            every_weekday(10, 46) | patterns.slots_of({"5": [[14, 30]]}),
            kept=tuple(kept),
            night=rng.random() < 0.3,
        )
        need_days = rng.sample(range(6), rng.randint(1, 5))
        start = rng.randint(10, 30)
        wanted = patterns.slots_of({str(d): [[start, min(48, start + rng.randint(4, 26))]] for d in need_days})
        child = Child("nouveau", MONDAY - datetime.timedelta(days=rng.randint(100, 2000)))
        taken = matching.takeable(offer, child, wanted, MONDAY)
        if not taken:
            continue
        checked += 1
        solution = matching.Solution(parts=[(offer, taken)], wanted=wanted)
        # What the childminder already had may itself be irregular: only what the new child adds is judged.
        before = matching.verify(matching.Solution(parts=[(offer, frozenset())], wanted=wanted), child, MONDAY)
        after = matching.verify(solution, child, MONDAY)
        added = {(v.code, v.day, v.slot) for v in after} - {(v.code, v.day, v.slot) for v in before}
        assert not added, (case, [v.message for v in after if (v.code, v.day, v.slot) in added])
    assert checked > 50


def test_a_childminder_whose_week_is_already_beyond_the_law_gets_nothing_more():
    crowded = Offer(
        7,
        "Mme Bouzou",
        10,
        True,
        2,
        every_weekday(12, 42),
        kept=tuple(Kept(Child(f"k{i}", FOUR), every_weekday(16, 34)) for i in range(3)),  # three with an agrément of 2
    )
    assert matching.takeable(crowded, Child("enfant", TODDLER), SARAH, MONDAY) == frozenset()
    long_days = Offer(
        8,
        "Mme Vidal",
        10,
        True,
        4,
        every_weekday(12, 46),
        kept=(Kept(Child("k", FOUR), every_weekday(12, 42)),),  # 6 h – 21 h every day: 15 hours of span
    )
    assert matching.takeable(long_days, Child("enfant", TODDLER), SARAH, MONDAY) == frozenset()


# Sarah's rotating shifts: a usual week of days, and one week of evenings until 23 h.
EVENINGS = patterns.slots_of({str(d): [[30, 46]] for d in range(5)})  # 15 h – 23 h
NIGHT_WEEK = MONDAY + datetime.timedelta(days=14)


def test_a_week_of_evenings_is_kept_by_a_childminder_allowed_at_night():
    night = Offer(9, "Mme Cayla", 10, True, 3, every_weekday(28, 48), night=True, hourly_cost=5.5)
    day_only = Offer(10, "Mme Delpech", 10, True, 4, every_weekday(12, 42), hourly_cost=4.5)
    found = matching.propose(
        every_weekday(13, 28),
        Child("enfant", TODDLER),
        MONDAY,
        [day_only, night],
        home_commune=10,
        travel=travel({}),
        max_travel=20,
        weeks=((NIGHT_WEEK, EVENINGS),),
    )
    best = found[0]
    assert [o.key for o, _ in best.parts] == [10]
    week = best.weeks[0]
    # The day childminder keeps 15 h – 21 h; after 21 h only the one allowed at night (22 h – 23 h is night).
    assert {o.key for o, _ in week.parts} == {10, 9}
    assert best.coverage == 1.0 and {o.key for o in best.offers} == {10, 9}
    assert matching.verify(best, Child("enfant", TODDLER), MONDAY) == []


def test_without_anyone_for_the_evenings_the_coverage_says_so():
    day_only = Offer(10, "Mme Delpech", 10, True, 4, every_weekday(12, 42), hourly_cost=4.5)
    best = matching.propose(
        every_weekday(13, 28),
        Child("enfant", TODDLER),
        MONDAY,
        [day_only],
        home_commune=10,
        travel=travel({}),
        max_travel=20,
        weeks=((NIGHT_WEEK, EVENINGS),),
    )[0]
    # Usual week: 75 half-hours, all kept; evenings: 80 asked, 15 h – 21 h kept (60).
    assert best.coverage == pytest.approx((75 + 60) / (75 + 80))


def test_the_checker_refuses_a_late_week_followed_by_an_early_monday():
    late = Offer(11, "Mme Cayla", 10, True, 3, every_weekday(0, 48), night=True)
    early = every_weekday(12, 20)  # 6 h – 10 h
    solution = matching.Solution(
        parts=[(late, early)],
        wanted=early,
        weeks=[matching.Week(NIGHT_WEEK, EVENINGS, [(late, EVENINGS)])],
    )
    # Friday ends at 23 h, Monday starts at 6 h: rest is fine; but within the evening week, the day after a 23 h end
    # starts at 15 h: fine too. Saturday is free. Now a week ending at 24 h before a 6 h start breaks the 11 hours.
    assert matching.verify(solution, Child("enfant", TODDLER), MONDAY) == []
    midnight = patterns.slots_of({str(d): [[36, 48]] for d in range(7)})  # 18 h – 24 h, seven days
    solution.weeks = [matching.Week(NIGHT_WEEK, midnight, [(late, midnight)])]
    codes = {v.code for v in matching.verify(solution, Child("enfant", TODDLER), MONDAY)}
    assert "repos_quotidien_h" in codes  # Sunday until midnight, then Monday 6 h: six hours of rest


def test_places_kept_for_the_avip_priority_go_only_to_a_parent_who_has_it():
    members = tuple(Kept(Child(f"k{i}", TODDLER), every_weekday(15, 37)) for i in range(10))
    creche = Offer(12, "Crèche AVIP de Cahors", 10, False, 12, every_weekday(15, 37), kept=members, reserved=2)
    wanted = every_weekday(16, 34)
    assert matching.takeable(creche, Child("enfant", TODDLER), wanted, MONDAY) == frozenset()
    assert matching.takeable(creche, Child("enfant", TODDLER), wanted, MONDAY, priority=True) == wanted
    full = Offer(13, "Crèche pleine", 10, False, 10, every_weekday(15, 37), kept=members)
    assert matching.takeable(full, Child("enfant", TODDLER), wanted, MONDAY, priority=True) == frozenset()


def test_an_avip_place_ranks_first_for_a_parent_with_the_priority():
    creche = Offer(12, "Crèche AVIP", 10, False, 12, every_weekday(15, 37), reserved=2, hourly_cost=1.2)
    childminder = Offer(14, "Mme Delpech", 10, True, 4, every_weekday(15, 37), hourly_cost=4.5)
    args = {"home_commune": 10, "travel": travel({}), "max_travel": 20}
    wanted = every_weekday(16, 34)
    with_priority = matching.propose(wanted, Child("e", TODDLER), MONDAY, [childminder, creche], priority=True, **args)
    assert with_priority[0].parts[0][0].key == 12 and with_priority[0].avip == 1
    without = matching.propose(wanted, Child("e", TODDLER), MONDAY, [childminder, creche], **args)
    assert all(s.avip == 0 for s in without)


def test_a_hand_over_to_another_commune_is_named_for_a_solidarity_ride():
    morning = Offer(15, "Mme Lacroix", 11, True, 2, every_weekday(12, 18))  # 6 h – 9 h, at Pradines
    school = Offer(16, "Périscolaire de Cahors", 10, False, 40, every_weekday(16, 36), min_age_months=36)
    found = matching.propose(
        every_weekday(13, 36),
        Child("enfant", FOUR),
        MONDAY,
        [morning, school],
        home_commune=10,
        travel=travel({(10, 11): 9}),
        max_travel=20,
    )
    best = found[0]
    assert best.coverage == 1.0
    # The after-school care opens at 8 h: the child passes to it then, every weekday, 9 minutes away.
    assert [(t.weekday, t.slot, t.origin.key, t.destination.key, t.minutes) for t in best.transfers] == [
        (d, 16, 15, 16, 9) for d in range(5)
    ]


def test_the_matcher_leaves_her_a_weekly_rest_of_35_hours():
    # Five shifts whose longest rest is 34 h 30 (Saturday 20 h – Monday 6 h 30; Wednesday 20 h – Friday 6 h 30).
    shifts = patterns.slots_of({"0": [[13, 28]], "1": [[24, 40]], "2": [[24, 40]], "4": [[13, 28]], "5": [[24, 40]]})
    open_all_week = Offer(20, "Mme Rességuier", 10, True, 4, patterns.slots_of({str(d): [[12, 42]] for d in range(6)}))
    taken = matching.takeable(open_all_week, Child("enfant", TODDLER), shifts, MONDAY)
    assert taken and taken != shifts  # a day is left out: the week keeps its rest
    solution = matching.Solution(parts=[(open_all_week, taken)], wanted=shifts)
    assert matching.verify(solution, Child("enfant", TODDLER), MONDAY) == []
    whole = matching.Solution(parts=[(open_all_week, shifts)], wanted=shifts)
    assert "repos_hebdo_h" in {v.code for v in matching.verify(whole, Child("enfant", TODDLER), MONDAY)}
