"""How long co-design keeps participants' contact details (see ``core.retention``)."""

import datetime

from django.utils import timezone

from carteblanche.core.retention import rule

from .models import Participant

CONTACT_DAYS = 365


@rule(
    "codesign.participants",
    what="Adresse e-mail et téléphone des participants aux ateliers",
    kept="12 mois après l'atelier, puis effacés (le prénom et les contributions restent)",
)
def erase_participant_contacts(now: datetime.datetime) -> int:
    cutoff = timezone.localdate(now) - datetime.timedelta(days=CONTACT_DAYS)
    old = Participant.objects.filter(workshop__date__lt=cutoff).exclude(email="", phone="", consent_recontact=False)
    return old.update(email="", phone="", consent_recontact=False)
