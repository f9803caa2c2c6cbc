"""How long the quality app keeps what could reach a person (see ``core.retention``)."""

import datetime

from carteblanche.core.retention import rule

from .models import Experience, Recontact

RECONTACT_DAYS = 180
EXPERIENCE_CONTACT_DAYS = 365


@rule(
    "quality.recontact",
    what="Adresse e-mail laissée avec un avis pour être recontacté",
    kept="6 mois après l'avis, puis effacée (l'avis reste, anonyme)",
)
def erase_recontacts(now: datetime.datetime) -> int:
    old = Recontact.objects.filter(consented_at__lt=now - datetime.timedelta(days=RECONTACT_DAYS))
    count = old.count()
    old.delete()
    return count


@rule(
    "quality.experiences",
    what="Adresse e-mail laissée avec une expérience pour être prévenu de la réponse",
    kept="jusqu'à l'envoi de la réponse, au plus 12 mois, puis effacée",
)
def erase_experience_contacts(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=EXPERIENCE_CONTACT_DAYS)
    return Experience.objects.filter(told_at__lt=cutoff).exclude(contact_email="").update(contact_email="")
