"""How long solidarity rides keep where people went (see ``core.retention``)."""

import datetime

from django.db.models.functions import Round

from carteblanche.core.retention import rule

from .models import RideRequest

RIDE_DAYS = 395  # thirteen months: the year's report of the rides is written by then
ERASED = "(adresse effacée)"


@rule(
    "mobility.trajets",
    what="Adresses exactes de départ et d'arrivée des trajets solidaires, et les remarques pour le chauffeur",
    kept="13 mois après le trajet (le temps du bilan annuel), puis effacées ; le point reste à 1\u00a0km près",
)
def erase_ride_addresses(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=RIDE_DAYS)
    old = RideRequest.objects.filter(appointment_at__lt=cutoff).exclude(origin=ERASED)
    return old.update(
        origin=ERASED,
        destination=ERASED,
        notes="",
        origin_latitude=Round("origin_latitude", 2),
        origin_longitude=Round("origin_longitude", 2),
        destination_latitude=Round("destination_latitude", 2),
        destination_longitude=Round("destination_longitude", 2),
    )
