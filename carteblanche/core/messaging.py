"""Messages to people: e-mail through Django's backend, SMS through a small interface.

In the embedded default both print to the console; production sets EMAIL_BACKEND and SMS_BACKEND (a dotted path
to a class with ``send(phone, text)``).
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Embedded default: the SMS goes to the log, where a developer sees it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("sms_console length=%s", len(text))
        print(f"SMS vers {phone} : {text}")  # noqa: T201 - the console backend's whole purpose


class LocmemSmsBackend:
    """Tests: messages kept in memory, like Django's locmem e-mail backend (``LocmemSmsBackend.outbox``)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


class HttpSmsBackend:
    """Production: a gateway reached over HTTPS (``SMS_API_URL``, ``SMS_API_TOKEN``), sent ``{"to", "text"}`` as
    JSON with the number in international form (+33…). An answer other than 2xx raises: the caller retries."""

    def send(self, phone: str, text: str) -> None:
        national = national_phone(phone)
        to = "+33" + national[1:] if national else phone
        request = urllib.request.Request(
            settings.SMS_API_URL,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_API_TOKEN}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - https, checked at start-up
            logger.info("sms_sent status=%s length=%s", response.status, len(text))


def national_phone(phone: str) -> str:
    """A French number as its 10 national digits (« 06 12 34 56 78 », « +33 6 12 34 56 78 » → « 0612345678 »);
    "" when it is not one. Two spellings of one number are the same number."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if len(digits) == 10 and digits.startswith("0") else ""


def is_mobile(phone: str) -> bool:
    return national_phone(phone)[:2] in ("06", "07")


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
