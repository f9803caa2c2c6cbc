"""Results of structures, by quarter: a handful of grouped queries, whatever the number of answers and visits."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from carteblanche.core import french
from carteblanche.core.throttle import unreachable_errors

from . import indicators
from .enums import AnswerChannel, ExperienceStatus, Satisfaction, Subject, VisitOutcome
from .models import Answer, CallTally, Experience, Structure, Visit, quarter_of, week_of

QUARTERS_SHOWN = 8  # two years of trend
PERIOD_QUARTERS = 4  # the published value: the last four quarters, the current one included


def shift_quarter(start: datetime.date, quarters: int) -> datetime.date:
    months = start.year * 12 + start.month - 1 + 3 * quarters
    return datetime.date(months // 12, months % 12 + 1, 1)


def quarter_label(start: datetime.date) -> str:
    return f"T{(start.month - 1) // 3 + 1} {start.year}"


@dataclass
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"du {french.date(self.start)} au {french.date(self.end)}"


@dataclass
class Results:
    """One structure's (or a territory's) indicators over the period, and by quarter for the trend."""

    period: Period
    quarters: list[datetime.date]
    current: dict[str, indicators.Indicator] = field(default_factory=indicators.blank_set)
    by_quarter: dict[datetime.date, dict[str, indicators.Indicator]] = field(default_factory=dict)

    def quarter(self, start: datetime.date) -> dict[str, indicators.Indicator]:
        if start not in self.by_quarter:
            self.by_quarter[start] = indicators.blank_set()
        return self.by_quarter[start]

    def add(self, other: "Results") -> None:
        for start, values in other.by_quarter.items():
            mine = self.quarter(start)
            for code, indicator in values.items():
                mine[code].add(indicator)
        self.close()

    def close(self) -> None:
        """Sums the quarters of the period into ``current``."""
        self.current = indicators.blank_set()
        for start, values in self.by_quarter.items():
            if start >= self.period.start:
                for code, indicator in values.items():
                    self.current[code].add(indicator)

    def trend(self, code: str) -> list[dict]:
        """[{"quarter": "T1 2026", "value": 0.82 or None, "n": 23, "indicator": …}] oldest first."""
        rows = []
        for start in self.quarters:
            indicator = self.by_quarter.get(start, indicators.blank_set())[code]
            rows.append({"quarter": quarter_label(start), "start": start, "indicator": indicator})
        return rows


def window(today: datetime.date) -> tuple[list[datetime.date], Period]:
    current = quarter_of(today)
    quarters = [shift_quarter(current, -k) for k in range(QUARTERS_SHOWN - 1, -1, -1)]
    return quarters, Period(start=shift_quarter(current, 1 - PERIOD_QUARTERS), end=today)


MEMO_SECONDS = 26 * 60 * 60


def _memo_key(structure_id: int, quarter: datetime.date, today: datetime.date) -> str:
    # The day is in the key: a referral of a closed quarter becomes late when its promised day passes.
    return f"qualite:trimestre:{structure_id}:{quarter.isoformat()}:{today.isoformat()}"


def forget(structure_id: int, quarter: datetime.date) -> None:
    """A write in that structure and quarter: its memorised results are computed again (today's, the only ones
    read). Called by ``signals`` on every answer, visit, call tally or experience saved or deleted."""
    _cache_call("delete", _memo_key(structure_id, quarter, timezone.localdate()))


def _cache_call(method, *args):
    try:
        return getattr(cache, method)(*args)
    except unreachable_errors():
        return None


def results_for(structures, *, today: datetime.date) -> dict[int, Results]:
    """Each structure's results (keyed by its id), from seven grouped queries in all.

    Closed quarters change only when something is written in them (a flagged answer set aside, a referral answered,
    a day of calls imported): their results are memorised in the shared cache, forgotten at each such write
    (``forget``), so that a page usually recounts the current quarter only."""
    structures = list(structures)
    quarters, period = window(today)
    found = {s.pk: Results(period=period, quarters=quarters) for s in structures}
    ids = list(found)
    keys = {(pk, q): _memo_key(pk, q, today) for pk in ids for q in quarters[:-1]}
    stored = _cache_call("get_many", list(keys.values())) if keys else {}
    stored = stored or {}
    complete = len(stored) == len(keys)
    _count(found, ids, first=quarters[-1] if complete else quarters[0], today=today)
    if complete:
        for (pk, quarter), key in keys.items():
            found[pk].by_quarter[quarter] = stored[key]
    elif keys:
        _cache_call(
            "set_many",
            {key: found[pk].by_quarter.get(quarter) or indicators.blank_set() for (pk, quarter), key in keys.items()},
            MEMO_SECONDS,
        )
    for result in found.values():
        result.close()
    return found


COUNTERS = []  # other apps' counts, each ``counter(found, ids, first=, today=)`` (the bookings' appointments)


def add_counter(counter) -> None:
    """Another app adds its counts to the structures' results (its indicators are defined in ``indicators``)."""
    if counter not in COUNTERS:
        COUNTERS.append(counter)


def share(indicator: indicators.Indicator, hits: int, n: int) -> None:
    _share(indicator, hits, n)


def _count(found: dict[int, Results], ids: list[int], *, first: datetime.date, today: datetime.date) -> None:
    """The grouped counts of quarters ``first`` to today, into each structure's ``by_quarter``."""
    answers = (
        Answer.objects.filter(structure_id__in=ids, quarter__gte=first, quarter__lte=today, excluded=False)
        .values("structure_id", "quarter")
        .annotate(
            n=Count("id"),
            good=Count("id", filter=Q(satisfaction=Satisfaction.GOOD)),
            clear_n=Count("id", filter=Q(comprehension__isnull=False)),
            clear_good=Count("id", filter=Q(comprehension__gte=4)),
            tried_n=Count("id", filter=Q(help_reached__isnull=False)),
            reached=Count("id", filter=Q(help_reached=True)),
            quality_n=Count("id", filter=Q(help_quality__isnull=False)),
            quality_good=Count("id", filter=Q(help_quality__gte=4)),
        )
        .order_by()
    )
    for row in answers:
        q = found[row["structure_id"]].quarter(row["quarter"])
        _share(q["satisfaction"], row["good"], row["n"])
        _share(q["clarte"], row["clear_good"], row["clear_n"])
        _share(q["joignabilite"], row["reached"], row["tried_n"])
        _share(q["qualite_aide"], row["quality_good"], row["quality_n"])

    visits = Visit.objects.filter(structure_id__in=ids, quarter__gte=first, quarter__lte=today)
    waits = (
        visits.filter(wait_minutes__isnull=False)
        .values_list("structure_id", "quarter", "wait_minutes")
        .annotate(n=Count("id"))
        .order_by()
    )
    for structure_id, quarter, minutes, n in waits:
        indicator = found[structure_id].quarter(quarter)["attente"]
        indicator.histogram[minutes] += n
        indicator.n += n
    outcomes = (
        visits.exclude(outcome="").values("structure_id", "quarter", "outcome").annotate(n=Count("id")).order_by()
    )
    for row in outcomes:
        q = found[row["structure_id"]].quarter(row["quarter"])
        if row["outcome"] == VisitOutcome.LEFT:
            continue
        q["resolution"].n += row["n"]
        if row["outcome"] == VisitOutcome.SOLVED:
            q["resolution"].hits += row["n"]
        if row["outcome"] == VisitOutcome.REFERRED:
            q["orientations"].n += row["n"]
    delays = (
        visits.filter(outcome=VisitOutcome.REFERRED, answer_due_on__isnull=False)
        .filter(Q(answered_on__isnull=False) | Q(answer_due_on__lt=today))
        .values("structure_id", "quarter")
        .annotate(n=Count("id"), met=Count("id", filter=Q(answered_on__lte=F("answer_due_on"))))
        .order_by()
    )
    for row in delays:
        _share(found[row["structure_id"]].quarter(row["quarter"])["delais"], row["met"], row["n"])

    calls = (
        CallTally.objects.filter(structure_id__in=ids, quarter__gte=first, date__lte=today)
        .values("structure_id", "quarter")
        .annotate(received=Sum("received"), answered=Sum("answered"))
        .order_by()
    )
    for row in calls:
        _share(found[row["structure_id"]].quarter(row["quarter"])["appels"], row["answered"], row["received"])

    replied = Experience.objects.filter(
        structure_id__in=ids, status=ExperienceStatus.PUBLISHED, replied_at__isnull=False, told_at__date__gte=first
    ).values_list("structure_id", "told_at", "replied_at")
    for structure_id, told_at, replied_at in replied:
        indicator = found[structure_id].quarter(quarter_of(told_at))["reponse_experiences"]
        indicator.histogram[(timezone.localdate(replied_at) - timezone.localdate(told_at)).days] += 1
        indicator.n += 1
    for counter in COUNTERS:
        counter(found, ids, first=first, today=today)


def _share(indicator: indicators.Indicator, hits: int, n: int) -> None:
    indicator.hits += hits or 0
    indicator.n += n or 0


@dataclass
class ChannelRow:
    label: str
    satisfaction: indicators.Indicator  # its ``n`` is the channel's answers


def by_channel(structure, *, today: datetime.date) -> list[ChannelRow]:
    """Where the period's answers came from (poster, tablet, link after a visit, a ride or an appointment, paper),
    each with its share of « très bien »: a source that answers differently shows."""
    _, period = window(today)
    rows = (
        Answer.objects.filter(structure=structure, excluded=False, quarter__gte=period.start, quarter__lte=today)
        .values("channel")
        .annotate(n=Count("id"), good=Count("id", filter=Q(satisfaction=Satisfaction.GOOD)))
        .order_by("-n", "channel")
    )
    found = []
    for row in rows:
        satisfaction = indicators.blank("satisfaction")
        satisfaction.hits, satisfaction.n = row["good"], row["n"]
        found.append(ChannelRow(label=AnswerChannel(row["channel"]).label, satisfaction=satisfaction))
    return found


def territory_results(territory, *, today: datetime.date, published_only: bool = True) -> tuple[list, Results]:
    """[(structure, its results)] and the territory's results (the sum of its structures)."""
    structures = Structure.objects.filter(territory=territory).select_related("territory", "site__commune")
    if published_only:
        structures = structures.filter(is_published=True)
    structures = list(structures)
    each = results_for(structures, today=today)
    quarters, period = window(today)
    total = Results(period=period, quarters=quarters)
    for result in each.values():
        total.add(result)
    return [(s, each[s.pk]) for s in structures], total


@dataclass
class VisitRow:
    key: object
    label: str
    visits: int = 0
    waits: Counter = field(default_factory=Counter)
    solved: int = 0
    closed: int = 0
    referred: int = 0
    left: int = 0

    @property
    def median_wait(self):
        return indicators.median_of(self.waits)

    @property
    def solved_share(self):
        return self.solved / self.closed if self.closed else None


def visit_breakdown(structure, *, today: datetime.date, weeks: int = 8) -> dict[str, list[VisitRow]]:
    """The counter's figures of the last ``weeks`` weeks, per week and per subject (for the agents and the team)."""
    start = week_of(today) - datetime.timedelta(weeks=weeks - 1)
    visits = Visit.objects.filter(structure=structure, week__gte=start, week__lte=today)
    by_week = {start + datetime.timedelta(weeks=k): None for k in range(weeks)}
    rows = {
        "semaine": {w: VisitRow(w, f"semaine du {french.date(w, year=False)}") for w in by_week},
        "objet": {},
    }
    grouped = visits.values("week", "subject", "outcome", "wait_minutes").annotate(n=Count("id")).order_by()
    for row in grouped:
        subject_row = rows["objet"].setdefault(row["subject"], VisitRow(row["subject"], Subject(row["subject"]).label))
        for target in (rows["semaine"].get(row["week"]), subject_row):
            if target is None:
                continue
            target.visits += row["n"]
            if row["wait_minutes"] is not None:
                target.waits[row["wait_minutes"]] += row["n"]
            if row["outcome"] == VisitOutcome.LEFT:
                target.left += row["n"]
            elif row["outcome"]:
                target.closed += row["n"]
                target.solved += row["n"] if row["outcome"] == VisitOutcome.SOLVED else 0
                target.referred += row["n"] if row["outcome"] == VisitOutcome.REFERRED else 0
    return {
        "semaine": list(rows["semaine"].values()),
        "objet": sorted(rows["objet"].values(), key=lambda r: -r.visits),
    }
