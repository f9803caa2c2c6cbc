"""How long the bookings app keeps what could reach a person (see ``core.retention``)."""

import datetime

from django.db.models import Q

from carteblanche.core.retention import rule

from .models import Appointment, WaitlistEntry, WebhookDelivery

APPOINTMENT_DAYS = 183
WAITLIST_DAYS = 92
WEBHOOK_DAYS = 92


@rule(
    "bookings.appointments",
    what="Nom, téléphone, adresse e-mail et besoins de la personne d'un rendez-vous",
    kept="6 mois après le rendez-vous, puis effacés (le rendez-vous reste compté, sans nom)",
)
def erase_appointment_contacts(now: datetime.datetime) -> int:
    old = Appointment.objects.filter(starts_at__lt=now - datetime.timedelta(days=APPOINTMENT_DAYS)).exclude(
        first_name="", last_name="", phone="", email=""
    )
    return old.update(first_name="", last_name="", phone="", email="", language="", accessibility="", person=None)


@rule(
    "bookings.waitlist",
    what="Coordonnées d'une personne sur une liste d'attente",
    kept="jusqu'à la date souhaitée ou 3 mois après l'inscription, puis effacées",
)
def erase_waitlist(now: datetime.datetime) -> int:
    today = now.date()
    old = WaitlistEntry.objects.filter(
        Q(created_at__lt=now - datetime.timedelta(days=WAITLIST_DAYS)) | Q(until__lt=today)
    )
    count = old.count()
    old.delete()
    return count


@rule(
    "bookings.webhooks",
    what="Envois de webhooks aux outils des partenaires (sans nom : rendez-vous, motif, lieu, horaires, état)",
    kept="3 mois après l'envoi, puis effacés",
)
def erase_webhook_deliveries(now: datetime.datetime) -> int:
    old = WebhookDelivery.objects.filter(created_at__lt=now - datetime.timedelta(days=WEBHOOK_DAYS))
    count = old.count()
    old.delete()
    return count
