"""Messages to people: e-mail through Django's backend, SMS through a small interface.

In the embedded default both print to the console; production sets EMAIL_BACKEND and SMS_BACKEND (a dotted path
to a class with ``send(phone, text)``).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Embedded default: the SMS goes to the log, where a developer sees it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("sms_console length=%s", len(text))
        print(f"SMS vers {phone} : {text}")  # noqa: T201 - the console backend's whole purpose


def sms_backend():
    return import_string(getattr(settings, "SMS_BACKEND", "carteblanche.core.messaging.ConsoleSmsBackend"))()


def notify(*, email: str, phone: str, subject: str, body: str, sms: str) -> str | None:
    """E-mail when there is an address, otherwise SMS; the channel used ("email", "sms"), or None."""
    if email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        return "email"
    if phone:
        sms_backend().send(phone, sms)
        return "sms"
    return None
