"""Which volunteer drivers to ask for a ride, best first. Pure computation, no database (bench: bench/rides.py).

A driver is a candidate when all of these hold:
- available on every half-day the ride spans (weekly availability);
- the departure and the destination both lie within the perimeter they accept around their home (road km);
- a wheelchair fits if the passenger needs one;
- no other ride of theirs overlaps (from pick-up time to when they are free again).

Candidates are ranked by a score in kilometres, lowest first:
    km driven for the ride (home → departure → destination → home, twice for a return trip)
    + FAIRNESS_KM per ride done or promised in the last 30 days (spread the load between volunteers)
    − PREFERRED_KM if the passenger asked for this driver.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from carteblanche.territories.access import ROAD_FACTOR, haversine_km

FAIRNESS_KM = 6.0
PREFERRED_KM = 20.0
NOON = datetime.time(13, 0)  # a pick-up before 13:00 falls in the morning half-day


@dataclass
class DriverInfo:
    id: int
    latitude: float
    longitude: float
    perimeter_km: float
    availability: frozenset[str]
    wheelchair: bool = False
    recent_rides: int = 0
    busy: list[tuple[datetime.datetime, datetime.datetime]] = field(default_factory=list)


@dataclass
class RequestInfo:
    id: int
    origin: tuple[float, float]
    destination: tuple[float, float]
    start: datetime.datetime  # pick-up
    end: datetime.datetime  # the driver is free again
    round_trip: bool = True
    wheelchair: bool = False
    preferred: int | None = None
    excluded: frozenset[int] = frozenset()  # drivers already asked (declined or not answering)


@dataclass(frozen=True)
class Candidate:
    driver: int
    km: float
    score: float
    preferred: bool


def road_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return ROAD_FACTOR * haversine_km(a[0], a[1], b[0], b[1])


def half_days(start: datetime.datetime, end: datetime.datetime) -> set[str]:
    """The half-day codes (« 1-am » = Tuesday morning) from ``start`` to ``end``."""
    codes = set()
    day = start.date()
    while day <= end.date():
        first = start if day == start.date() else datetime.datetime.combine(day, datetime.time(0), start.tzinfo)
        last = end if day == end.date() else datetime.datetime.combine(day, datetime.time(23, 59), start.tzinfo)
        if first.time() < NOON:
            codes.add(f"{day.weekday()}-am")
        if last.time() >= NOON:
            codes.add(f"{day.weekday()}-pm")
        day += datetime.timedelta(days=1)
    return codes


def ride_km(request: RequestInfo, home: tuple[float, float]) -> float:
    leg = road_km(request.origin, request.destination)
    out = road_km(home, request.origin) + leg + road_km(request.destination, home)
    return out * 2 if request.round_trip else out


def rank(request: RequestInfo, drivers: list[DriverInfo], *, limit: int = 3) -> list[Candidate]:
    needed = half_days(request.start, request.end)
    found = []
    for driver in drivers:
        if driver.id in request.excluded or (request.wheelchair and not driver.wheelchair):
            continue
        if not needed <= driver.availability:
            continue
        home = (driver.latitude, driver.longitude)
        if road_km(home, request.origin) > driver.perimeter_km:
            continue
        if road_km(home, request.destination) > driver.perimeter_km:
            continue
        if any(start < request.end and request.start < end for start, end in driver.busy):
            continue
        km = ride_km(request, home)
        preferred = driver.id == request.preferred
        score = km + FAIRNESS_KM * driver.recent_rides - (PREFERRED_KM if preferred else 0)
        found.append(Candidate(driver.id, round(km, 1), score, preferred))
    found.sort(key=lambda c: (c.score, c.driver))
    return found[:limit]


def match_all(requests: list[RequestInfo], drivers: list[DriverInfo], *, limit: int = 3) -> dict[int, list[Candidate]]:
    """Rank drivers for many requests, earliest first; each first choice books its driver for the ride's time and
    counts in their load, so that later requests spread over other volunteers."""
    by_id = {d.id: d for d in drivers}
    result = {}
    for request in sorted(requests, key=lambda r: (r.start, r.id)):
        candidates = rank(request, drivers, limit=limit)
        result[request.id] = candidates
        if candidates:
            first = by_id[candidates[0].driver]
            first.busy.append((request.start, request.end))
            first.recent_rides += 1
    return result
