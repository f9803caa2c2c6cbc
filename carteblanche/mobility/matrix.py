"""Travel times and distances between the bus depot and candidate stops.

By default, straight-line distance times the stated road factor, at the stated average speed (the access indicator's
own assumptions, ``territories/access.py``). Where a territory has road times from a routing engine, an OSRM ``table``
or a Valhalla ``sources_to_targets`` response replaces the estimate.
"""

import math

from carteblanche.core import jsondata
from carteblanche.territories.access import AVERAGE_SPEED_KMH, ROAD_FACTOR, haversine_km


class MatrixError(ValueError):
    """A road-time file that cannot be used, with the reason in French."""


def estimated(points, *, road_factor: float = ROAD_FACTOR, speed_kmh: float = AVERAGE_SPEED_KMH):
    """(minutes, metres) between every pair of (latitude, longitude) points."""
    road = [[road_factor * haversine_km(*p, *q) for q in points] for p in points]
    minutes = [[math.ceil(km / speed_kmh * 60) for km in row] for row in road]
    metres = [[round(km * 1000) for km in row] for row in road]
    return minutes, metres


def from_routing_engine(raw: bytes, size: int):
    """(minutes, metres) from an OSRM ``table`` or a Valhalla ``sources_to_targets`` JSON response."""
    try:
        data = jsondata.load(raw)
    except jsondata.UnreadableJson as exc:
        raise MatrixError(
            f"Le fichier n'est pas un JSON lisible ({exc.reason}) : réponse OSRM ou Valhalla attendue."
        ) from exc
    if isinstance(data, dict) and "durations" in data:  # OSRM: seconds and metres
        seconds, metres = data["durations"], data.get("distances")
        if metres is None:
            raise MatrixError("La réponse OSRM n'a pas de distances : demandez annotations=duration,distance.")
    elif isinstance(data, dict) and "sources_to_targets" in data:  # Valhalla: seconds and kilometres
        rows = data["sources_to_targets"]
        try:
            seconds = [[cell["time"] for cell in row] for row in rows]
            metres = [[None if cell["distance"] is None else cell["distance"] * 1000 for cell in row] for row in rows]
        except (TypeError, KeyError) as exc:
            raise MatrixError(
                "Réponse Valhalla incomplète : chaque case doit avoir « time » et « distance »."
            ) from exc
    else:
        raise MatrixError(
            "Format non reconnu : réponse « table » d'OSRM ou « sources_to_targets » de Valhalla attendue."
        )
    for name, matrix in (("durées", seconds), ("distances", metres)):
        if len(matrix) != size or any(len(row) != size for row in matrix):
            raise MatrixError(
                f"La matrice des {name} n'a pas {size} × {size} cases (dépôt puis arrêts, dans l'ordre)."
            )
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                if value is None or value < 0:
                    raise MatrixError(f"Case {i + 1} → {j + 1} des {name} vide ou négative : trajet introuvable.")
    return (
        [[math.ceil(s / 60) for s in row] for row in seconds],
        [[round(m) for m in row] for row in metres],
    )
