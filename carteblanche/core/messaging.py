"""Messages to people: e-mail through Django's backend, SMS through a small interface; the platform's one outbox.

In the embedded default both print to the console; production sets EMAIL_BACKEND and SMS_BACKEND (a dotted path
to a class with ``send(phone, text)``).

Every message goes through ``send`` (or ``notify``, which picks the channel): it is recorded in the outbox
(``OutgoingMessage``) under a key that names it (« rights-notice:42 »), then sent at once. When the provider is
down, it stays « à envoyer » and ``send_pending`` (Celery beat every minute, or ``manage.py send_messages`` from
cron) tries again after 1, 5, 15, 60 then 180 minutes, then gives up. It is never sent twice: a second ``send``
with the same key sends nothing, and a message whose sending was interrupted (the process died between the
provider's answer and the record) is marked « envoi incertain », not sent again. It is never sent after its
moment (``send_before``: a login link's expiry, the ride it reminds of). Once settled, its recipient and text are
erased.
"""

import datetime
import json
import logging
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .enums import MessageChannel, MessageStatus
from .models import OutgoingMessage

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


def notify(*, key: str, email: str, phone: str, subject: str, body: str, sms: str, send_before=None) -> str | None:
    """E-mail when there is an address, otherwise SMS; the channel used ("email", "sms"), or None."""
    if email:
        send(key=key, channel=MessageChannel.EMAIL, to=email, subject=subject, text=body, send_before=send_before)
        return "email"
    if phone:
        send(key=key, channel=MessageChannel.SMS, to=phone, text=sms, send_before=send_before)
        return "sms"
    return None


RETRY_AFTER = [datetime.timedelta(minutes=m) for m in (1, 5, 15, 60, 180)]
UNCERTAIN_AFTER = datetime.timedelta(minutes=10)


def send(*, key: str, channel: str, to: str, text: str, subject: str = "", send_before=None) -> OutgoingMessage:
    """Record the message under ``key`` and send it now; a key already recorded sends nothing again."""
    message, created = OutgoingMessage.objects.get_or_create(
        key=key[:200],
        defaults={
            "channel": channel,
            "recipient": to,
            "subject": subject[:255],
            "body": text,
            "send_before": send_before,
            # Held by this process from the start: if it dies while the provider answers, the sweep marks the
            # message « envoi incertain » instead of sending it a second time.
            "status": MessageStatus.SENDING,
            "next_attempt_at": timezone.now(),
        },
    )
    if not created:
        logger.info("message_already_recorded key=%s status=%s", message.key, message.status)
        return message
    _attempt(message, now=timezone.now())
    return message


def _attempt(message: OutgoingMessage, *, now) -> None:
    """One try, for a message this process holds (just recorded, or claimed by ``send_pending``)."""
    if message.send_before and now > message.send_before:
        _settle(message, MessageStatus.EXPIRED)
        logger.info("message_expired key=%s attempts=%s", message.key, message.attempts)
        return
    message.attempts += 1
    try:
        if message.channel == MessageChannel.EMAIL:
            send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
        else:
            sms_backend().send(message.recipient, message.body)
    except Exception as exc:  # noqa: BLE001 - any provider failure: try again later
        message.last_error = type(exc).__name__[:120]
        if message.attempts > len(RETRY_AFTER):
            _settle(message, MessageStatus.FAILED)
            logger.error(
                "message_failed key=%s attempts=%s error=%s", message.key, message.attempts, message.last_error
            )
            return
        message.status = MessageStatus.PENDING
        message.next_attempt_at = now + RETRY_AFTER[message.attempts - 1]
        message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
        logger.warning(
            "message_retry_later key=%s attempts=%s error=%s", message.key, message.attempts, message.last_error
        )
        return
    message.sent_at = now
    _settle(message, MessageStatus.SENT)
    logger.info("message_sent key=%s channel=%s attempts=%s", message.key, message.channel, message.attempts)


def _settle(message: OutgoingMessage, status: str) -> None:
    message.status = status
    message.recipient = message.body = message.subject = ""
    message.next_attempt_at = None
    message.save()


def send_pending(*, now=None) -> dict[str, int]:
    """Try again every message whose time has come (each claimed alone: two sweeps never send one twice)."""
    now = now or timezone.now()
    uncertain = OutgoingMessage.objects.filter(status=MessageStatus.SENDING, next_attempt_at__lt=now - UNCERTAIN_AFTER)
    counts = {"incertains": uncertain.update(status=MessageStatus.UNCERTAIN, recipient="", body="", subject="")}
    # Past their moment while waiting: settled now (a login link's text must not outlive the link).
    late = OutgoingMessage.objects.filter(status=MessageStatus.PENDING, send_before__lt=now).update(
        status=MessageStatus.EXPIRED, recipient="", body="", subject="", next_attempt_at=None
    )
    if late:
        counts[MessageStatus.EXPIRED] = late
    due = OutgoingMessage.objects.filter(status=MessageStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    for pk in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            claimed = OutgoingMessage.objects.filter(pk=pk, status=MessageStatus.PENDING).update(
                status=MessageStatus.SENDING, next_attempt_at=now
            )
        if not claimed:
            continue
        message = OutgoingMessage.objects.get(pk=pk)
        _attempt(message, now=now)
        counts[message.status] = counts.get(message.status, 0) + 1
    return counts
