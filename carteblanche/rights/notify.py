"""Telling a person about her probable rights: e-mail through Django's backend, SMS through a small interface.

In the embedded default both print to the console; production sets EMAIL_BACKEND and SMS_BACKEND (a dotted path
to a class with ``send(phone, text)``). Each message reads her contact details: each is journaled and kept.
"""

import datetime

from django.conf import settings
from django.urls import reverse

from carteblanche.core import messaging
from carteblanche.core.enums import MessageChannel
from carteblanche.core.messaging import ConsoleSmsBackend, sms_backend

from .access import Reader, journal_read
from .enums import NoticeChannel
from .models import Notice

__all__ = ["ConsoleSmsBackend", "sms_backend", "tell_probable_rights"]


def tell_probable_rights(person, assessment, reader: Reader) -> Notice | None:
    rights = list(assessment.unclaimed)
    if not rights or not (person.email or person.phone):
        return None
    names = ", ".join(r["label"] for r in rights[:4])
    space = settings.PLATFORM_URL.rstrip("/") + reverse("rights:space_login")
    body = (
        f"Bonjour {person.first_name},\n\n"
        f"D'après les informations que les services publics détiennent et que vous avez accepté de partager, vous "
        f"pourriez avoir droit à : {names}.\n\n"
        f"Le détail, les démarches et les hypothèses retenues sont dans votre espace : {space}\n"
        "Un agent France services peut vous accompagner.\n\n"
        "Vous recevez ce message parce que vous avez accepté l'examen automatique de vos droits ; vous pouvez "
        "retirer ce consentement à tout moment depuis votre espace."
    )
    subject = "Vous pourriez avoir droit à des aides"
    # One notice per assessment, whatever retries or resumptions happen; useless after the month examined.
    key, before = f"rights-notice:{assessment.pk}", _end_of_month_after(assessment.month)
    if person.email:
        messaging.send(
            key=key,
            channel=MessageChannel.EMAIL,
            to=person.email,
            subject=f"Carte blanche : {subject.lower()}",
            text=body,
            send_before=before,
        )
        channel = NoticeChannel.EMAIL
    else:
        messaging.send(
            key=key,
            channel=MessageChannel.SMS,
            to=person.phone,
            text=f"Carte blanche : vous pourriez avoir droit à {names}. Détail : {space}",
            send_before=before,
        )
        channel = NoticeChannel.SMS
    notice = Notice.objects.create(person=person, channel=channel, subject=subject, body=body, assessment=assessment)
    journal_read(
        reader,
        person,
        reason="Information de la personne sur ses droits probables",
        fields=["courriel" if channel == NoticeChannel.EMAIL else "téléphone", "prénom"],
    )
    return notice


def _end_of_month_after(month: datetime.date) -> datetime.datetime:
    """The last moment a notice about ``month`` still makes sense: the end of the following month."""
    from django.utils import timezone

    first_after_next = (month.replace(day=1) + datetime.timedelta(days=62)).replace(day=1)
    return timezone.make_aware(datetime.datetime.combine(first_after_next, datetime.time.min))
