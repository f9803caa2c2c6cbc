"""From the team's inputs to a plan of tours, and from a plan to what residents read.

- ``stop_weights``: what serving a stop is worth, by a formula shown on the page;
- ``build``: the solver's problem (matrix, one vehicle per bus, week and day, half-day copies of each stop) and what
  its keys mean;
- ``make_plan``: solve, align weekly stops on the same half-day both weeks, store the plan, say what moved;
- ``publish``: the plan residents see; ``passages`` and ``phrase``: its timetable in plain French;
- ``access_indicator``: inhabitants more than N minutes from a service point, per weekday, before and after.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import french
from carteblanche.exploration.enums import IrritantStatus
from carteblanche.territories.access import haversine_km
from carteblanche.territories.models import ServiceSite

from . import matrix as matrices
from . import solver
from .enums import HALF_DAY_CHOICES, HALF_DAYS, WEEKDAY_NAMES, Frequency, MatrixSource, PlanStatus
from .models import Bus, CandidateStop, PlannedVisit, RoadTimes, TourPlan, TourSettings, minutes_of

# Demand weight of a stop (shown to the team): population × (1 + road km to the nearest fixed site ÷ 10)
# + 200 per irritant raised in the commune. A 500-inhabitant village 20 km from any service weighs 1,500.
DISTANCE_SCALE_KM = 10
IRRITANT_WEIGHT = 200
# A road-time row is used only if its point is still where the stop is (a stop moved since the import is estimated).
STALE_METRES = 200


class PlanError(ValueError):
    """Inputs that cannot give a plan, with the reason in French."""


@dataclass(frozen=True)
class Weight:
    population: int
    nearest_km: float | None
    irritants: int
    override: int | None

    @property
    def computed(self) -> int:
        far = (self.nearest_km if self.nearest_km is not None else 3 * DISTANCE_SCALE_KM) / DISTANCE_SCALE_KM
        return round(self.population * (1 + far) + IRRITANT_WEIGHT * self.irritants)

    @property
    def total(self) -> int:
        return self.override if self.override is not None else self.computed


def settings_for(territory) -> TourSettings:
    found, _ = TourSettings.objects.get_or_create(territory=territory)
    return found


def fixed_sites():
    return list(ServiceSite.objects.with_hours().filter(is_mobile=False))


def stop_weights(territory, stops, sites=None) -> dict[int, Weight]:
    sites = fixed_sites() if sites is None else sites
    factor = float(settings_for(territory).road_factor)
    irritants = dict(
        CandidateStop.objects.filter(pk__in=[s.pk for s in stops])
        .annotate(
            n=Count(
                "commune__irritants",
                filter=Q(commune__irritants__operation__territory=territory)
                & ~Q(commune__irritants__status=IrritantStatus.MERGED),
                distinct=True,
            )
        )
        .values_list("pk", "n")
    )
    weights = {}
    for stop in stops:
        nearest = min(
            (haversine_km(stop.latitude, stop.longitude, s.latitude, s.longitude) for s in sites), default=None
        )
        weights[stop.pk] = Weight(
            population=stop.commune.population,
            nearest_km=None if nearest is None else round(nearest * factor, 1),
            irritants=irritants.get(stop.pk, 0),
            override=stop.weight_override,
        )
    return weights


@dataclass
class Built:
    problem: solver.Problem
    weeks: int
    source: str
    estimated_pairs: int  # pairs of points whose time is estimated although road times were imported
    stops: dict[str, CandidateStop]  # solver stop key → stop
    vehicles: dict[str, tuple[Bus, int, int]]  # vehicle key → (bus, week, weekday)
    windows: dict[solver.Window, tuple[int, str]]  # window → (week, half-day code)
    weights: dict[int, Weight]


def _clip(start: int, end: int, breaks: list[tuple[int, int]]) -> tuple[int, int]:
    """The longest part of [start, end] that no break overlaps (a stop is never open during the driver's break)."""
    pieces = [(start, end)]
    for b_start, b_end in breaks:
        cut = []
        for s, e in pieces:
            if b_end <= s or e <= b_start:
                cut.append((s, e))
                continue
            if s < b_start:
                cut.append((s, b_start))
            if b_end < e:
                cut.append((b_end, e))
        pieces = cut
    return max(pieces, key=lambda p: p[1] - p[0], default=(start, start))


def build(territory, *, previous: TourPlan | None = None, period_start: datetime.date | None = None) -> Built:
    config = settings_for(territory)
    buses = list(Bus.objects.filter(territory=territory, is_active=True).prefetch_related("shifts"))
    stops = list(CandidateStop.objects.active().filter(territory=territory).select_related("commune"))
    if not buses or not any(b.shifts.all() for b in buses):
        raise PlanError("Aucun bus en service n'a de journée de travail : renseignez au moins une journée.")
    if not stops:
        raise PlanError("Aucun arrêt n'est retenu : ajoutez les arrêts possibles du bus.")
    weeks = 2 if any(s.frequency == Frequency.FORTNIGHTLY for s in stops) else 1

    keys = [f"bus-{b.pk}" for b in buses] + [f"arret-{s.pk}" for s in stops]
    points = [(b.depot_latitude, b.depot_longitude) for b in buses] + [(s.latitude, s.longitude) for s in stops]
    durations, distances = matrices.estimated(
        points, road_factor=float(config.road_factor), speed_kmh=float(config.speed_kmh)
    )
    source, estimated_pairs = MatrixSource.ESTIMATE, 0
    road = RoadTimes.objects.filter(territory=territory).first()
    if road is not None:
        source = MatrixSource.ROAD
        rows = {
            key: i
            for i, (key, lat, lon) in enumerate(road.points)
            if key in keys and haversine_km(lat, lon, *points[keys.index(key)]) * 1000 <= STALE_METRES
        }
        for i, a in enumerate(keys):
            for j, b in enumerate(keys):
                if i == j:
                    continue
                if a in rows and b in rows:
                    durations[i][j] = road.durations[rows[a]][rows[b]]
                    distances[i][j] = road.distances[rows[a]][rows[b]]
                else:
                    estimated_pairs += 1

    breaks_by_day = defaultdict(list)
    vehicles, vehicle_keys = [], {}
    for week in range(weeks):
        for index, bus in enumerate(buses):
            for shift in bus.shifts.all():
                base = (week * 7 + shift.weekday) * solver.DAY
                if shift.break_minutes:
                    breaks_by_day[shift.weekday].append((minutes_of(shift.break_start), minutes_of(shift.break_end)))
                key = f"{bus.pk}/{week}/{shift.weekday}"
                vehicles.append(
                    solver.Vehicle(
                        key,
                        depot=index,
                        start=base + minutes_of(shift.start),
                        end=base + minutes_of(shift.end),
                        max_minutes=int(shift.max_hours * 60) + shift.break_minutes,
                    )
                )
                vehicle_keys[key] = (bus, week, shift.weekday)

    windows: dict[solver.Window, tuple[int, str]] = {}

    def windows_of(stop, week_list):
        found = []
        for week in week_list:
            for code, day, afternoon in HALF_DAYS:
                if code not in stop.half_days:
                    continue
                start, end = _clip(*config.half_day(afternoon), breaks_by_day[day])
                base = (week * 7 + day) * solver.DAY
                window = solver.Window(base + start, base + end)
                windows[window] = (week, code)
                found.append(window)
        return found

    weights = stop_weights(territory, stops)
    before, start = (
        _previous_windows(previous, config, breaks_by_day, period_start or previous.period_start)
        if previous
        else ({}, [])
    )
    solver_stops, stop_keys = [], {}
    for index, stop in enumerate(stops, start=len(buses)):
        if weeks == 2 and stop.frequency == Frequency.FORTNIGHTLY:
            groups = [(f"{stop.pk}/f", [0, 1])]
        else:
            groups = [(f"{stop.pk}/{week}", [week]) for week in range(weeks)]
        for key, week_list in groups:
            solver_stops.append(
                solver.Stop(
                    key,
                    location=index,
                    service=stop.service_minutes,
                    windows=windows_of(stop, week_list),
                    weight=max(weights[stop.pk].total, 1),
                    previous=before.get(key),
                )
            )
            stop_keys[key] = stop
    routes = defaultdict(list)  # the previous plan's tours on this horizon: the search starts from them
    for vehicle, stop_pk, week, window in start:
        key = f"{stop_pk}/{week}" if f"{stop_pk}/{week}" in stop_keys else f"{stop_pk}/f"
        if week < weeks and key in stop_keys:
            routes[vehicle].append((key, window))
    problem = solver.Problem(durations, distances, solver_stops, vehicles, start=dict(routes))
    return Built(problem, weeks, source, estimated_pairs, stop_keys, vehicle_keys, windows, weights)


def _previous_windows(plan: TourPlan, config, breaks_by_day, period_start):
    """What the previous plan gave each stop, on the new horizon.

    Returns (stop key → its half-day as a window, [(vehicle key, stop pk, week, window)] in the order of its tours).
    Two-week cycles are matched on the calendar: a visit of the even weeks stays on the even weeks even when the new
    cycle starts on an odd week.
    """
    shift = ((period_start - plan.period_start).days // 7) % 2
    found, visits = {}, []
    for visit in sorted(plan.visits.all(), key=lambda v: (v.week, v.weekday, v.bus_id, v.sequence)):
        day, half = visit.half_day.split("-")
        start, end = _clip(*config.half_day(half == "pm"), breaks_by_day[int(day)])
        for week in (0, 1):
            if plan.weeks == 2 and week != (visit.week - shift) % 2:
                continue
            base = (week * 7 + int(day)) * solver.DAY
            window = solver.Window(base + start, base + end)
            found.setdefault(f"{visit.stop_id}/{week}", window)
            found.setdefault(f"{visit.stop_id}/f", window)
            visits.append((f"{visit.bus_id}/{week}/{visit.weekday}", visit.stop_id, week, window))
    return found, visits


# A dropped stop is re-solved with it forced in, to tell its true reason: at most this many stops (the heaviest
# first), each with this share of the plan's budget (within bounds).
EXPLAINED_STOPS = 4
EXPLAIN_SHARE = 0.15


def solve(built: Built, *, seconds: float, progress=None) -> solver.Plan:
    """Solve; with a two-week cycle, a second pass keeps each weekly stop on the same half-day both weeks. Then each
    dropped stop gets its true reason (``explain``)."""

    def part(low, high):
        return (lambda share: progress(low + share * (high - low))) if progress else None

    weekly_pairs = [k for k in built.stops if k.endswith("/1")]
    if built.weeks == 1 or not weekly_pairs:
        problem = built.problem
        plan = solver.solve(problem, seconds=seconds, progress=part(0, 0.85))
    else:
        first = solver.solve(built.problem, seconds=seconds / 2, progress=part(0, 0.425))
        chosen = {v.stop: v.window for t in first.tours for v in t.visits}
        week = 7 * solver.DAY
        stops = []
        for stop in built.problem.stops:
            if stop.key.endswith("/1") and f"{stop.key[:-2]}/0" in chosen:
                mirror = chosen[f"{stop.key[:-2]}/0"]
                stops.append(dataclasses.replace(stop, previous=solver.Window(mirror.start + week, mirror.end + week)))
            elif stop.key.endswith("/0") and stop.key in chosen and stop.previous is None:
                stops.append(dataclasses.replace(stop, previous=chosen[stop.key]))
            else:
                stops.append(stop)
        problem = dataclasses.replace(built.problem, stops=stops, start=solver.routes_of(first))
        plan = solver.solve(problem, seconds=seconds / 2, progress=part(0.425, 0.85))
    plan = explain(built, problem, plan, seconds=seconds, progress=part(0.85, 1))
    if progress:
        progress(1.0)
    return plan


def half_day_label(built: Built, window: solver.Window, *, article: str = "le") -> str:
    """« le mardi matin », « le jeudi après-midi de la semaine 2 » (``article``: « le », « du », « au »)."""
    week, code = built.windows[window]
    label = dict(HALF_DAY_CHOICES)[code].lower()
    return f"{article} {label}" + (f" de la semaine {week + 1}" if built.weeks == 2 else "")


def _move_label(built: Built, key: str, before: solver.Window, after: solver.Window) -> str:
    """« Saint-Géry du mardi matin au jeudi matin (semaine 2) »."""
    (week_before, code_before), (week_after, code_after) = built.windows[before], built.windows[after]
    name = built.stops[key].commune.name
    days = dict(HALF_DAY_CHOICES)
    if built.weeks == 1 or week_before == week_after:
        suffix = f" (semaine {week_after + 1})" if built.weeks == 2 else ""
        return f"{name} du {days[code_before].lower()} au {days[code_after].lower()}{suffix}"
    return f"{name} {half_day_label(built, before, article='du')} {half_day_label(built, after, article='au')}"


def stop_label(built: Built, key: str) -> str:
    stop = built.stops[key]
    part = key.rsplit("/", 1)[1]
    return stop.commune.name + (f" (semaine {int(part) + 1})" if built.weeks == 2 and part != "f" else "")


def explain(built: Built, problem: solver.Problem, plan: solver.Plan, *, seconds: float, progress=None):
    """Each dropped stop's true reason, learnt by re-solving with it forced in: which stops would have to leave or
    move for it. Where forcing it in costs nothing (the search had missed it), the forced plan is kept."""
    stops = {s.key: s for s in problem.stops}
    basic = dict(plan.dropped)
    reachable = [k for k, reason in plan.dropped if reason.startswith("Le temps de bus")]
    reachable.sort(key=lambda k: -stops[k].weight)
    examined = reachable[:EXPLAINED_STOPS]
    budget = min(max(seconds * EXPLAIN_SHARE, 0.3), 3.0)
    reasons = {}
    for index, key in enumerate(examined):
        if key in plan.served:  # served by a plan adopted for another stop
            continue
        forced = solver.force(problem, plan, key, seconds=budget)
        if progress:
            progress((index + 1) / len(examined))
        if not forced.feasible:
            allowed = french.join([half_day_label(built, w) for w in stops[key].windows], "ou")
            reasons[key] = (
                f"Même en le rendant prioritaire, il ne tient dans aucune tournée : {allowed}, le bus n'a pas le "
                "temps du trajet et de l'arrêt dans ses horaires. Autorisez d'autres demi-journées ou allongez un "
                "service."
            )
            continue
        now = {v.stop: v.window for t in plan.tours for v in t.visits}
        then = {v.stop: v.window for t in forced.tours for v in t.visits}
        lost = [k for k in now if k not in then]
        displaced = [k for k in now if k in then and then[k] != now[k]]
        if not lost and not displaced:
            plan = forced  # serving it costs no other stop: the search had missed it
            basic.update(forced.dropped)
            continue
        actions = []
        if lost:
            actions.append(f"retirer {french.join([stop_label(built, k) for k in lost])} du plan")
        if displaced:
            moves = [_move_label(built, k, now[k], then[k]) for k in displaced]
            actions.append(f"déplacer {french.join(moves)}")
        reason = f"Pour le servir, il faudrait {' et '.join(actions)}."
        published = [k for k in lost + displaced if stops[k].previous is not None and stops[k].previous == now[k]]
        if published:
            holders = french.join([stop_label(built, k) for k in published])
            reason += (
                " Les passages déjà publiés sont gardés tant qu'une contrainte n'oblige pas à les changer : pour le "
                f"servir, libérez {half_day_label(built, then[key])} (que tient {holders}), ou autorisez-lui "
                "d'autres demi-journées."
            )
        else:
            weight = sum(stops[k].weight for k in lost)
            reason += " Le temps de bus de la période ne suffit pas pour tous" + (
                ", et ces arrêts pèsent plus (population, éloignement, irritants)."
                if weight >= stops[key].weight
                else "."
            )
        reasons[key] = reason
    others = len(reachable) - len(examined)
    dropped = []
    for key in [s.key for s in problem.stops if s.key not in plan.served]:
        if key in reasons:
            dropped.append((key, reasons[key]))
        elif key in reachable:
            dropped.append(
                (
                    key,
                    "Le temps de bus de la période est plein. (Seuls les "
                    f"{french.plural(len(examined), 'arrêt', 'arrêts')} non servis les plus lourds sont examinés en "
                    f"détail ; {others} autres ne le sont pas.)",
                )
            )
        else:
            dropped.append((key, basic.get(key) or solver._reason(problem, stops[key])))
    plan.dropped = dropped
    plan.moved = solver.moved(problem, plan)
    return plan


def _time(minutes: int) -> datetime.time:
    minutes %= solver.DAY
    return datetime.time(minutes // 60, minutes % 60)


def opening_times(problem: solver.Problem, tour: solver.Tour) -> list[tuple[int, int]]:
    """(arrival, opening) of each visit of a tour, each stop opening as early as its half-day and the road allow.

    The solver may open a stop later than it could (it shortens the day by leaving the depot later); residents are
    better served by stable, early hours: « de 9 h à 11 h 30 » rather than « de 9 h 17 à 11 h 47 ». The solver's own
    times are kept if the early schedule would break the day's limits (it cannot break a half-day: opening earlier
    only leaves more time for what follows). Openings are rounded up to five minutes where the half-day allows.
    """
    vehicle = next(v for v in problem.vehicles if v.key == tour.vehicle)
    stops = {s.key: s for s in problem.stops}
    times, place, clock_now, departure = [], vehicle.depot, None, None
    for visit in tour.visits:
        stop = stops[visit.stop]
        travel = problem.durations[place][stop.location]
        if clock_now is None:  # leave the depot just in time for the first stop
            arrival = max(visit.window.start, vehicle.start + travel)
            departure = arrival - travel
        else:
            arrival = clock_now + travel
        opening = max(arrival, visit.window.start)
        rounded = math.ceil(opening / 5) * 5
        if rounded + stop.service <= visit.window.end:
            opening = rounded
        if opening + stop.service > visit.window.end:
            return [(v.arrival, v.start) for v in tour.visits]
        times.append((arrival, opening))
        clock_now, place = opening + stop.service, stop.location
    if times:
        back = clock_now + problem.durations[place][vehicle.depot]
        if back > vehicle.end or (vehicle.max_minutes and back - departure > vehicle.max_minutes):
            return [(v.arrival, v.start) for v in tour.visits]
    return times


def previous_plan(territory) -> TourPlan | None:
    return TourPlan.objects.filter(territory=territory, status=PlanStatus.PUBLISHED).prefetch_related("visits").first()


def next_monday(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)


def make_plan(
    territory, *, period_start: datetime.date, user=None, job=None, progress=None, seconds: float | None = None
) -> TourPlan:
    previous = previous_plan(territory)
    built = build(territory, previous=previous, period_start=period_start)
    config = settings_for(territory)
    started = time.perf_counter()
    result = solve(built, seconds=seconds or config.solve_seconds, progress=progress)
    elapsed = time.perf_counter() - started
    with transaction.atomic():
        plan = TourPlan.objects.create(
            territory=territory,
            period_start=period_start,
            weeks=built.weeks,
            job=job,
            based_on=previous,
            matrix_source=built.source,
            feasible=result.feasible,
            seconds=round(elapsed, 1),
            distance_m=sum(t.distance for t in result.tours),
            created_by=user,
        )
        visits = []
        for tour in result.tours:
            bus, week, weekday = built.vehicles[tour.vehicle]
            times = opening_times(built.problem, tour)
            for sequence, (visit, (arrival, start)) in enumerate(zip(tour.visits, times, strict=True), start=1):
                stop = built.stops[visit.stop]
                visits.append(
                    PlannedVisit(
                        plan=plan,
                        stop=stop,
                        bus=bus,
                        week=week,
                        weekday=weekday,
                        half_day=built.windows[visit.window][1],
                        arrival=_time(arrival),
                        start=_time(start),
                        end=_time(start + stop.service_minutes),
                        sequence=sequence,
                    )
                )
        PlannedVisit.objects.bulk_create(visits)
        plan.dropped = _dropped(built, result)
        plan.moved = _moved(previous, plan) if previous else []
        plan.access = access_indicator(territory, plan)
        plan.save(update_fields=["dropped", "moved", "access"])
    return plan


def _dropped(built: Built, result: solver.Plan) -> list[dict]:
    rows = []
    for key, reason in result.dropped:
        stop = built.stops[key]
        part = key.rsplit("/", 1)[1]
        rows.append(
            {
                "stop": stop.pk,
                "commune": stop.commune.name,
                "place": stop.place,
                "weeks": "" if built.weeks == 1 or part == "f" else f"semaine {int(part) + 1} du cycle",
                "weight": built.weights[stop.pk].total,
                "reason": reason,
            }
        )
    rows.sort(key=lambda r: -r["weight"])
    return rows


def _moved(previous: TourPlan, plan: TourPlan) -> list[dict]:
    """Every change for residents between two plans, said in French: stops whose passages changed (day, hours, or
    which fortnight), stops the bus no longer serves, stops it now serves. ``kind``: moved, left, new."""
    on = timezone.localdate()
    before, after = _slots(previous, on), _slots(plan, on)
    stops = {s.pk: s for s in CandidateStop.objects.filter(pk__in=set(before) | set(after)).select_related("commune")}
    rows = []
    for pk in set(before) | set(after):
        if pk in before and pk in after and before[pk][0] == after[pk][0]:
            continue
        kind = "moved" if pk in before and pk in after else "left" if pk in before else "new"
        rows.append(
            {
                "stop": pk,
                "commune": stops[pk].commune.name,
                "place": stops[pk].place,
                "kind": kind,
                "before": before[pk][1] if pk in before else "Pas de passage",
                "after": after[pk][1] if pk in after else "Ne passe plus",
            }
        )
    order = {"left": 0, "moved": 1, "new": 2}
    return sorted(rows, key=lambda r: (order[r["kind"]], r["commune"]))


def _slots(plan: TourPlan, on: datetime.date) -> dict[int, tuple[set, str]]:
    by_stop = defaultdict(list)
    for passage in passages(plan, on=on):
        by_stop[passage.stop_id].append(passage)
    return {pk: ({p.slot for p in found}, " et ".join(p.phrase() for p in found)) for pk, found in by_stop.items()}


# ---------------------------------------------------------------------------------------------------------------
# What residents read


@dataclass(frozen=True)
class Passage:
    stop_id: int
    weekday: int
    start: datetime.time
    end: datetime.time
    every_week: bool
    week: int  # the first week of the cycle it falls in
    parity: str  # "paires" or "impaires": the ISO weeks it falls in around the reading day, when not every week
    # After a 53-week ISO year (2026, 2032…) week 53 and week 1 are both odd: the parity flips. Set when it flips at
    # the end of the reading day's ISO year: the parity from then on, and the year it starts.
    parity_after: str = ""
    parity_after_from: datetime.date | None = None
    fortnight: int | None = None  # which of two alternating calendar weeks, for a fortnightly passage

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.weekday]

    @property
    def weeks_label(self) -> str:
        """« chaque semaine », « semaines impaires », « semaines impaires (paires à partir de 2027) »."""
        if self.every_week:
            return "chaque semaine"
        label = f"semaines {self.parity}"
        if self.parity_after:
            label += f" ({self.parity_after} à partir du {date_format(self.parity_after_from, 'j F Y')})"
        return label

    def phrase(self) -> str:
        hours = f"de {clock(self.start)} à {clock(self.end)}"
        if self.every_week:
            return f"le {self.weekday_name} {hours}, chaque semaine"
        phrase = f"le {self.weekday_name} des semaines {self.parity} {hours}"
        if self.parity_after:
            phrase += f" (des semaines {self.parity_after} à partir du {date_format(self.parity_after_from, 'j F Y')})"
        return phrase

    @property
    def slot(self) -> tuple:
        """What a resident relies on, whatever the day it is read: the weekday, the hours, and for a fortnightly
        passage which of the two alternating weeks (counted on the calendar, not on ISO numbers)."""
        return (self.weekday, self.start, self.end, self.every_week, self.fortnight)

    def first_date(self, period_start: datetime.date) -> datetime.date:
        return period_start + datetime.timedelta(days=7 * self.week + self.weekday)

    def next_dates(self, period_start: datetime.date, today: datetime.date, count: int = 4) -> list[datetime.date]:
        """The next days the bus comes (today included), every week or every other week from the plan's start."""
        step = 7 if self.every_week else 14
        day = self.first_date(period_start)
        if day < today:
            day += datetime.timedelta(days=step * -(-(today - day).days // step))
        return [day + datetime.timedelta(days=step * i) for i in range(count)]

    def weeks_explained(self, period_start: datetime.date, today: datetime.date) -> str:
        """« chaque semaine », « semaines paires : la prochaine est celle du 14 décembre »."""
        if self.every_week:
            return "chaque semaine"
        following = self.next_dates(period_start, today, 1)[0]
        monday = following - datetime.timedelta(days=following.weekday())
        parity = "paires" if following.isocalendar().week % 2 == 0 else "impaires"
        return f"semaines {parity} : la prochaine est celle du {french.date(monday, year=monday.year != today.year)}"


def clock(value: datetime.time) -> str:
    """9 h, 11 h 30: the way French timetables write hours."""
    return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"


def _parity(day: datetime.date) -> str:
    return "paires" if day.isocalendar().week % 2 == 0 else "impaires"


def iso_weeks_in_year(year: int) -> int:
    return datetime.date(year, 12, 28).isocalendar().week  # 28 December always falls in the year's last ISO week


def fortnight_parity(first: datetime.date, on: datetime.date) -> tuple[str, str, datetime.date | None]:
    """The parity of the ISO weeks of a fortnightly passage first held on `first`, read on `on`: that of its next
    occurrence (from the week of `on`), and, when the ISO year of that occurrence has 53 weeks, the parity it takes
    from the first Monday of the next ISO year."""
    monday = on - datetime.timedelta(days=on.weekday())
    occurrence = first
    if occurrence < monday:
        occurrence += datetime.timedelta(days=14 * -(-(monday - occurrence).days // 14))
    parity, year = _parity(occurrence), occurrence.isocalendar().year
    if iso_weeks_in_year(year) == 53:
        later = occurrence
        while later.isocalendar().year == year:
            later += datetime.timedelta(days=14)
        if _parity(later) != parity:
            return parity, _parity(later), datetime.date.fromisocalendar(year + 1, 1, 1)
    return parity, "", None


def passages(plan: TourPlan, visits=None, *, on: datetime.date | None = None) -> list[Passage]:
    """The passages of a plan, read on `on` (today by default): the parity of fortnightly weeks depends on it."""
    visits = plan.visits.all() if visits is None else visits
    on = on or timezone.localdate()
    weeks_of = defaultdict(set)
    for v in visits:
        weeks_of[(v.stop_id, v.weekday, v.start, v.end)].add(v.week)
    found = []
    for (stop_id, weekday, start, end), weeks in weeks_of.items():
        every = plan.weeks == 1 or weeks == {0, 1}
        week = min(weeks)
        first = plan.period_start + datetime.timedelta(days=7 * week + weekday)
        parity, after, after_from = ("", "", None) if every else fortnight_parity(first, on)
        fortnight = None if every else (first.toordinal() - 1) // 7 % 2  # 1 January of year 1 was a Monday
        found.append(Passage(stop_id, weekday, start, end, every, week, parity, after, after_from, fortnight))
    found.sort(key=lambda p: (p.week if not p.every_week else -1, p.weekday, p.start))
    return found


def timetable(plan: TourPlan) -> dict[int, str]:
    """Stop → its timetable in one French sentence (« le mardi de 9 h à 11 h 30, chaque semaine »)."""
    return {pk: phrase for pk, (_, phrase) in _slots(plan, timezone.localdate()).items()}


@transaction.atomic
def publish(plan: TourPlan, user) -> None:
    TourPlan.objects.filter(territory=plan.territory, status=PlanStatus.PUBLISHED).exclude(pk=plan.pk).update(
        status=PlanStatus.ARCHIVED
    )
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.published_by = user
    plan.save(update_fields=["status", "published_at", "published_by"])


# ---------------------------------------------------------------------------------------------------------------
# Access indicator


def access_indicator(territory, plan: TourPlan) -> dict:
    """Inhabitants more than N minutes from a service point open that day, before the bus and with it.

    A commune's time to a point is the straight-line distance × the road factor at the average speed (the
    territory's tour settings); fixed sites count on the weekdays they open, bus stops on the days of the plan.
    """
    config = settings_for(territory)
    factor, speed = float(config.road_factor), float(config.speed_kmh)
    communes = list(territory.communes.only("pk", "name", "population", "latitude", "longitude"))
    sites = fixed_sites()
    stops_by_day = defaultdict(list)
    for visit in plan.visits.select_related("stop"):
        stops_by_day[(visit.week, visit.weekday)].append(visit.stop)

    def minutes(commune, points):
        km = min(
            (haversine_km(commune.latitude, commune.longitude, p.latitude, p.longitude) for p in points), default=None
        )
        return None if km is None else km * factor / speed * 60

    rows = []
    for week in range(plan.weeks):
        for weekday in range(5):
            open_sites = [s for s in sites if s.serves_access_on(weekday)]
            stops = stops_by_day[(week, weekday)]
            before = after = 0
            for commune in communes:
                fixed = minutes(commune, open_sites)
                bus = minutes(commune, stops)
                best = min((m for m in (fixed, bus) if m is not None), default=None)
                if fixed is None or fixed > config.access_minutes:
                    before += commune.population
                if best is None or best > config.access_minutes:
                    after += commune.population
            label = WEEKDAY_NAMES[weekday]
            if plan.weeks == 2:
                label += f" (semaine {week + 1})"
            rows.append(
                {
                    "week": week,
                    "weekday": weekday,
                    "label": label,
                    "before": before,
                    "after": after,
                    "gain": before - after,
                }
            )
    return {
        "minutes": config.access_minutes,
        "population": sum(c.population for c in communes),
        "rows": rows,
    }


@transaction.atomic
def road_times_import(*, territory, raw: bytes, engine: str, filename: str, points: list, actor) -> RoadTimes:
    """A routing engine's table of durations and distances between the plan's points (``matrix_points``), kept for
    the next plans and journaled; ``matrix.MatrixError`` (in French) when the file does not fit the points."""
    durations, distances = matrices.from_routing_engine(raw, len(points))
    imported = RoadTimes.objects.create(
        territory=territory,
        engine=engine,
        filename=filename[:200],
        points=[[key, lat, lon] for key, _, lat, lon in points],
        durations=durations,
        distances=distances,
        imported_by=actor,
    )
    JournalEntry.log(action=Action.ROAD_TIMES_IMPORTED, actor=actor, target=imported, territory=territory)
    return imported


@transaction.atomic
def shift_remove(*, shift) -> None:
    """The bus no longer runs that day (the next plan leaves it out; the published one stays as it was)."""
    shift.delete()
