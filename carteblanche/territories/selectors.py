"""Read-side of the territory pages: what the territory page and its map show."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from carteblanche.core.french import number as french_number

from .access import BANDS, NO_SITE_BAND, CommuneAccess, compute_access, population_beyond
from .models import Commune, ServiceSite, Territory

SORT_KEYS = {
    "commune": lambda a: a.commune.name,
    "population": lambda a: a.commune.population,
    "vol": lambda a: (a.straight_km is None, a.straight_km or 0),
    "route": lambda a: (a.road_km is None, a.road_km or 0),
    "site": lambda a: (a.site is None, a.site.name if a.site else ""),
}
DEFAULT_SORT = "route"


@dataclass(frozen=True)
class AccessRow:
    """One line of the access table, already formatted: 312 lines render fast without filters."""

    insee_code: str
    name: str
    population: str
    site: str
    straight: str
    road: str
    minutes: str
    band_key: str


def access_rows(rows: list[CommuneAccess]) -> list[AccessRow]:
    return [
        AccessRow(
            insee_code=r.commune.insee_code,
            name=r.commune.name,
            population=french_number(r.commune.population),
            site=r.site.name if r.site else "aucun ouvert",
            straight=french_number(r.straight_km, 1, "km"),
            road=french_number(r.road_km, 1, "km"),
            minutes=french_number(r.minutes, 0, "min"),
            band_key=r.band.key,
        )
        for r in rows
    ]


@dataclass
class TerritoryAccess:
    weekday: int
    rows: list[CommuneAccess]
    table: list[AccessRow]
    population: int
    population_beyond_20km: int
    bands: list[dict]


def territory_communes(territory: Territory):
    return territory.communes.only(
        "pk", "insee_code", "name", "population", "latitude", "longitude", "epci_name"
    ).order_by("name")


def all_sites():
    """Every known site, with its hours: the nearest one may lie outside the territory."""
    return list(ServiceSite.objects.with_hours())


def territory_access(territory: Territory, weekday: int, sort: str = DEFAULT_SORT, descending=False):
    communes = list(territory_communes(territory))
    rows = compute_access(communes, all_sites(), weekday)
    key = SORT_KEYS.get(sort, SORT_KEYS[DEFAULT_SORT])
    rows.sort(key=key, reverse=descending)
    if sort in {"vol", "route", "site"}:
        # Communes with no open site stay at the end, whichever the direction.
        rows.sort(key=lambda r: r.site is None)
    population = sum(c.population for c in communes)
    bands = []
    for band in (*BANDS, NO_SITE_BAND):
        members = [r for r in rows if r.band.key == band.key]
        bands.append(
            {"band": band, "communes": len(members), "population": sum(r.commune.population for r in members)}
        )
    return TerritoryAccess(
        weekday=weekday,
        rows=rows,
        table=access_rows(rows),
        population=population,
        population_beyond_20km=population_beyond(rows, 20),
        bands=bands,
    )


def territory_sites_today(territory: Territory, now: datetime.datetime | None = None):
    now = timezone.localtime(now)
    sites = ServiceSite.objects.with_hours().in_territory(territory).order_by("name")
    return [
        {
            "site": site,
            "hours_today": site.hours_label(now.weekday()),
            "open_now": site.is_open_at(now),
        }
        for site in sites
    ]


def communes_feature_collection(territory: Territory, weekday: int) -> str:
    """GeoJSON of the territory's communes with their access on ``weekday``, built as text.

    The boundaries are stored as GeoJSON text and spliced in verbatim: re-encoding 0.5 MB of
    coordinates on every request would cost more than the rest of the page.
    """
    import json

    communes = list(
        Commune.objects.filter(territories=territory).only(
            "pk", "insee_code", "name", "population", "latitude", "longitude", "boundary_geojson"
        )
    )
    sites = all_sites()
    accesses = compute_access(communes, sites, weekday)
    commune_ids = {c.pk for c in communes}
    nearest_ids = {a.site.pk for a in accesses if a.site is not None}
    parts = []
    for access in accesses:
        commune = access.commune
        if not commune.boundary_geojson:
            continue
        properties = {
            "type": "commune",
            "code_insee": commune.insee_code,
            "nom": commune.name,
            "population": commune.population,
            "site": access.site.name if access.site else None,
            "vol_km": round(access.straight_km, 1) if access.straight_km is not None else None,
            "route_km": round(access.road_km, 1) if access.road_km is not None else None,
            "minutes": round(access.minutes) if access.minutes is not None else None,
            "classe": access.band.key,
            "couleur": access.band.colour,
            "libelle": access.band.label,
        }
        parts.append(
            '{"type":"Feature","geometry":'
            + commune.boundary_geojson
            + ',"properties":'
            + json.dumps(properties, ensure_ascii=False, separators=(",", ":"))
            + "}"
        )
    for site in sites:
        if site.commune_id in commune_ids or site.pk in nearest_ids:
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [site.longitude, site.latitude]},
                "properties": {
                    "type": "site",
                    "nom": site.name,
                    "ouvert": site.is_open_on(weekday),
                    "horaires": site.hours_label(weekday),
                },
            }
            parts.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"
