"""How long the childcare app keeps a family's need (see ``core.retention``)."""

import datetime

from django.db.models import Q

from carteblanche.core.retention import rule

from .enums import NeedStatus
from .models import Need

NEED_DAYS = 365


@rule(
    "childcare.needs",
    what="Besoin de garde d'une famille : parent, coordonnées, planning de l'enfant, propositions",
    kept="un an après la fin de la garde ou la clôture du besoin, puis effacé",
)
def erase_needs(now: datetime.datetime) -> int:
    limit = (now - datetime.timedelta(days=NEED_DAYS)).date()
    old = Need.objects.filter(Q(end_date__lt=limit) | Q(status=NeedStatus.CLOSED, created_at__date__lt=limit))
    count = old.count()
    old.delete()
    return count
