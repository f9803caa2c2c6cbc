"""How long the rights service keeps what it computed (see ``core.retention``)."""

import datetime

from django.db.models import OuterRef, Subquery

from carteblanche.core.retention import rule

from .models import RightsAssessment

SUPERSEDED_DAYS = 183


@rule(
    "rights.examens",
    what="Examens de droits remplacés par un examen plus récent de la même personne",
    kept="6 mois, puis effacés (le dernier examen de chaque personne reste, tant que son consentement dure)",
)
def erase_superseded_assessments(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=SUPERSEDED_DAYS)
    latest = (
        RightsAssessment.objects.filter(person=OuterRef("person")).order_by("-computed_at", "-pk").values("pk")[:1]
    )
    old = RightsAssessment.objects.filter(computed_at__lt=cutoff).exclude(pk=Subquery(latest))
    return old.delete()[0]
