"""Access to public services: how far each commune is from the nearest site open on a given weekday.

Formula (shown to users on the territory page):
- straight-line distance ``d`` between the commune's centre and the site, by the haversine formula on a
  sphere of radius 6,371 km;
- estimated road distance ``d_route = ROAD_FACTOR × d`` (detour coefficient 1.3, the usual ratio between
  road and straight-line distances in rural France);
- estimated travel time ``t = d_route / AVERAGE_SPEED_KMH`` (50 km/h on departmental roads, door to door).

Every fixed site known to the platform counts, including those outside the territory: the nearest open site
of a commune at the edge of a territory is often across its border. Mobile sites (buses) do not count: their
registered address is their base, not where they stop on a given day.
"""

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0
ROAD_FACTOR = 1.3
AVERAGE_SPEED_KMH = 50.0


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    colour: str  # fill colour on the map, from a colour-blind-safe sequential palette
    max_km: float | None


# Bands of estimated road distance, used for the colours of the map and its legend.
BANDS = (
    Band("b1", "moins de 5 km", "#1a9850", 5),
    Band("b2", "5 à 10 km", "#91cf60", 10),
    Band("b3", "10 à 20 km", "#fee08b", 20),
    Band("b4", "20 à 30 km", "#fc8d59", 30),
    Band("b5", "30 km et plus", "#d73027", None),
)
NO_SITE_BAND = Band("b0", "aucun site ouvert ce jour", "#7f7f7f", None)


def band_for(road_km: float | None) -> Band:
    if road_km is None:
        return NO_SITE_BAND
    for band in BANDS:
        if band.max_km is None or road_km < band.max_km:
            return band
    return BANDS[-1]  # pragma: no cover


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def road_km_estimate(straight_km: float) -> float:
    return ROAD_FACTOR * straight_km


def minutes_estimate(road_km: float) -> float:
    return road_km / AVERAGE_SPEED_KMH * 60


@dataclass(frozen=True)
class CommuneAccess:
    commune: object
    site: object | None
    straight_km: float | None
    road_km: float | None
    minutes: float | None

    @property
    def band(self) -> Band:
        return band_for(self.road_km)


def compute_access(communes, sites, weekday: int) -> list[CommuneAccess]:
    """For each commune, the nearest site open on ``weekday`` (0 = Monday).

    ``sites`` must have their opening periods prefetched. Cost: communes × open sites distance
    computations (312 × 24 for the whole Lot, well under a millisecond each).
    """
    open_sites = [site for site in sites if site.serves_access_on(weekday)]
    results = []
    for commune in communes:
        best_site, best_km = None, None
        for site in open_sites:
            km = haversine_km(commune.latitude, commune.longitude, site.latitude, site.longitude)
            if best_km is None or km < best_km:
                best_site, best_km = site, km
        if best_site is None:
            results.append(CommuneAccess(commune, None, None, None, None))
        else:
            road = road_km_estimate(best_km)
            results.append(CommuneAccess(commune, best_site, best_km, road, minutes_estimate(road)))
    return results


def population_beyond(accesses: list[CommuneAccess], road_km: float) -> int:
    """Inhabitants whose nearest open site is ``road_km`` or more away (or who have none that day)."""
    return sum(a.commune.population for a in accesses if a.road_km is None or a.road_km >= road_km)
