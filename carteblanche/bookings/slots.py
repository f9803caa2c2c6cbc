"""Free slots of a motif: the schedules that offer it, their days (weekly or every two weeks), cut into slots of
the motif's duration plus its buffer, less the absences, the times already held and what the booking delays
forbid. Three queries whatever the period (schedules, absences, holds); the rest is arithmetic.

Times are wall-clock times in Paris: a slot at 9 h stays at 9 h the day the clocks change (the day is 23 or 25
hours long; a slot that would start in the hour skipped in spring does not exist).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .models import BLOCK_MINUTES, PARIS, Absence, Motif, Schedule, SlotHold, agent_calendar

BLOCK = datetime.timedelta(minutes=BLOCK_MINUTES)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    calendar: str
    schedule_id: int
    agent_id: int | None
    resource_id: int | None
    site_id: int | None
    bus_stop_id: int | None
    seats_left: int = 1

    @property
    def local(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def key(self) -> str:
        """How a page names the slot in a form: its start (UTC, minutes) and where."""
        return f"{self.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M}-{self.site_id or 0}-{self.bus_stop_id or 0}"


def parse_key(key: str) -> tuple[datetime.datetime, int | None, int | None]:
    """(start, site id, bus stop id) of a slot's key; ValueError if it is not one."""
    moment, site, stop = key.split("-")
    start = datetime.datetime.strptime(moment, "%Y%m%dT%H%M").replace(tzinfo=datetime.UTC)
    return start, int(site) or None, int(stop) or None


def wall(day: datetime.date, time: datetime.time) -> datetime.datetime | None:
    """The Paris moment of a wall-clock time, None when that time does not exist that day (spring forward)."""
    moment = datetime.datetime.combine(day, time, tzinfo=PARIS)
    round_trip = moment.astimezone(datetime.UTC).astimezone(PARIS)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


def blocks(start: datetime.datetime, end: datetime.datetime):
    """The five-minute blocks of [start, end), in absolute time."""
    at = start.astimezone(datetime.UTC)
    end = end.astimezone(datetime.UTC)
    while at < end:
        yield at
        at += BLOCK


def openings(schedules, day: datetime.date):
    """(schedule, opens, closes) of each schedule open on ``day``, its wall-clock hours as Paris moments (a day
    whose opening or closing hour does not exist, in the hour skipped in spring, has none)."""
    for schedule in schedules:
        if not schedule.occurs_on(day):
            continue
        opens, closes = wall(day, schedule.start), wall(day, schedule.end)
        if opens is not None and closes is not None:
            yield schedule, opens, closes


def bookable_window(motif: Motif, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """From when to when the motif may be booked at ``now`` (its notice: at most so many days ahead, at least so
    many hours before)."""
    earliest = now + datetime.timedelta(hours=motif.min_notice_hours)
    last_day = timezone.localtime(now).date() + datetime.timedelta(days=motif.max_notice_days)
    latest = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(0), tzinfo=PARIS)
    return earliest, latest


def schedules_of(motif: Motif, first: datetime.date, last: datetime.date, *, site=None, calendar: str = ""):
    found = Schedule.objects.filter(motifs=motif, first_date__lte=last).filter(
        Q(last_date__isnull=True) | Q(last_date__gte=first)
    )
    if site is not None:
        found = found.filter(site=site)
    if calendar:
        kind, pk = calendar.split(":")
        found = found.filter(resource_id=pk) if kind == "ressource" else found.filter(agent_id=pk)
    return list(found.order_by("pk"))


def free_slots(
    motif: Motif,
    *,
    first: datetime.date,
    last: datetime.date,
    now: datetime.datetime,
    site=None,
    calendar: str = "",
    respect_notice: bool = True,
) -> list[Slot]:
    """The free slots of ``motif`` from day ``first`` to day ``last`` (local days), sorted by start.

    ``respect_notice=False`` is for an agent at the counter: she may book today or beyond the residents' horizon,
    never in the past."""
    schedules = schedules_of(motif, first, last, site=site, calendar=calendar)
    if not schedules:
        return []
    if respect_notice:
        earliest, latest = bookable_window(motif, now)
    else:
        earliest, latest = now, datetime.datetime.max.replace(tzinfo=datetime.UTC)
    span_start = max(datetime.datetime.combine(first, datetime.time(0), tzinfo=PARIS), earliest)
    span_end = min(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), tzinfo=PARIS), latest
    )
    if span_start >= span_end:
        return []
    calendars = {s.calendar for s in schedules}
    lower, upper = _minute(span_start), _minute(span_end)
    duration, step = motif.duration_minutes, motif.held_minutes
    absences = _absences(calendars, span_start, span_end)
    held, seats = _holds(calendars, span_start, span_end + datetime.timedelta(minutes=step))
    found = []
    day = first
    while day <= last:
        for schedule, opens, closes in openings(schedules, day):
            calendar = schedule.calendar
            away = absences.get(calendar, ())
            start, closes = _minute(opens), _minute(closes)
            while start + duration <= closes:
                if lower <= start < upper and not _absent(away, start, start + duration):
                    left = _seats_left(motif, calendar, start, start + step, held, seats)
                    if left:
                        found.append(_slot(schedule, start, start + duration, left))
                start += step
        day += datetime.timedelta(days=1)
    found.sort(key=lambda s: (s.starts_at, s.schedule_id))
    return found


def _minute(moment: datetime.datetime) -> int:
    """Minutes since the epoch (UTC): the slot arithmetic works on these integers, in absolute time."""
    return int(moment.timestamp()) // 60


def _moment(minute: int) -> datetime.datetime:
    return EPOCH + datetime.timedelta(minutes=minute)


def _slot(schedule: Schedule, start: int, end: int, left: int) -> Slot:
    return Slot(
        starts_at=_moment(start),
        ends_at=_moment(end),
        calendar=schedule.calendar,
        schedule_id=schedule.pk,
        agent_id=schedule.agent_id,
        resource_id=schedule.resource_id,
        site_id=schedule.site_id,
        bus_stop_id=schedule.bus_stop_id,
        seats_left=left,
    )


def _absences(calendars, start, end) -> dict[str, list[tuple[int, int]]]:
    agents = [int(c.split(":")[1]) for c in calendars if c.startswith("agent:")]
    resources = [int(c.split(":")[1]) for c in calendars if c.startswith("ressource:")]
    rows = Absence.objects.filter(starts_at__lt=end, ends_at__gt=start).filter(
        Q(agent_id__in=agents) | Q(resource_id__in=resources)
    )
    found = defaultdict(list)
    for absence in rows.values("agent_id", "resource_id", "starts_at", "ends_at"):
        calendar = (
            f"ressource:{absence['resource_id']}" if absence["resource_id"] else agent_calendar(absence["agent_id"])
        )
        found[calendar].append((_minute(absence["starts_at"]), _minute(absence["ends_at"]) + _partial(absence)))
    return found


def _partial(absence) -> int:
    """One more minute when an absence ends within a minute (it still covers that minute)."""
    end = absence["ends_at"]
    return 1 if end.second or end.microsecond else 0


def _absent(intervals, start: int, end: int) -> bool:
    return any(a_start < end and start < a_end for a_start, a_end in intervals)


def _holds(calendars, start, end) -> tuple[set, Counter]:
    """The blocks held (calendar, minute) and, for collective starts, how many seats are taken."""
    held, seats = set(), Counter()
    rows = SlotHold.objects.filter(calendar__in=calendars, at__gte=start, at__lt=end)
    for calendar, at in rows.values_list("calendar", "at"):
        key = (calendar, _minute(at))
        held.add(key)
        seats[key] += 1
    return held, seats


def _seats_left(motif: Motif, calendar: str, start: int, held_until: int, held: set, seats: Counter) -> int:
    if motif.is_collective:
        return max(0, motif.capacity - seats[(calendar, start)])
    return 0 if any((calendar, block) in held for block in range(start, held_until, BLOCK_MINUTES)) else 1


def first_free(
    motif: Motif,
    *,
    now: datetime.datetime,
    horizon_days: int | None = None,
    site=None,
    respect_notice: bool = True,
) -> Slot | None:
    """The first free slot a resident could book now (what « délai jusqu'au premier créneau » measures); at one
    site when given; for an agent (``respect_notice=False``) the notice is not asked."""
    today = timezone.localtime(now).date()
    horizon = horizon_days if horizon_days is not None else motif.max_notice_days
    step = 7
    day = today
    while day <= today + datetime.timedelta(days=horizon):
        last = min(day + datetime.timedelta(days=step - 1), today + datetime.timedelta(days=horizon))
        found = free_slots(motif, first=day, last=last, now=now, site=site, respect_notice=respect_notice)
        if found:
            return found[0]
        day = last + datetime.timedelta(days=1)
    return None


def by_day(slots: list[Slot]) -> list[tuple[datetime.date, list[Slot]]]:
    """Slots grouped by local day, one per start and place (two agents free at 9 h show one 9 h)."""
    days = defaultdict(dict)
    for slot in slots:
        local = slot.local
        days[local.date()].setdefault((local.time(), slot.site_id, slot.bus_stop_id), slot)
    return [(day, sorted(found.values(), key=lambda s: s.starts_at)) for day, found in sorted(days.items())]
