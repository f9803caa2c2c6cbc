"""Is a point where it claims to be? A stop, a meeting point or a depot typed by hand must lie in its commune (or
its territory), not in the Gulf of Guinea because a latitude was typed as 1."""

import json
import math

from .access import haversine_km

# A stop on the road that marks the boundary, or a boundary drawn coarsely: this far outside still counts.
MARGIN_KM = 0.5
# Without a boundary, a commune of the Lot fits within this distance of its centre.
NO_BOUNDARY_KM = 8.0


def _rings(geojson: str) -> list[tuple[list, list[list]]]:
    """(outer ring, holes) of each polygon of a GeoJSON geometry, a Feature or a FeatureCollection."""
    data = json.loads(geojson)
    if data.get("type") == "FeatureCollection":
        geometries = [f["geometry"] for f in data.get("features", [])]
    elif data.get("type") == "Feature":
        geometries = [data["geometry"]]
    else:
        geometries = [data]
    polygons = []
    for geometry in geometries:
        if geometry["type"] == "Polygon":
            polygons.append(geometry["coordinates"])
        elif geometry["type"] == "MultiPolygon":
            polygons.extend(geometry["coordinates"])
    return [(polygon[0], polygon[1:]) for polygon in polygons if polygon]


def _inside(ring, x: float, y: float) -> bool:
    """Ray casting, with longitude as x and latitude as y."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _km_to_ring(ring, latitude: float, longitude: float) -> float:
    """Shortest distance from the point to the ring's edges (local flat projection: communes are small)."""
    kx, ky = 111.32 * math.cos(math.radians(latitude)), 110.57
    best = math.inf
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        ax, ay = (x1 - longitude) * kx, (y1 - latitude) * ky
        bx, by = (x2 - longitude) * kx, (y2 - latitude) * ky
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def in_commune(commune, latitude: float, longitude: float, *, margin_km: float = MARGIN_KM) -> bool:
    if not commune.boundary_geojson:
        return haversine_km(latitude, longitude, commune.latitude, commune.longitude) <= NO_BOUNDARY_KM
    polygons = _rings(commune.boundary_geojson)
    for outer, holes in polygons:
        if _inside(outer, longitude, latitude) and not any(_inside(hole, longitude, latitude) for hole in holes):
            return True
    return any(_km_to_ring(outer, latitude, longitude) <= margin_km for outer, _ in polygons)


def in_territory(territory, latitude: float, longitude: float, *, margin_km: float = MARGIN_KM) -> bool:
    """In one of the territory's communes (those whose centre is near enough to matter are tried)."""
    communes = territory.communes.only("latitude", "longitude", "boundary_geojson")
    near = [c for c in communes if haversine_km(latitude, longitude, c.latitude, c.longitude) <= 3 * NO_BOUNDARY_KM]
    return any(in_commune(c, latitude, longitude, margin_km=margin_km) for c in near)


def outside_message(place: str) -> str:
    return (
        f"Ce point est hors de {place} : vérifiez la latitude (autour de 44,4 dans le Lot) et la longitude "
        "(autour de 1,5), en degrés décimaux."
    )


def communes_feature_collection(rows) -> str:
    """A GeoJSON FeatureCollection of communes for a map: each ``(commune, properties)`` drawn by its boundary, or
    its centre when it has none (never a place within it). The boundaries are read here, once, and written as
    stored."""
    from .models import Commune

    rows = list(rows)
    boundaries = dict(
        Commune.objects.filter(pk__in=[commune.pk for commune, _ in rows]).values_list("pk", "boundary_geojson")
    )
    parts = []
    for commune, properties in rows:
        geometry = boundaries.get(commune.pk) or json.dumps(
            {"type": "Point", "coordinates": [commune.longitude, commune.latitude]}
        )
        shown = json.dumps(properties, ensure_ascii=False, separators=(",", ":"))
        parts.append('{"type":"Feature","geometry":' + geometry + ',"properties":' + shown + "}")
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"
