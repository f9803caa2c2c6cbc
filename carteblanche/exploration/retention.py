"""How long exploration keeps residents' personal data (see ``core.retention``)."""

import datetime

from carteblanche.core.retention import rule

from .models import ResidentContact, ResidentReport

CONTACT_DAYS = 365
FINGERPRINT_DAYS = 30


@rule(
    "exploration.coordonnees",
    what="Prénom, adresse e-mail et téléphone laissés avec un signalement, pour être recontacté",
    kept="12 mois après le signalement, puis effacés (le signalement reste, sans eux)",
)
def erase_report_contacts(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=CONTACT_DAYS)
    return ResidentContact.objects.filter(report__submitted_at__lt=cutoff).delete()[0]


@rule(
    "exploration.empreintes",
    what="Empreintes chiffrées de l'adresse réseau et de la session d'un signalement (contre les envois en masse)",
    kept="30 jours, puis effacées",
)
def erase_client_fingerprints(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=FINGERPRINT_DAYS)
    old = ResidentReport.objects.filter(submitted_at__lt=cutoff).exclude(client_hash="", session_hash="")
    return old.update(client_hash="", session_hash="")
