"""How long the vigies app keeps a signal (see ``core.retention``): once closed, its network's period, then what
points to the person is erased (the link to her space too); the commune, the month, what was seen, the delays and
the outcome stay for the figures."""

import datetime

from django.db.models import F

from carteblanche.core.retention import rule

from .enums import SignalStatus
from .models import Signal, SignalEvent


@rule(
    "vigies.signals",
    what="Signalement d'une vigie : adresse ou lieu, nom de la personne, mots de la vigie, remarques du suivi",
    kept="la durée fixée par le réseau après la clôture (12 mois par défaut), puis anonymisé",
)
def anonymise_signals(now: datetime.datetime) -> int:
    done = 0
    closed = Signal.objects.filter(status=SignalStatus.CLOSED, anonymised_at__isnull=True).select_related("network")
    for signal in closed.annotate(months=F("network__kept_months")).iterator():
        if signal.closed_at + datetime.timedelta(days=31 * signal.months) > now:
            continue
        Signal.objects.filter(pk=signal.pk).update(
            place="", person_name="", words="", vigie=None, person=None, anonymised_at=now
        )
        SignalEvent.objects.filter(signal=signal).update(note="")
        done += 1
    return done
