"""Figures of the bookings, per motif and site, over a period: appointments taken, seen, excused, cancelled and
« lapins », the no-show rate, the average delay to the first free slot; and the use of each resource (the booth)
by half-day: of the time it was open, how much was booked and how much used. Grouped counts in the database, then
arithmetic over the resource's schedules; the same rows feed the page and its CSV export.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils import timezone

from carteblanche.core import french

from .enums import Status
from .models import PARIS, Appointment, Motif, Resource
from .slots import openings

NOON = datetime.time(13, 0)  # a morning ends at 13 h, an afternoon after it
HALF_DAYS = ("matin", "après-midi")


@dataclass
class MotifRow:
    motif: str
    organisation: str
    site: str
    taken: int = 0
    seen: int = 0
    no_show: int = 0
    excused: int = 0
    cancelled: int = 0
    delay_days: float | None = None
    delay_n: int = 0

    @property
    def no_show_rate(self) -> float | None:
        """« Lapins » among the appointments whose day came and that were not excused or cancelled."""
        done = self.seen + self.no_show
        return self.no_show / done if done else None


@dataclass
class HalfDayRow:
    weekday: int
    half: str
    opened: int = 0  # half-days it was open in the period
    open_minutes: int = 0
    booked_minutes: int = 0
    used_minutes: int = 0

    @property
    def label(self) -> str:
        return f"{french.WEEKDAYS[self.weekday]} {self.half}"

    @property
    def booked_share(self) -> float | None:
        return self.booked_minutes / self.open_minutes if self.open_minutes else None

    @property
    def used_share(self) -> float | None:
        return self.used_minutes / self.open_minutes if self.open_minutes else None


@dataclass
class ResourceUse:
    resource: Resource
    rows: list[HalfDayRow] = field(default_factory=list)


def motif_rows(motifs, *, first: datetime.date, last: datetime.date) -> list[MotifRow]:
    """One row per motif and site of the appointments that start between ``first`` and ``last`` (local days)."""
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=PARIS)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), tzinfo=PARIS)
    grouped = (
        Appointment.objects.filter(motif__in=motifs, starts_at__gte=start, starts_at__lt=end)
        .values("motif__name", "motif__organisation__name", "site__name", "bus_stop__place", "motif__place")
        .annotate(
            taken=Count("id"),
            seen=Count("id", filter=Q(status=Status.SEEN)),
            no_show=Count("id", filter=Q(status=Status.NO_SHOW)),
            excused=Count("id", filter=Q(status=Status.EXCUSED)),
            cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
            delay=Avg("first_free_days"),
            delay_n=Count("first_free_days"),
        )
        .order_by("motif__organisation__name", "motif__name", "site__name")
    )
    place_labels = dict(Motif._meta.get_field("place").choices)
    return [
        MotifRow(
            motif=row["motif__name"],
            organisation=row["motif__organisation__name"],
            site=row["site__name"]
            or (f"Bus, {row['bus_stop__place']}" if row["bus_stop__place"] else place_labels[row["motif__place"]]),
            taken=row["taken"],
            seen=row["seen"],
            no_show=row["no_show"],
            excused=row["excused"],
            cancelled=row["cancelled"],
            delay_days=row["delay"],
            delay_n=row["delay_n"],
        )
        for row in grouped
    ]


def _half(moment: datetime.datetime) -> str:
    return HALF_DAYS[0] if timezone.localtime(moment).time() < NOON else HALF_DAYS[1]


def _minutes(start: datetime.datetime, end: datetime.datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


def resource_use(resources, *, first: datetime.date, last: datetime.date, today: datetime.date) -> list[ResourceUse]:
    """For each resource, per weekday and half-day: the half-days it was open (its schedules, up to ``today``), the
    minutes open, booked (appointments not cancelled, buffers left out) and used (seen)."""
    last = min(last, today)
    found = []
    for resource in resources:
        rows: dict[tuple[int, str], HalfDayRow] = {}
        schedules = list(resource.schedules.all())
        day = first
        while day <= last:
            for _, opens, closes in openings(schedules, day):
                # A schedule across 13 h counts in both halves.
                noon = datetime.datetime.combine(day, NOON, tzinfo=PARIS)
                for lo, hi in ((opens, min(closes, noon)), (max(opens, noon), closes)):
                    if hi > lo:
                        row = rows.setdefault((day.weekday(), _half(lo)), HalfDayRow(day.weekday(), _half(lo)))
                        row.open_minutes += _minutes(lo, hi)
                        row.opened += 1
            day += datetime.timedelta(days=1)
        start = datetime.datetime.combine(first, datetime.time(0), tzinfo=PARIS)
        end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), tzinfo=PARIS)
        booked = (
            Appointment.objects.filter(resource=resource, starts_at__gte=start, starts_at__lt=end)
            .exclude(status__in=[Status.CANCELLED, Status.EXCUSED])
            .values_list("starts_at", "ends_at", "status")
        )
        for starts_at, ends_at, status in booked:
            local = timezone.localtime(starts_at)
            row = rows.setdefault((local.weekday(), _half(starts_at)), HalfDayRow(local.weekday(), _half(starts_at)))
            row.booked_minutes += _minutes(starts_at, ends_at)
            if status == Status.SEEN:
                row.used_minutes += _minutes(starts_at, ends_at)
        ordered = sorted(rows.values(), key=lambda r: (r.weekday, HALF_DAYS.index(r.half)))
        found.append(ResourceUse(resource=resource, rows=ordered))
    return found


def csv_rows(rows: list[MotifRow], uses: list[ResourceUse], *, first, last) -> list[list]:
    """The export: one line per motif and site, then one per resource and half-day (numbers for machines)."""
    out = [
        [
            "période",
            "organisation",
            "motif",
            "lieu",
            "rendez-vous pris",
            "honorés",
            "lapins",
            "excusés",
            "annulés",
            "taux de lapins",
            "délai moyen jusqu'au premier créneau (jours)",
            "réservations en ligne mesurées",
        ]
    ]
    period = f"{first.isoformat()}/{last.isoformat()}"
    for row in rows:
        rate = row.no_show_rate
        out.append(
            [
                period,
                row.organisation,
                row.motif,
                row.site,
                row.taken,
                row.seen,
                row.no_show,
                row.excused,
                row.cancelled,
                "" if rate is None else round(rate, 4),
                "" if row.delay_days is None else round(row.delay_days, 1),
                row.delay_n,
            ]
        )
    out.append([])
    out.append(
        ["période", "ressource", "lieu", "demi-journée", "demi-journées ouvertes", "minutes ouvertes"]
        + ["minutes réservées", "minutes utilisées", "part réservée", "part utilisée"]
    )
    for use in uses:
        for row in use.rows:
            out.append(
                [
                    period,
                    use.resource.name,
                    use.resource.site.name,
                    row.label,
                    row.opened,
                    row.open_minutes,
                    row.booked_minutes,
                    row.used_minutes,
                    "" if row.booked_share is None else round(row.booked_share, 4),
                    "" if row.used_share is None else round(row.used_share, 4),
                ]
            )
    return out
