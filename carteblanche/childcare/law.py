"""The law a childcare proposal must respect, checked half-hour by half-hour across all of a childminder's contracts.

This module is the checker, written apart from the matcher that assembles proposals: a proposal is kept only if this
code finds nothing wrong with the childminder's whole week once the new child is added. Each rule states its article
of the Code de l'action sociale et des familles (CASF); each limit is a dated parameter (``limit(code, on)``), so that
a change of the law is a new line with its date, and a week is judged by the rule in force on its days.

- CASF L421-4 I: no more children accommodated at once than the agrément allows (four by default, its maximum).
- CASF L421-4 II: at most six minors under eleven at once under her sole responsibility (her own children included),
  of whom at most four under three; exceptionally and for a limited time (school holidays, the unforeseen) two more,
  still at most four under three.
- The agrément (CASF L421-3): night care (22 h to 6 h) only if it allows it.
- CASF L423-21: eleven consecutive hours of rest a day; two work periods less than eleven hours apart are one working
  day, whose span may not exceed thirteen hours.
- CASF L423-22: at most six consecutive days of work; a weekly rest of twenty-four hours plus the eleven of the daily
  rest; at most 48 hours a week on average (over four months); at most 2,250 hours a year.

Working time is the presence of the children she is paid to keep (her own children count in the under-eleven and
under-three limits, not in her working time or her agrément), summed over all her contracts: the limits are the
childminder's, not each employer's (answer of the Labour ministry to question no. 4964, 25 July 2023).

Times are half-hour slots: slot 0 is 0 h 00 – 0 h 30 of a day, slot 47 is 23 h 30 – 24 h 00. A stay across midnight is
two presences, one on each day.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from carteblanche.core import dates, french

SLOTS_PER_DAY = 48
SLOT_MINUTES = 30
NIGHT = (set(range(0, 12)), set(range(44, 48)))  # 0 h – 6 h and 22 h – 24 h


@dataclass(frozen=True)
class Limit:
    code: str
    value: float
    since: datetime.date
    article: str
    label: str


# A limit that changes gets a new line with the date it applies from; the latest line not after the day is in force.
LIMITS = [
    Limit("agrement_max", 4, datetime.date(2021, 5, 21), "CASF L421-4 I", "enfants accueillis au plus par l'agrément"),
    Limit("moins_de_11_ans", 6, datetime.date(2021, 5, 21), "CASF L421-4 II", "mineurs de moins de 11 ans à la fois"),
    Limit("moins_de_3_ans", 4, datetime.date(2021, 5, 21), "CASF L421-4 II", "enfants de moins de 3 ans à la fois"),
    Limit("surnombre", 2, datetime.date(2021, 5, 21), "CASF L421-4 II", "enfants en plus, à titre exceptionnel"),
    Limit("repos_quotidien_h", 11, datetime.date(2008, 5, 1), "CASF L423-21", "heures consécutives de repos par jour"),
    Limit("jours_consecutifs", 6, datetime.date(2008, 5, 1), "CASF L423-22", "jours de travail consécutifs au plus"),
    Limit(
        "repos_hebdo_h",
        24,
        datetime.date(2008, 5, 1),
        "CASF L423-22",
        "heures de repos par semaine, plus le repos quotidien",
    ),
    Limit("heures_semaine", 48, datetime.date(2008, 5, 1), "CASF L423-22", "heures par semaine en moyenne"),
    Limit("heures_an", 2250, datetime.date(2008, 5, 1), "CASF L423-22", "heures par an au plus"),
]


def limit(code: str, on: datetime.date) -> Limit:
    """The limit in force on ``on`` (the latest line of ``LIMITS`` not after it)."""
    found = [item for item in LIMITS if item.code == code and item.since <= on]
    if not found:
        raise LookupError(f"Aucune règle « {code} » en vigueur le {on.isoformat()}")
    return max(found, key=lambda item: item.since)


@dataclass(frozen=True)
class Child:
    key: str  # how the checker names the child (never a name in a message a provider reads)
    birth: datetime.date
    own: bool = False  # the childminder's own child: counts in the age limits, not in the agrément or the hours

    def years_on(self, day: datetime.date) -> int:
        return dates.age(self.birth, day)


@dataclass(frozen=True)
class Presence:
    child: Child
    day: datetime.date
    start: int  # first half-hour slot, 0..47
    end: int  # slot after the last, 1..48

    def __post_init__(self):
        if not 0 <= self.start < self.end <= SLOTS_PER_DAY:
            raise ValueError(f"Créneaux invalides : {self.start}–{self.end}")


@dataclass(frozen=True)
class Agreement:
    """The childminder's agrément: how many children at once (four at most), and whether night care is allowed."""

    capacity: int = 4
    night: bool = False


@dataclass(frozen=True)
class Violation:
    code: str
    article: str
    day: datetime.date
    slot: int | None  # the half-hour concerned, when there is one
    message: str

    @property
    def when(self) -> str:
        moment = french.on_date(self.day, weekday=True)
        return f"{moment} à {slot_label(self.slot)}" if self.slot is not None else moment


def slot_label(slot: int) -> str:
    hours, half = divmod(slot, 2)
    return f"{hours}\u00a0h\u00a0{30 * half:02d}"


@dataclass
class Week:
    """What is present when: per day, per half-hour, the children there."""

    by_slot: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))

    @classmethod
    def of(cls, presences) -> "Week":
        week = cls()
        for presence in presences:
            for slot in range(presence.start, presence.end):
                week.by_slot[presence.day][slot].append(presence.child)
        return week

    def worked(self) -> dict[datetime.date, set[int]]:
        """The half-hours she works each day: some child she is paid to keep is there."""
        return {
            day: {slot for slot, children in slots.items() if any(not c.own for c in children)}
            for day, slots in self.by_slot.items()
        }


def check(
    presences,
    *,
    agreement: Agreement,
    exceptional_days=frozenset(),
    annual_weeks: float = 47.0,
) -> list[Violation]:
    """Every rule broken by this set of presences (all of one childminder's contracts, the new one included), each
    with its article; an empty list when the week is legal.

    ``exceptional_days``: days of the temporary two-more exception (school holidays, an emergency).
    ``annual_weeks``: how many weeks a year the pattern is worked, for the 2,250-hour cap (47 by default: five weeks
    of paid leave)."""
    presences = list(presences)
    week = Week.of(presences)
    found: list[Violation] = []
    found += _capacity(week, agreement, exceptional_days)
    worked = week.worked()
    found += _daily_rest(worked)
    found += _consecutive_days(worked)
    found += _hours(worked, annual_weeks)
    return found


def _capacity(week: Week, agreement: Agreement, exceptional_days) -> list[Violation]:
    found = []
    for day in sorted(week.by_slot):
        accommodated_max = min(agreement.capacity, int(limit("agrement_max", day).value))
        under_11 = int(limit("moins_de_11_ans", day).value)
        if day in exceptional_days:
            under_11 += int(limit("surnombre", day).value)
        under_3 = int(limit("moins_de_3_ans", day).value)
        reported = set()
        for slot in sorted(week.by_slot[day]):
            children = week.by_slot[day][slot]
            kept = [c for c in children if not c.own]
            checks = [
                (
                    "agrement_max",
                    len(kept) > accommodated_max,
                    f"{len(kept)} enfants accueillis à la fois, l'agrément en permet {accommodated_max}",
                ),
                (
                    "moins_de_11_ans",
                    sum(c.years_on(day) < 11 for c in children) > under_11,
                    f"{sum(c.years_on(day) < 11 for c in children)} mineurs de moins de 11 ans à la fois "
                    f"(ses enfants compris), {under_11} au plus",
                ),
                (
                    "moins_de_3_ans",
                    sum(c.years_on(day) < 3 for c in children) > under_3,
                    f"{sum(c.years_on(day) < 3 for c in children)} enfants de moins de 3 ans à la fois "
                    f"(ses enfants compris), {under_3} au plus",
                ),
                (
                    "nuit",
                    bool(kept) and not agreement.night and (slot in NIGHT[0] or slot in NIGHT[1]),
                    "accueil de nuit (22 h – 6 h) sans agrément de nuit",
                ),
            ]
            for code, broken, message in checks:
                if broken and code not in reported:
                    reported.add(code)  # once a day per rule: the first half-hour says when it starts
                    article = "agrément (CASF L421-3)" if code == "nuit" else limit(code, day).article
                    found.append(Violation(code, article, day, slot, f"{message} ({article})."))
    return found


def _periods(worked: dict[datetime.date, set[int]]) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Blocks of continuous work as (start, end) moments, in order."""
    blocks = []
    for day in sorted(worked):
        midnight = datetime.datetime.combine(day, datetime.time(0))
        for slot in sorted(worked[day]):
            start = midnight + datetime.timedelta(minutes=SLOT_MINUTES * slot)
            end = start + datetime.timedelta(minutes=SLOT_MINUTES)
            if blocks and blocks[-1][1] == start:
                blocks[-1] = (blocks[-1][0], end)
            else:
                blocks.append((start, end))
    return blocks


def _daily_rest(worked) -> list[Violation]:
    """L423-21: blocks less than eleven hours apart form one working day, whose span may not exceed 24 − 11 hours."""
    found = []
    blocks = _periods(worked)
    if not blocks:
        return found
    rest = datetime.timedelta(hours=limit("repos_quotidien_h", blocks[0][0].date()).value)
    day_start, day_end = blocks[0]
    for start, end in [*blocks[1:], (None, None)]:
        if start is not None and start - day_end < rest:
            day_end = end
            continue
        if day_end - day_start > datetime.timedelta(hours=24) - rest:
            article = limit("repos_quotidien_h", day_start.date()).article
            span = (day_end - day_start).total_seconds() / 3600
            found.append(
                Violation(
                    "repos_quotidien_h",
                    article,
                    day_start.date(),
                    None,
                    f"moins de 11 heures de repos d'affilée : travail de {slot_label(_slot(day_start))} "
                    f"à {slot_label(_slot(day_end))} le lendemain ou plus tard, {french.number(span, 1)} heures "
                    f"d'amplitude ({article}).",
                )
            )
        if start is not None:
            day_start, day_end = start, end
    return found


def _slot(moment: datetime.datetime) -> int:
    return (moment.hour * 60 + moment.minute) // SLOT_MINUTES


def _consecutive_days(worked) -> list[Violation]:
    """L423-22: six consecutive days of work at most, and a weekly rest of 24 + 11 hours."""
    found = []
    days = sorted(day for day, slots in worked.items() if slots)
    run = []
    for day in days:
        run = run + [day] if run and day - run[-1] == datetime.timedelta(days=1) else [day]
        most = int(limit("jours_consecutifs", day).value)
        if len(run) == most + 1:
            article = limit("jours_consecutifs", day).article
            found.append(
                Violation(
                    "jours_consecutifs",
                    article,
                    day,
                    None,
                    f"{most + 1}e jour de travail d'affilée, {most} au plus ({article}).",
                )
            )
    # Every seven days hold one rest of 24 + 11 hours: from the start of work, or the end of such a rest, the next
    # one must begin within seven days.
    blocks = _periods(worked)
    if blocks:
        weekly = datetime.timedelta(
            hours=limit("repos_hebdo_h", days[0]).value + limit("repos_quotidien_h", days[0]).value
        )
        since = blocks[0][0]
        for (_, end), (start, _) in [*zip(blocks, blocks[1:], strict=False), ((None, blocks[-1][1]), (None, None))]:
            if end - since > datetime.timedelta(days=7):
                article = limit("repos_hebdo_h", since.date()).article
                found.append(
                    Violation(
                        "repos_hebdo_h",
                        article,
                        since.date(),
                        None,
                        f"pas de repos de {int(weekly.total_seconds() // 3600)} heures d'affilée en sept jours "
                        f"({article}).",
                    )
                )
                break
            if start is not None and start - end >= weekly:
                since = start
    return found


def _hours(worked, annual_weeks: float) -> list[Violation]:
    """L423-22: 48 hours a week on average, 2,250 a year, over the weeks the presences cover."""
    found = []
    days = sorted(day for day, slots in worked.items() if slots)
    if not days:
        return found
    total = sum(len(slots) for slots in worked.values()) * SLOT_MINUTES / 60
    weeks = max(1, ((days[-1] - days[0]).days // 7) + 1)
    average = total / weeks
    weekly = limit("heures_semaine", days[0])
    if average > weekly.value:
        found.append(
            Violation(
                "heures_semaine",
                weekly.article,
                days[0],
                None,
                f"{french.number(average, 1)} heures par semaine en moyenne, {french.number(weekly.value)} au plus "
                f"({weekly.article}).",
            )
        )
    yearly = limit("heures_an", days[0])
    if average * annual_weeks > yearly.value:
        found.append(
            Violation(
                "heures_an",
                yearly.article,
                days[0],
                None,
                f"{french.number(average * annual_weeks)} heures par an ({french.number(annual_weeks)} semaines "
                f"travaillées), {french.number(yearly.value)} au plus ({yearly.article}).",
            )
        )
    return found
