"""Webhooks for partners' tools: each appointment of an organisation taken, moved, cancelled, seen, excused or
missed is POSTed as JSON to the organisation's webhooks, as RDV Service Public does.

The body names the appointment, its motif, place, times and state, never the person (no name, phone or e-mail):
the partner's tool asks the platform, under its own rights, if it needs more. Each request is signed::

    X-Carteblanche-Timestamp: 1767340800
    X-Carteblanche-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the webhook's secret>

so that the receiver checks who sent it and refuses a replay (a timestamp older than a few minutes). Deliveries
are recorded in the writer's transaction and sent once it commits; one refused or unreachable is retried after 1,
5, 15, 60 then 180 minutes (``deliver_due``: Celery beat every minute, or ``manage.py send_webhooks``), then given
up and shown as such in the administration.
"""

import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .enums import DeliveryStatus, Status, WebhookEvent
from .models import Appointment, Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

RETRY_AFTER = [datetime.timedelta(minutes=m) for m in (1, 5, 15, 60, 180)]
TIMEOUT_SECONDS = 5
STATUS_EVENTS = {
    Status.SEEN: WebhookEvent.SEEN,
    Status.EXCUSED: WebhookEvent.EXCUSED,
    Status.NO_SHOW: WebhookEvent.NO_SHOW,
    Status.CANCELLED: WebhookEvent.CANCELLED,
}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """What the ``X-Carteblanche-Signature`` header carries: ``sha256=`` and the hex HMAC of ``timestamp.body``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload(appointment: Appointment, event: str, *, now: datetime.datetime) -> dict:
    motif, site, stop = appointment.motif, appointment.site, appointment.bus_stop
    return {
        "meta": {"model": "rendez-vous", "event": event, "timestamp": now.isoformat()},
        "data": {
            "id": appointment.pk,
            "status": appointment.status,
            "starts_at": appointment.starts_at.isoformat(),
            "ends_at": appointment.ends_at.isoformat(),
            "booked_via": appointment.booked_via,
            "motif": {"id": motif.pk, "name": motif.name, "place": motif.place},
            "organisation": {"id": motif.organisation_id, "siret": motif.organisation.siret or None},
            "site": {"id": site.pk, "name": site.name, "insee_code": site.commune.insee_code} if site else None,
            "bus_stop": {"id": stop.pk, "place": stop.place, "insee_code": stop.commune.insee_code} if stop else None,
            "series": str(appointment.series) if appointment.series else None,
            "series_index": appointment.series_index,
            "equipment_help": appointment.equipment_help,
            "territory": appointment.territory.slug,
        },
    }


def announce(appointments, event: str, *, now: datetime.datetime | None = None) -> int:
    """Record the event of each appointment for its organisation's active webhooks; sent once the caller's
    transaction commits. The number of deliveries recorded."""
    now = now or timezone.now()
    appointments = list(appointments)
    if not appointments:
        return 0
    hooks = list(
        Webhook.objects.filter(
            is_active=True,
            organisation_id__in={a.motif.organisation_id for a in appointments},
            territory_id__in={a.territory_id for a in appointments},
        )
    )
    rows = [
        WebhookDelivery(
            webhook=hook,
            event=event,
            appointment_id=appointment.pk,
            payload=payload(appointment, event, now=now),
            next_attempt_at=timezone.now(),
            created_at=now,
        )
        for appointment in appointments
        for hook in hooks
        if hook.organisation_id == appointment.motif.organisation_id and hook.territory_id == appointment.territory_id
    ]
    if not rows:
        return 0
    ids = [row.pk for row in WebhookDelivery.objects.bulk_create(rows)]
    transaction.on_commit(lambda: deliver(ids))
    return len(rows)


def deliver(ids, *, now: datetime.datetime | None = None) -> dict[str, int]:
    """Try the given pending deliveries now, each claimed alone (two sweeps never send one twice)."""
    counts: dict[str, int] = {}
    for pk in ids:
        now_ = now or timezone.now()
        with transaction.atomic():
            claimed = WebhookDelivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).filter(
                Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now_)
            )
            # Claimed by pushing its next attempt beyond the request's own timeout: a concurrent sweep skips it.
            if not claimed.update(next_attempt_at=now_ + datetime.timedelta(seconds=TIMEOUT_SECONDS * 4)):
                continue
        delivery = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
        _attempt(delivery, now=now_)
        counts[delivery.status] = counts.get(delivery.status, 0) + 1
    return counts


def deliver_due(*, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    return deliver(list(due.values_list("pk", flat=True)[:500]), now=now)


def _attempt(delivery: WebhookDelivery, *, now: datetime.datetime) -> None:
    hook = delivery.webhook
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Carte blanche (webhooks de rendez-vous)",
            "X-Carteblanche-Event": delivery.event,
            "X-Carteblanche-Delivery": str(delivery.pk),
            "X-Carteblanche-Timestamp": stamp,
            "X-Carteblanche-Signature": signature(hook.secret, stamp, body),
        },
    )
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - URL set by staff
            delivery.last_code = response.status
    except urllib.error.HTTPError as error:
        delivery.last_code, delivery.last_error = error.code, f"HTTP {error.code}"
    except (OSError, ValueError) as error:
        delivery.last_code, delivery.last_error = None, type(error).__name__[:120]
    else:
        delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.DELIVERED, now, ""
        delivery.next_attempt_at = None
        delivery.save()
        logger.info("webhook_delivered id=%s event=%s code=%s", delivery.pk, delivery.event, delivery.last_code)
        return
    if delivery.attempts > len(RETRY_AFTER):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        logger.error("webhook_failed id=%s attempts=%s error=%s", delivery.pk, delivery.attempts, delivery.last_error)
    else:
        delivery.next_attempt_at = now + RETRY_AFTER[delivery.attempts - 1]
        logger.warning("webhook_retry id=%s attempts=%s error=%s", delivery.pk, delivery.attempts, delivery.last_error)
    delivery.save()
