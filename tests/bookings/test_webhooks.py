"""Webhooks for partners' tools, received by a real HTTP server on 127.0.0.1: signed with HMAC-SHA256, no name or
phone in the body, sent once the booking commits, retried when the receiver is down, given up after five tries."""

import datetime
import hashlib
import hmac
import http.server
import json
import threading

import pytest
from django.core.management import call_command

from carteblanche.bookings import services, webhooks
from carteblanche.bookings.enums import BookedVia, DeliveryStatus, Status
from carteblanche.bookings.models import Webhook, WebhookDelivery

from .conftest import MONDAY, SARAH, at

NOW = at(MONDAY, 8)


class Receiver(http.server.BaseHTTPRequestHandler):
    """A partner's tool: answers ``status`` (200 by default) and keeps what it received."""

    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - the standard library's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.received, Receiver.status = [], 200
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/rdv", Receiver
    server.shutdown()
    server.server_close()


def _book(booth, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return services.appointment_book(
            motif=booth, start=at(MONDAY + datetime.timedelta(days=1), 9), who=SARAH, via=BookedVia.ONLINE, now=NOW
        )


def test_a_booking_is_posted_signed_and_without_the_persons_name(booth, receiver, django_capture_on_commit_callbacks):
    url, got = receiver
    hook = Webhook.objects.create(territory=booth.territory, organisation=booth.organisation, url=url)
    appointment = _book(booth, django_capture_on_commit_callbacks)
    assert len(got.received) == 1
    headers, body = got.received[0]
    expected = hmac.new(
        hook.secret.encode(), headers["X-Carteblanche-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Carteblanche-Signature"] == f"sha256={expected}"
    assert headers["X-Carteblanche-Event"] == "created"
    sent = json.loads(body)
    assert sent["meta"]["event"] == "created" and sent["data"]["id"] == appointment.pk
    assert sent["data"]["motif"]["name"] == booth.name and sent["data"]["status"] == Status.BOOKED
    for personal in ("Sarah", "Lacombe", "06 12", "0612"):
        assert personal not in body.decode()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    # Cancelled: told too. A webhook of another organisation hears nothing.
    other = Webhook.objects.create(
        territory=booth.territory,
        organisation=booth.territory.organisations.exclude(pk=booth.organisation_id).first(),
        url=url,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=appointment, now=NOW)
    assert [json.loads(b)["meta"]["event"] for _, b in got.received] == ["created", "cancelled"]
    assert not other.deliveries.exists()


def test_a_receiver_down_gets_it_later_once_then_it_is_given_up(
    booth, receiver, django_capture_on_commit_callbacks, clock
):
    url, got = receiver
    Webhook.objects.create(territory=booth.territory, organisation=booth.organisation, url=url)
    clock.move_to(NOW)
    got.status = 503
    _book(booth, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_code == 503 and delivery.attempts == 1
    assert webhooks.deliver_due() == {}  # not before its time
    got.status = 200
    clock.shift(datetime.timedelta(minutes=2))
    call_command("send_webhooks")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2 and len(got.received) == 2
    assert webhooks.deliver_due() == {}  # never twice
    # A receiver that never answers: five retries, then given up.
    got.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=booth.appointments.get(), now=NOW + datetime.timedelta(minutes=2))
    cancelled = WebhookDelivery.objects.get(event="cancelled")
    for _ in range(6):
        clock.shift(datetime.timedelta(hours=4))
        webhooks.deliver_due()
    cancelled.refresh_from_db()
    assert cancelled.status == DeliveryStatus.FAILED and cancelled.attempts == 6


def test_marking_seen_or_no_show_is_told(booth, receiver, django_capture_on_commit_callbacks):
    url, got = receiver
    Webhook.objects.create(territory=booth.territory, organisation=booth.organisation, url=url)
    appointment = _book(booth, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_mark(appointment=appointment, status=Status.NO_SHOW, by=None, now=appointment.starts_at)
    assert json.loads(got.received[-1][1])["meta"]["event"] == "noshow"
