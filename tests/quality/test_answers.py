"""Collecting answers without accounts: one token counts once, the poster is limited per browser, bursts are
flagged (never refused: a counter shares one address), the tablet resets, personal data stays out."""

import datetime
import html
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from carteblanche.core.errors import ServiceError
from carteblanche.core.models import OutgoingMessage
from carteblanche.core.throttle import cache as throttle_cache
from carteblanche.quality import services
from carteblanche.quality.enums import AnswerChannel, StructureKind, Subject, VisitOutcome
from carteblanche.quality.models import Answer, Recontact, Structure
from tests.demo import demo_territory, demo_user

GOOD = {"satisfaction": "good"}


@pytest.fixture
def structure():
    return Structure.objects.create(territory=demo_territory(), name="Mairie de Lalbenque", kind=StructureKind.COUNTER)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    throttle_cache.clear()


def _visit(structure):
    visit = services.visit_arrive(structure=structure, subject=Subject.FAMILY, actor=None)
    services.visit_done(visit=visit, outcome=VisitOutcome.SOLVED)
    return visit


def test_a_link_sent_after_a_visit_counts_once(client, structure, mailoutbox):
    visit = _visit(structure)
    assert services.survey_invite(target=visit, email="claude@exemple.fr") == "email"
    message = OutgoingMessage.objects.get(key=f"avis:quality.visit:{visit.pk}")
    token = mailoutbox[-1].body.split("/avis/lien/")[1].split("/")[0]
    url = reverse("quality:answer_link", args=[token])
    assert message.recipient == ""  # sent, then erased: the address is not kept anywhere
    page = client.get(url)
    assert page.status_code == 200 and "Votre avis sur Mairie de Lalbenque" in html.unescape(page.content.decode())
    answered = client.post(url, {"satisfaction": "medium", "comprehension": "4"})
    assert answered.status_code == 302 and answered["Location"].endswith("/merci/")
    answer = Answer.objects.get(structure=structure)
    assert (answer.channel, answer.satisfaction, answer.comprehension) == (AnswerChannel.LINK_VISIT, "medium", 4)
    # Its source shows in the results: « lien envoyé après un passage ».
    client.force_login(demo_user("equipe"))
    page = html.unescape(
        client.get(reverse("quality:structure", args=[structure.territory.slug, structure.pk])).content.decode()
    )
    assert "D'où viennent les avis" in page and "Lien envoyé après un passage au guichet ou au bus" in page
    assert answer.source_hash == "" and not answer.flagged
    again = client.post(url, GOOD)
    assert again.status_code == 404
    assert "déjà servi" in html.unescape(again.content.decode())
    assert Answer.objects.filter(structure=structure).count() == 1


def test_a_token_is_refused_by_the_service_the_second_time(structure):
    visit = _visit(structure)
    token = services.links.issue(purpose=services.SURVEY_PURPOSE, target=visit)
    services.answer_record(structure=structure, channel=AnswerChannel.LINK, token=token, satisfaction="good")
    with pytest.raises(ServiceError, match="déjà servi"):
        services.answer_record(structure=structure, channel=AnswerChannel.LINK, token=token, satisfaction="bad")
    # A token of one structure does not answer for another.
    other = Structure.objects.create(territory=structure.territory, name="Autre", kind=StructureKind.COUNTER)
    token = services.links.issue(purpose=services.SURVEY_PURPOSE, target=_visit(structure))
    with pytest.raises(ServiceError):
        services.answer_record(structure=other, channel=AnswerChannel.LINK, token=token, satisfaction="good")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("sqlite" in connection.settings_dict["ENGINE"], reason="connexions simultanées : PostgreSQL")
def test_one_token_counts_once_under_concurrent_posts(reload_demo):
    structure = Structure.objects.create(territory=demo_territory(), name="Guichet test", kind=StructureKind.COUNTER)
    token = services.links.issue(purpose=services.SURVEY_PURPOSE, target=_visit(structure))
    outcomes, barrier = [], threading.Barrier(20)

    def post():
        barrier.wait()
        try:
            services.answer_record(structure=structure, channel=AnswerChannel.LINK, token=token, satisfaction="good")
            outcomes.append("compté")
        except ServiceError:
            outcomes.append("refusé")
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["compté"] + ["refusé"] * 19
    assert Answer.objects.filter(structure=structure).count() == 1


def test_the_poster_is_limited_per_browser_not_per_address(client, structure, settings):
    url = reverse("quality:answer", args=[structure.public_code])
    client.get(url)
    for _ in range(3):
        assert client.post(url, GOOD).status_code == 302
    refused = client.post(url, GOOD)
    assert refused.status_code == 200
    assert "plusieurs fois aujourd'hui" in html.unescape(refused.content.decode())
    # Someone else at the same counter (same address, another phone) still answers.
    from django.test import Client

    neighbour = Client()
    neighbour.get(url)
    assert neighbour.post(url, GOOD).status_code == 302
    assert Answer.objects.filter(structure=structure, channel=AnswerChannel.POSTER).count() == 4


def test_a_burst_from_one_source_is_flagged_for_the_team_and_can_be_set_aside(client, structure, settings):
    settings.QUALITY_BURST_PER_HOUR = 3
    for _ in range(5):
        services.answer_record(
            structure=structure, channel=AnswerChannel.POSTER, satisfaction="good", source="adresse-empreinte"
        )
    flagged = Answer.objects.filter(structure=structure, flagged=True)
    assert flagged.count() == 2
    assert "4\u00a0réponses de la même source en moins d'une heure" in flagged.order_by("pk").first().flag_reason
    # The hash says nothing of the address and changes with the hour.
    first = Answer.objects.filter(structure=structure).first()
    assert "adresse" not in first.source_hash and len(first.source_hash) == 64
    later = timezone.now() + datetime.timedelta(hours=1)
    assert services.source_hash("adresse-empreinte", later) != first.source_hash
    team = demo_user("equipe")
    client.force_login(team)
    page = client.get(reverse("quality:answers", args=[structure.territory.slug]))
    assert "Mairie de Lalbenque" in html.unescape(page.content.decode())
    one, two = flagged.order_by("pk")
    client.post(reverse("quality:answer_review", args=[structure.territory.slug, one.pk]), {"decision": "compter"})
    client.post(reverse("quality:answer_review", args=[structure.territory.slug, two.pk]), {"decision": "ecarter"})
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.flagged, one.excluded) == (False, False)
    assert (two.flagged, two.excluded) == (False, True)


def test_the_comment_refuses_personal_data_with_a_french_explanation(client, structure):
    url = reverse("quality:answer", args=[structure.public_code])
    client.get(url)
    page = client.post(url, {**GOOD, "comment": "Rappelez-moi au 06 12 34 56 78, je m'appelle Sarah Dupont"})
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert "un numéro de téléphone et un nom" in text
    assert not Answer.objects.filter(structure=structure).exists()


def test_a_recontact_address_needs_the_box_ticked_and_is_kept_apart(client, structure):
    url = reverse("quality:answer", args=[structure.public_code])
    client.get(url)
    page = client.post(url, {**GOOD, "recontact_email": "lea@exemple.fr"})
    assert "Cochez la case" in html.unescape(page.content.decode())
    assert client.post(url, {**GOOD, "recontact": "on", "recontact_email": "lea@exemple.fr"}).status_code == 302
    answer = Answer.objects.get(structure=structure)
    assert Recontact.objects.get(answer=answer).email == "lea@exemple.fr"
    assert "lea" not in answer.comment


def test_answers_with_help_none_do_not_ask_whether_help_was_reached(structure):
    answer = services.answer_record(
        structure=structure, channel=AnswerChannel.PAPER, satisfaction="good", help_tried=["aucune"], help_reached=True
    )
    assert answer.help_reached is None and answer.help_quality is None


def test_the_kiosk_resets_after_each_answer_and_stops_when_closed(client, structure):
    token = services.kiosk_open(structure=structure)
    url = reverse("quality:kiosk", args=[token])
    blank = client.get(url)
    assert blank.status_code == 200 and b"recontact" not in blank.content  # no address typed on a shared tablet
    answered = client.post(url, {"satisfaction": "bad", "help_tried": ["telephone"], "help_reached": "non"})
    assert answered.status_code == 302 and answered["Location"] == url + "?merci=1"
    thanks = client.get(answered["Location"])
    text = thanks.content.decode()
    assert "Merci pour votre avis" in text
    assert f'data-kiosk-reset="{url}"' in text and 'data-kiosk-thanks="8"' in text  # back to a blank questionnaire
    assert 'name="satisfaction"' not in text
    again = client.get(url)
    assert "checked" not in again.content.decode().split('name="satisfaction"')[1][:200]
    answer = Answer.objects.get(structure=structure)
    assert (answer.channel, answer.help_reached) == (AnswerChannel.KIOSK, False)
    # Added to the tablet's home screen, it opens in full screen and stays in the questionnaire.
    manifest_url = reverse("quality:kiosk_manifest", args=[token])
    assert f'rel="manifest" href="{manifest_url}"' in blank.content.decode()
    manifest = client.get(manifest_url).json()
    assert (manifest["display"], manifest["start_url"], manifest["scope"]) == ("fullscreen", url, url)
    services.kiosk_close(structure=structure)
    assert client.get(url).status_code == 404
    assert client.get(manifest_url).status_code == 404


def test_a_paper_questionnaire_is_marked_as_typed_by_an_agent(client):
    agent = demo_user("agent.caf")
    counter = Structure.objects.get(territory=demo_territory(), organisation__name="CAF du Lot")
    client.force_login(agent)
    url = reverse("quality:paper", args=[counter.territory.slug, counter.pk])
    day = timezone.localdate() - datetime.timedelta(days=2)
    future = client.post(url, {"answered_on": timezone.localdate() + datetime.timedelta(days=1), **GOOD})
    assert "dans le futur" in html.unescape(future.content.decode())
    assert client.post(url, {"answered_on": day.isoformat(), "satisfaction": "medium"}).status_code == 302
    answer = Answer.objects.filter(structure=counter, entered_by=agent).get()
    assert answer.channel == AnswerChannel.PAPER and timezone.localdate(answer.answered_at) == day
    # An agent of another organisation does not reach this counter.
    client.force_login(demo_user("agent.franceservices"))
    assert client.get(url).status_code == 404


def test_a_ride_done_sends_its_passenger_the_survey_link(structure):
    from decimal import Decimal

    from carteblanche.mobility import rides
    from carteblanche.mobility.enums import RideStatus
    from carteblanche.mobility.models import RideRequest

    rides_structure = Structure.objects.get(territory=demo_territory(), kind=StructureKind.RIDES)
    # A ride like those of the demo, confirmed with its driver, its appointment three hours ago.
    ride = RideRequest.objects.filter(territory=demo_territory(), driver__isnull=False).first()
    ride.pk, ride.id = None, None
    ride.status = RideStatus.CONFIRMED
    ride.appointment_at = timezone.now() - datetime.timedelta(hours=3)
    ride.save()
    ride.passenger.phone, ride.passenger.email = "06 12 34 56 78", ""
    ride.passenger.save()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        rides.record_trip(ride, km=Decimal("12.0"), participation=Decimal("3"), user=demo_user("agent.franceservices"))
    message = OutgoingMessage.objects.get(key=f"avis:mobility.riderequest:{ride.pk}")
    assert message.status == "envoye"
    token = services.links.usable_for(ride, services.SURVEY_PURPOSE).get()
    assert services.structure_for(ride) == rides_structure
    assert token.single_use
    assert message.channel == "sms"


def test_recontact_addresses_are_read_under_journal_and_erased_once_used(client):
    from carteblanche.audit.models import JournalEntry

    counter = Structure.objects.get(territory=demo_territory(), organisation__name="CAF du Lot")
    pending = Recontact.objects.filter(answer__structure=counter)
    assert pending.count() == 2  # the demo's
    client.force_login(demo_user("agent.caf"))
    before = JournalEntry.objects.count()
    page = client.get(reverse("quality:recontacts", args=[counter.territory.slug, counter.pk]))
    assert "m.durand@exemple.fr" in page.content.decode()
    assert JournalEntry.objects.count() == before + 2
    first = pending.order_by("pk").first()
    client.post(reverse("quality:recontact_done", args=[counter.territory.slug, counter.pk, first.pk]))
    assert not Recontact.objects.filter(pk=first.pk).exists()
    assert Answer.objects.filter(pk=first.answer_id).exists()  # the answer stays, anonymous
    client.force_login(demo_user("agent.franceservices"))
    assert client.get(reverse("quality:recontacts", args=[counter.territory.slug, counter.pk])).status_code == 404


def test_a_link_whose_visit_was_deleted_says_so_instead_of_failing(client, structure):
    visit = _visit(structure)
    token = services.links.issue(purpose=services.SURVEY_PURPOSE, target=visit)
    visit.delete()
    page = client.get(reverse("quality:answer_link", args=[token]))
    assert page.status_code == 404 and "déjà servi" in html.unescape(page.content.decode())
    with pytest.raises(ServiceError):
        services.answer_record(structure=structure, channel=AnswerChannel.LINK, token=token, satisfaction="good")
