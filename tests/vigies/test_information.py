"""The person a signal is about is told within a month what was recorded, by whom and why (RGPD art. 14); she may
object, and then everything that points to her is erased at once."""

import datetime

import pytest
from django.utils import timezone

from carteblanche.vigies import information, services
from carteblanche.vigies.enums import InformedHow, Outcome, SignalStatus
from tests.demo import demo_user

from .test_signals import network, postman, send  # noqa: F401


def test_the_notice_says_what_by_whom_why_how_long_and_her_rights(network, postman):  # noqa: F811
    signal = send(network, postman)
    text = information.notice(signal)
    assert "Grand Cahors" in text and "courrier qui s'accumule" in text and "aucune donnée de santé" in text
    assert "12\u00a0mois" in text and "vous opposer" in text
    assert signal.inform_before == signal.created_at + datetime.timedelta(days=30)


def test_only_the_structure_or_its_partner_records_the_information_and_the_list_of_those_to_tell(network, postman):  # noqa: F811
    first = send(network, postman)
    second = send(network, postman)
    with pytest.raises(services.VigieError):
        information.person_informed(signal=first, how=InformedHow.VISIT, by=demo_user("equipe"))
    information.person_informed(signal=first, how=InformedHow.PHONE, by=demo_user("agent.franceservices"))
    first.refresh_from_db()
    assert first.informed_how == InformedHow.PHONE and first.events.filter(note__contains="Par téléphone").exists()
    assert list(information.to_inform(network.signals.all())) == [second]
    soon = information.to_inform(network.signals.all(), now=timezone.now(), within=datetime.timedelta(days=5))
    assert list(soon) == []  # its month ends in 30 days, not within 5


def test_an_objection_erases_what_points_to_her_and_closes_the_signal(network, postman):  # noqa: F811
    triager = demo_user("agent.franceservices")
    signal = services.signal_qualify(signal=send(network, postman, person_name="Mme Test"), by=triager, note="vu")
    signal = information.person_objects(signal=signal, by=triager)
    assert (signal.place, signal.person_name, signal.words, signal.vigie) == ("", "", "", None)
    assert signal.status == SignalStatus.CLOSED and signal.outcome == Outcome.OBJECTED
    assert not signal.events.exclude(note__in=["", "Opposition : effacé"]).exists()
    with pytest.raises(services.VigieError, match="déjà"):
        information.person_objects(signal=signal, by=triager)


def test_the_signal_page_shows_the_notice_and_records_the_information_then_the_objection(client):
    import html
    import re

    from django.urls import reverse

    from carteblanche.vigies.models import Signal

    signal = Signal.objects.filter(network__name="Vigies du Grand Cahors", status=SignalStatus.NEW).first()
    slug = signal.network.territory.slug
    client.force_login(demo_user("agent.franceservices"))
    page = client.get(reverse("vigies:signal", args=[slug, signal.pk]))
    shown = html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Informer la personne" in shown and "vous opposer" in shown
    client.post(reverse("vigies:signal_inform", args=[slug, signal.pk]), {"how": InformedHow.VISIT})
    signal.refresh_from_db()
    assert signal.informed_how == InformedHow.VISIT
    client.post(reverse("vigies:signal_object", args=[slug, signal.pk]))
    signal.refresh_from_db()
    assert signal.objected_at and signal.place == "" and signal.outcome == Outcome.OBJECTED
