"""Assemble childcare solutions for a need: one provider covering every half-hour, or a combination (a childminder
in the morning, after-school care, another in the evening), ranked by coverage, hand-overs, travel and cost.

A need may have particular weeks (rotating shifts, a week of nights): the providers of a solution take what they can
of each, and one more is added for a week they leave uncovered; coverage counts every half-hour of the usual and the
particular weeks. A parent with the priority of « crèches AVIP » (a job seeker with a hiring promise) may take the
places a structure reserves for it; others may not. Where a child passes from one provider to another in a different
commune while the parent works, the solution names the transfer, for a solidarity ride.

The matcher has its own fast reckoning of what a childminder may still take (weekly counts per half-hour, the span
of her working days, her weekly hours), written apart from ``law.check``: every proposal it returns is then checked
by ``law.check`` over real days, and one that breaks a rule is dropped (``verify``). The two must agree; the bench
counts the proposals ``law.check`` would refuse.
"""

import datetime
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from . import law, patterns

MAX_PARTS = 3
CHECK_DAYS = 14  # two weeks of real days: a fortnight's rest and hours are read over them
WORKED_WEEKS_A_YEAR = 47.0


@dataclass(frozen=True)
class Kept:
    """A child a childminder keeps already (or her own child), with its weekly slots."""

    child: law.Child
    slots: frozenset


@dataclass(frozen=True)
class Offer:
    key: int
    name: str
    commune_id: int
    childminder: bool
    capacity: int
    opening: frozenset  # (weekday, slot) where one more child can be taken
    kept: tuple = ()
    night: bool = False
    hourly_cost: float = 0.0
    min_age_months: int = 0
    max_age_months: int = 72
    reserved: int = 0  # a structure's places kept for the priority of « crèches AVIP »


@dataclass(frozen=True)
class Transfer:
    """The child passes from one provider to another, in another commune, while the parent works."""

    weekday: int
    slot: int  # the first half-hour with the second provider
    origin: Offer
    destination: Offer
    minutes: int


@dataclass
class Week:
    """A particular week of the need (its Monday and its half-hours) and who keeps the child then."""

    first: datetime.date
    wanted: frozenset
    parts: list = field(default_factory=list)  # [(Offer, frozenset)]

    def covers(self, day: datetime.date) -> bool:
        return self.first <= day < self.first + datetime.timedelta(days=7)


@dataclass
class Solution:
    parts: list[tuple[Offer, frozenset]]
    wanted: frozenset
    travel_minutes: int = 0
    handovers: int = 0
    monthly_cost: float = 0.0
    weeks: list[Week] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    avip: int = 0  # parts in a structure's places reserved for the AVIP priority

    @property
    def covered(self) -> frozenset:
        return _covered(self.parts)

    @property
    def coverage(self) -> float:
        """The share of half-hours kept, over the usual week and each particular week."""
        wanted = len(self.wanted) + sum(len(w.wanted) for w in self.weeks)
        kept = len(self.covered & self.wanted) + sum(len(_covered(w.parts) & w.wanted) for w in self.weeks)
        return kept / wanted if wanted else 0.0

    @property
    def offers(self) -> list[Offer]:
        """Every provider of the solution, usual week first, once each."""
        found = {}
        for offer, _ in self.parts + [p for w in self.weeks for p in w.parts]:
            found.setdefault(offer.key, offer)
        return list(found.values())

    def rank_key(self):
        return (
            -round(self.coverage, 4),
            -self.avip,
            self.handovers,
            self.travel_minutes,
            self.monthly_cost,
            len(self.offers),
        )


def _covered(parts) -> frozenset:
    found = set()
    for _, slots in parts:
        found |= slots
    return frozenset(found)


def months_between(birth: datetime.date, day: datetime.date) -> int:
    return (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)


# ---------------------------------------------------------------------------------------------------------------
# The matcher's own reckoning of a childminder's week


@dataclass(frozen=True)
class _Rules:
    """The limits in force on a day, read once from ``law.limit``, in half-hours where they are durations."""

    agreed: int
    under_11: int
    under_3: int
    rest: int  # daily rest
    weekly_rest: int  # 24 + 11 hours
    weekly_hours: float
    yearly_hours: float
    days: int

    @classmethod
    def on(cls, day: datetime.date) -> "_Rules":
        value = lambda code: law.limit(code, day).value  # noqa: E731
        return cls(
            agreed=int(value("agrement_max")),
            under_11=int(value("moins_de_11_ans")),
            under_3=int(value("moins_de_3_ans")),
            rest=int(value("repos_quotidien_h") * 2),
            weekly_rest=int((value("repos_hebdo_h") + value("repos_quotidien_h")) * 2),
            weekly_hours=value("heures_semaine"),
            yearly_hours=value("heures_an"),
            days=int(value("jours_consecutifs")),
        )


def _amplitudes_ok(worked: set, rules: _Rules) -> bool:
    """Spans of working days (blocks less than eleven hours apart) within 24 − 11 hours, the week read as a cycle
    (Sunday evening is followed by Monday morning); six working days at most and a rest of 24 + 11 hours in the
    week; 48 hours a week, 2,250 a year."""
    if not worked:
        return True
    hours = len(worked) / 2
    if hours > rules.weekly_hours or hours * WORKED_WEEKS_A_YEAR > rules.yearly_hours:
        return False
    if len({weekday for weekday, _ in worked}) > rules.days:
        return False
    most_span = 48 - rules.rest
    line = sorted(weekday * 48 + slot for weekday, slot in worked)
    week = 7 * 48
    # Cut the cycle at its longest gap, then walk.
    gap, longest = max(((line[(i + 1) % len(line)] - line[i]) % week or week, i) for i in range(len(line)))
    if gap - 1 < rules.weekly_rest:
        return False  # no rest of 24 + 11 hours in the week
    ordered = line[longest + 1 :] + [s + week for s in line[: longest + 1]]
    start = previous = ordered[0]
    for slot in ordered[1:]:
        if slot - previous - 1 >= rules.rest:
            if previous + 1 - start > most_span:
                return False
            start = slot
        previous = slot
    return previous + 1 - start <= most_span


@dataclass(frozen=True)
class _Load:
    """What an offer already has, per half-hour of the week: children kept (not her own), those under 11 and under
    3 (her own included), her working half-hours, and whether her week already breaks a limit."""

    rules: _Rules
    present: dict
    young: dict
    baby: dict
    worked: frozenset
    beyond: bool


@functools.lru_cache(maxsize=4096)
def _load(offer: Offer, start: datetime.date) -> _Load:
    rules = _Rules.on(start)
    present, young, baby = Counter(), Counter(), Counter()
    for kept in offer.kept:
        age = kept.child.years_on(start)
        for s in kept.slots:
            present[s] += not kept.child.own
            young[s] += age < 11
            baby[s] += age < 3
    worked = frozenset(s for kept in offer.kept if not kept.child.own for s in kept.slots)
    agreed = min(offer.capacity, rules.agreed)
    beyond = offer.childminder and (
        any(n > agreed for n in present.values())
        or any(n > rules.under_11 for n in young.values())
        or any(n > rules.under_3 for n in baby.values())
        or not _amplitudes_ok(worked, rules)
    )
    return _Load(rules, dict(present), dict(young), dict(baby), worked, beyond)


def takeable(
    offer: Offer, child: law.Child, wanted: frozenset, start: datetime.date, *, priority: bool = False
) -> frozenset:
    """The half-hours of ``wanted`` this offer can take the child for, a day at a time, without breaking a limit of
    the childminder's week; a structure: its opening, the age range, and a place left among its capacity (the
    places reserved for the AVIP priority only for a parent who has it)."""
    months = months_between(child.birth, start)
    if not offer.min_age_months <= months <= offer.max_age_months:
        return frozenset()
    candidate = wanted & offer.opening
    if not offer.night:
        candidate = frozenset(s for s in candidate if not (s[1] in law.NIGHT[0] or s[1] in law.NIGHT[1]))
    if not candidate:
        return candidate
    if not offer.childminder:
        places = offer.capacity - (0 if priority else offer.reserved)
        present = _load(offer, start).present
        return frozenset(s for s in candidate if present.get(s, 0) + 1 <= places)
    load = _load(offer, start)
    if load.beyond:
        return frozenset()  # her week is already beyond the law: nothing is added to it
    rules = load.rules
    agreed, under_11, under_3 = min(offer.capacity, rules.agreed), rules.under_11, rules.under_3
    is_baby = child.years_on(start) < 3
    allowed = frozenset(
        s
        for s in candidate
        if load.present.get(s, 0) + 1 <= agreed
        and load.young.get(s, 0) + 1 <= under_11
        and load.baby.get(s, 0) + is_baby <= under_3
    )
    worked = load.worked
    taken: set = set()
    # Day by day: a day's allowed half-hours are taken if her week stays within the rest and hours limits.
    for weekday in sorted({wd for wd, _ in allowed}):
        day_slots = {s for s in allowed if s[0] == weekday}
        if _amplitudes_ok(worked | taken | day_slots, rules):
            taken |= day_slots
    return frozenset(taken)


# ---------------------------------------------------------------------------------------------------------------
# Solutions


def handovers(parts: list[tuple[Offer, frozenset]], wanted: frozenset) -> int:
    """Changes of hands a week: each time, within a day, the half-hour after is kept by someone else."""
    owner = {}
    for offer, slots in parts:
        for s in slots:
            owner.setdefault(s, offer.key)
    count = 0
    for weekday in range(7):
        day = sorted(slot for wd, slot in wanted if wd == weekday)
        for a, b in zip(day, day[1:], strict=False):
            if b == a + 1 and owner.get((weekday, a)) != owner.get((weekday, b)):
                count += 1
    return count


def propose(
    wanted: frozenset,
    child: law.Child,
    start: datetime.date,
    offers: list[Offer],
    *,
    home_commune: int,
    travel: Callable[[int, int], int | None],
    max_travel: int,
    limit: int = 3,
    checked: bool = True,
    priority: bool = False,
    weeks: tuple = (),
) -> list[Solution]:
    """The best ``limit`` solutions: single providers first when one covers everything, else combinations of up
    to three, each part legal for its provider by the matcher's reckoning; each particular week of ``weeks``
    (``(monday, wanted)`` pairs) kept by the same providers where they can, with one more where they cannot. With
    ``checked`` (always, but in the bench that counts them), those ``law.check`` would refuse are dropped."""
    reachable = []
    for offer in offers:
        minutes = travel(home_commune, offer.commune_id)
        if minutes is None or minutes > max_travel:
            continue
        slots = takeable(offer, child, wanted, start, priority=priority)
        reachable.append((offer, slots, minutes))
    usual = [item for item in reachable if item[1]]
    usual.sort(key=lambda item: (-len(item[1]), item[2], item[0].hourly_cost))
    found: list[Solution] = []
    for offer, slots, minutes in usual[: limit * 4]:
        found.append(_solution([(offer, slots)], wanted, [minutes]))
    # Combinations: start from each of the best partial covers, add what covers most of the rest.
    for offer, slots, minutes in usual[:10]:
        if slots >= wanted:
            continue
        parts, minutes_list = [(offer, slots)], [minutes]
        for best, best_minutes in _complete(usual, parts, wanted - slots):
            parts.append(best)
            minutes_list.append(best_minutes)
        if len(parts) > 1:
            found.append(_solution(parts, wanted, minutes_list))
    unique = {}
    for solution in found:
        signature = tuple(sorted((offer.key, tuple(sorted(slots))) for offer, slots in solution.parts))
        unique.setdefault(signature, solution)
    solutions = list(unique.values())
    # What each reachable provider can take of each particular week, once: a solution's providers take, of what is
    # left, the part of it they could take of the whole week (less is still legal: fewer children, shorter days).
    particular = [
        (
            first,
            week_wanted,
            {o.key: takeable(o, child, week_wanted, first, priority=priority) for o, _, _ in reachable},
        )
        for first, week_wanted in weeks
    ]
    for solution in solutions:
        solution.weeks = [
            _week(solution, first, week_wanted, able, reachable) for first, week_wanted, able in particular
        ]
        solution.transfers = transfers(solution.parts, wanted, travel)
        if priority:
            solution.avip = sum(1 for offer, _ in solution.parts if offer.reserved)
        if solution.weeks:
            minutes = {offer.key: m for offer, _, m in reachable}
            solution.travel_minutes = 2 * max(minutes[offer.key] for offer in solution.offers)
    ranked = sorted(solutions, key=Solution.rank_key)
    if not checked:
        return ranked[:limit]
    return [s for s in ranked if not verify(s, child, start)][:limit]


def _complete(candidates, parts, left, most=MAX_PARTS):
    """Greedily, the providers that cover most of ``left`` (the nearest on a tie), up to ``most`` parts in all."""
    taken = {offer.key for offer, _ in parts}
    added = []
    while left and len(parts) + len(added) < most:
        best = max(
            ((o, s & left, m) for o, s, m in candidates if o.key not in taken and s & left),
            key=lambda item: (len(item[1]), -item[2]),
            default=None,
        )
        if best is None:
            break
        added.append(((best[0], best[1]), best[2]))
        taken.add(best[0].key)
        left = left - best[1]
    return added


def _week(solution, first, wanted, able, reachable) -> Week:
    """A particular week kept by the solution's providers where they can (in their order), and by one more
    reachable provider for what they leave (a childminder allowed at night, for a week of nights); ``able``: what
    each provider can take of the whole week."""
    week = Week(first=first, wanted=wanted)
    left = wanted
    for offer, _ in solution.parts:
        slots = able.get(offer.key, frozenset()) & left
        if slots:
            week.parts.append((offer, slots))
            left -= slots
    if left:
        candidates = [(o, able[o.key], m) for o, _, m in reachable if able[o.key] & left]
        for part, _ in _complete(candidates, week.parts, left, most=len(week.parts) + 1):
            week.parts.append(part)
    return week


def transfers(parts, wanted: frozenset, travel: Callable[[int, int], int | None]) -> list[Transfer]:
    """Within a day of the parent's week, each time the child passes to a provider of another commune."""
    owner = {}
    for offer, slots in parts:
        for s in slots:
            owner.setdefault(s, offer)
    found = []
    for weekday, slot in sorted(wanted):
        origin, destination = owner.get((weekday, slot - 1)), owner.get((weekday, slot))
        if (weekday, slot - 1) not in wanted or origin is None or destination is None:
            continue
        if origin.key != destination.key and origin.commune_id != destination.commune_id:
            minutes = travel(origin.commune_id, destination.commune_id) or 0
            found.append(Transfer(weekday, slot, origin, destination, minutes))
    return found


def _solution(parts, wanted, minutes_list) -> Solution:
    hours = sum(len(slots) for _, slots in parts) / 2
    cost = sum(offer.hourly_cost * len(slots) / 2 for offer, slots in parts) * 52 / 12
    return Solution(
        parts=parts,
        wanted=wanted,
        travel_minutes=2 * max(minutes_list) if minutes_list else 0,
        handovers=handovers(parts, wanted),
        monthly_cost=round(cost, 2) if hours else 0.0,
    )


def verify(solution: Solution, child: law.Child, start: datetime.date) -> list[law.Violation]:
    """``law.check`` over real days for each childminder of the solution, her kept children and this child: two
    weeks from the start, and around each particular week the week before and the week after (a week of nights
    followed by an early shift is where the daily rest breaks). What it finds: an empty list for a legal solution."""
    windows = [(start, CHECK_DAYS)] + [(w.first - datetime.timedelta(days=7), 21) for w in solution.weeks]
    found = []
    for offer in solution.offers:
        if not offer.childminder:
            continue

        def slots_on(day, key=offer.key):
            for week in solution.weeks:
                if week.covers(day):
                    return slots_for(week.parts, key)
            return slots_for(solution.parts, key)

        for first, days in windows:
            presences = patterns.presences_by_day(child, slots_on, first=first, days=days)
            for kept in offer.kept:
                presences += patterns.presences(kept.child, kept.slots, first=first, days=days)
            found += law.check(
                presences,
                agreement=law.Agreement(capacity=offer.capacity, night=offer.night),
                annual_weeks=WORKED_WEEKS_A_YEAR,
            )
    return found


def slots_for(parts, key) -> frozenset:
    return frozenset(s for offer, slots in parts if offer.key == key for s in slots)
