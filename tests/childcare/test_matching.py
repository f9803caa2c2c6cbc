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
