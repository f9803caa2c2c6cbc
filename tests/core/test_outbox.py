"""E-mail or SMS provider down: the message is retried later, never sent twice, never sent after its moment."""

import datetime
import io
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import messaging
from carteblanche.core.enums import MessageChannel, MessageStatus
from carteblanche.core.messaging import LocmemSmsBackend
from carteblanche.core.models import OutgoingMessage


class Provider:
    """The providers of these tests: down until ``up`` is set."""

    up = False


class FlakyEmailBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        if not Provider.up:
            raise smtplib.SMTPServerDisconnected("le serveur de courriel ne répond pas")
        return super().send_messages(messages)


class FlakySmsBackend(LocmemSmsBackend):
    def send(self, phone, text):
        if not Provider.up:
            raise ConnectionRefusedError("passerelle SMS injoignable")
        super().send(phone, text)


@pytest.fixture(autouse=True)
def providers(settings):
    Provider.up = False
    LocmemSmsBackend.outbox = []
    settings.EMAIL_BACKEND = f"{__name__}.FlakyEmailBackend"
    settings.SMS_BACKEND = f"{__name__}.FlakySmsBackend"
    return Provider


def test_a_message_refused_by_the_provider_is_sent_later_once(providers, clock):
    message = messaging.send(
        key="essai:1", channel=MessageChannel.SMS, to="06 12 34 56 78", text="Votre trajet est confirmé."
    )
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert message.next_attempt_at == timezone.now() + datetime.timedelta(minutes=1)
    assert messaging.send_pending() == {"incertains": 0}  # not before its time
    providers.up = True
    clock.shift(datetime.timedelta(minutes=1))
    assert messaging.send_pending()[MessageStatus.SENT] == 1
    assert LocmemSmsBackend.outbox == [("06 12 34 56 78", "Votre trajet est confirmé.")]
    # Never twice: the sweep again, the same message asked again.
    clock.shift(datetime.timedelta(minutes=5))
    messaging.send_pending()
    again = messaging.send(key="essai:1", channel=MessageChannel.SMS, to="06 12 34 56 78", text="Confirmé.")
    assert len(LocmemSmsBackend.outbox) == 1 and again.status == MessageStatus.SENT
    # Settled: nothing personal stays at rest.
    assert (again.recipient, again.body, again.attempts) == ("", "", 2)


def test_a_login_link_is_never_sent_after_it_has_expired(client, providers, clock):
    from carteblanche.rights.models import Person

    person = Person.objects.exclude(email="").first()
    response = client.post(reverse("rights:space_login"), {"email": person.email})
    assert response.status_code == 200 and "un lien de connexion vient d" in response.content.decode()
    waiting = OutgoingMessage.objects.get(key__startswith="space-link:")
    assert waiting.status == MessageStatus.PENDING and waiting.send_before == timezone.now() + datetime.timedelta(
        minutes=30
    )
    # The provider is down for 31 minutes (the sweeps fail), then back: the link has expired, sending it would
    # only confuse.
    outputs = []
    for _ in range(31):
        clock.shift(datetime.timedelta(minutes=1))
        outputs.append(io.StringIO())
        call_command("send_messages", stdout=outputs[-1])
    assert "périmé" in outputs[-1].getvalue()  # erased as soon as the link expired
    providers.up = True
    clock.shift(datetime.timedelta(minutes=1))
    call_command("send_messages", stdout=io.StringIO())
    waiting.refresh_from_db()
    assert waiting.status == MessageStatus.EXPIRED and not mail.outbox
    assert (waiting.recipient, waiting.body) == ("", "")


def test_a_link_sent_while_the_provider_was_briefly_down_arrives_and_works(client, providers, clock):
    from carteblanche.rights.models import Person

    person = Person.objects.exclude(email="").first()
    client.post(reverse("rights:space_login"), {"email": person.email})
    providers.up = True
    clock.shift(datetime.timedelta(minutes=1))
    messaging.send_pending()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/mon-espace/lien/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).url == reverse("rights:space")


class DyingSmsBackend(LocmemSmsBackend):
    """The provider takes the SMS, then the process is killed before it records the answer."""

    def send(self, phone, text):
        super().send(phone, text)
        raise SystemExit("processus tué")


def test_a_first_sending_cut_by_the_death_of_its_process_is_never_repeated(providers, clock, settings):
    settings.SMS_BACKEND = f"{__name__}.DyingSmsBackend"
    with pytest.raises(SystemExit):
        messaging.send(key="essai:mort", channel=MessageChannel.SMS, to="06 12 34 56 78", text="Votre code")
    assert len(LocmemSmsBackend.outbox) == 1
    settings.SMS_BACKEND = f"{__name__}.FlakySmsBackend"
    providers.up = True
    for _ in range(3):
        clock.shift(datetime.timedelta(minutes=11))
        messaging.send_pending()
    message = OutgoingMessage.objects.get(key="essai:mort")
    assert message.status == MessageStatus.UNCERTAIN and len(LocmemSmsBackend.outbox) == 1 and message.body == ""


def test_a_message_whose_sending_was_interrupted_is_not_sent_again(providers, clock):
    message = messaging.send(key="essai:2", channel=MessageChannel.EMAIL, to="a@exemple.fr", subject="s", text="t")
    # A sweep claimed it, then its process died before recording the provider's answer.
    OutgoingMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, next_attempt_at=timezone.now())
    providers.up = True
    clock.shift(datetime.timedelta(minutes=11))
    assert messaging.send_pending()["incertains"] == 1
    clock.shift(datetime.timedelta(minutes=11))
    messaging.send_pending()
    message.refresh_from_db()
    assert message.status == MessageStatus.UNCERTAIN and not mail.outbox and message.body == ""


def test_a_provider_down_for_hours_makes_the_platform_give_up_and_say_so(providers, clock):
    message = messaging.send(key="essai:3", channel=MessageChannel.EMAIL, to="a@exemple.fr", subject="s", text="t")
    waits = []
    for _ in range(5):
        waits.append(int((message.next_attempt_at - timezone.now()).total_seconds() // 60))
        clock.shift(message.next_attempt_at - timezone.now())
        messaging.send_pending()
        message.refresh_from_db()
    assert waits == [1, 5, 15, 60, 180]
    assert message.status == MessageStatus.FAILED and message.attempts == 6 and message.last_error
    assert not mail.outbox


def test_a_ride_reminder_is_not_sent_after_the_ride(providers, clock):
    pickup = timezone.now() + datetime.timedelta(hours=2)
    messaging.notify(
        key="ride-reminder:essai",
        send_before=pickup,
        email="",
        phone="06 11 22 33 44",
        subject="Rappel",
        body="",
        sms="Rappel : on vient vous chercher à 12 h.",
    )
    providers.up = True
    clock.shift(datetime.timedelta(hours=3))
    messaging.send_pending()
    assert LocmemSmsBackend.outbox == []
    assert OutgoingMessage.objects.get(key="ride-reminder:essai").status == MessageStatus.EXPIRED
