"""Which volunteer drivers to ask for a ride, best first. Pure computation, no database (bench: bench/rides.py).

A driver is a candidate when all of these hold:
- available on every half-day the ride spans (weekly availability);
- the departure and the destination both lie within the perimeter they accept around their home (road km);
- a wheelchair fits if the passenger needs one;
- no other ride of theirs overlaps (from pick-up time to when they are free again).

Candidates are ranked by a score in kilometres, lowest first:
    km driven for the ride: home → departure → destination → home for a one-way trip; for a return trip the driver
    waits during the appointment: home → departure → destination → departure → home
    + FAIRNESS_KM per ride done or promised in the last 30 days (spread the load between volunteers)
    − PREFERRED_KM if the passenger asked for this driver.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from carteblanche.territories.access import ROAD_FACTOR, haversine_km

from .enums import WEEKDAY_NAMES

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
    """What the driver drives, from home and back: the legs with the passenger and the ways to and from them."""
    leg = road_km(request.origin, request.destination)
    if request.round_trip:  # the driver waits during the appointment, then brings the passenger back
        return road_km(home, request.origin) + 2 * leg + road_km(request.origin, home)
    return road_km(home, request.origin) + leg + road_km(request.destination, home)


def clock_of(moment: datetime.datetime) -> str:
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def half_day_label(code: str) -> str:
    day, half = code.split("-")
    return f"{WEEKDAY_NAMES[int(day)]} {'matin' if half == 'am' else 'après-midi'}"


def why_not(request: RequestInfo, driver: DriverInfo) -> str:
    """Why a driver is not a candidate for this request, in French; "" when she is one."""
    from carteblanche.core import french

    if driver.id in request.excluded:
        return "Déjà sollicité pour ce trajet."
    if request.wheelchair and not driver.wheelchair:
        return "Son véhicule ne prend pas de fauteuil roulant."
    missing = sorted(half_days(request.start, request.end) - driver.availability)
    if missing:
        return f"Pas disponible le {french.join([half_day_label(c) for c in missing])}."
    home = (driver.latitude, driver.longitude)
    for label, point in (("Le départ", request.origin), ("La destination", request.destination)):
        km = road_km(home, point)
        if km > driver.perimeter_km:
            return (
                f"{label} est à {french.number(km, 0)} km de chez lui ou elle, au-delà de son périmètre "
                f"({french.number(driver.perimeter_km, 0)} km)."
            )
    for start, end in driver.busy:
        if start < request.end and request.start < end:
            return f"Déjà pris par un autre trajet de {clock_of(start)} à {clock_of(end)}."
    return ""


def rank(request: RequestInfo, drivers: list[DriverInfo], *, limit: int = 3) -> list[Candidate]:
    found = []
    for driver in drivers:
        if why_not(request, driver):
            continue
        km = ride_km(request, (driver.latitude, driver.longitude))
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
