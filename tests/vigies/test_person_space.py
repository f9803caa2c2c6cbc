"""What was recorded about her is minimal and visible to her in her own space, when she has one: the signals a
structure brought there (by her name and birth date, never told whether a space exists) and her registration in her
commune's register; she objects to a signal, or leaves the register, from there."""

import datetime
import html
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carteblanche.audit.models import JournalEntry
from carteblanche.core import links
from carteblanche.rights import space
from carteblanche.rights.services import register_person
from carteblanche.territories.models import Commune
from carteblanche.vigies import information, register_book, retention, services
from carteblanche.vigies.enums import Outcome, RegisterCategory, RegisterSource, SignalStatus
from carteblanche.vigies.models import Signal
from tests.demo import demo_territory, demo_user

from .test_signals import network, postman, send  # noqa: F401

BORN = datetime.date(1941, 3, 2)


@pytest.fixture
def eloise():
    return resident("Éloïse-Marie", "D'Aubigné")


@pytest.fixture
def triager():
    return demo_user("agent.franceservices")  # an agent of the Grand Cahors, the network's structure


def resident(first_name, last_name):
    """A file opened at the counter (its applicant the first of her household): she may open her space."""
    return register_person(territory=demo_territory(), first_name=first_name, last_name=last_name, birth_date=BORN)


def link(signal, by, first="ELOISE MARIE", last="d aubigne", born=BORN):
    return information.person_link(signal=signal, first_name=first, last_name=last, birth_date=born, by=by)


def enter(client, person):
    token = links.issue(purpose=space.LINK_PURPOSE, target=person, lifetime=space.LINK_LIFETIME)
    client.post(reverse("rights:space_enter", args=[token]))


def shown(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_linking_finds_her_despite_accents_case_and_hyphens(network, postman, eloise, triager):  # noqa: F811
    signal = link(send(network, postman), triager)
    assert signal.person == eloise
    assert signal.events.filter(note=information.LINKED).exists()
    assert JournalEntry.objects.about(signal).filter(reason__startswith="Rapprochement").exists()
    assert JournalEntry.objects.about(eloise).filter(reason__contains="rapproché de son espace").exists()
    assert link(signal, triager, first="Éloïse", last="Dupont").person is None  # a mistake corrected: unlinked


def test_the_structure_is_told_the_same_whether_she_has_a_space_or_not(network, postman, eloise, triager):  # noqa: F811
    found, nobody = send(network, postman), send(network, postman)
    answers = []
    for signal, last_name in ((found, "D'Aubigné"), (nobody, "Personne-Inconnue")):
        client = Client()
        client.force_login(triager)
        url = reverse("vigies:signal_person_link", args=[network.territory.slug, signal.pk])
        data = {"first_name": "Éloïse-Marie", "last_name": last_name, "birth_date": BORN.isoformat()}
        response = client.post(url, data)
        answers.append((response.status_code, response.url.replace(str(signal.pk), "#"), said(response)))
    assert answers[0] == answers[1] and "si la personne a un espace" in answers[0][2][0]
    found.refresh_from_db()
    nobody.refresh_from_db()
    assert found.person == eloise and nobody.person is None
    # Both files read alike: the same step, and no word of a space found.
    for signal in (found, nobody):
        page = shown(client.get(reverse("vigies:signal", args=[network.territory.slug, signal.pk])))
        assert "Rapproché de l'espace de la personne, s'il existe" in page and "La plateforme ne vous dit pas" in page
        assert "Éloïse" not in page


def test_two_residents_of_one_name_and_birth_date_are_neither_linked(network, postman, eloise, triager):  # noqa: F811
    resident("ÉLOÏSE MARIE", "D-AUBIGNÉ")  # another file, the same name and birth date
    assert link(send(network, postman), triager).person is None


def test_only_the_structure_or_its_assigned_partner_links_never_an_erased_signal(network, postman, eloise, triager):  # noqa: F811
    signal = send(network, postman)
    for outsider in (demo_user("agent.caf"), demo_user("equipe")):  # a partner it is not handed to, the team
        with pytest.raises(services.VigieError):
            link(signal, outsider)
    signal = services.signal_qualify(signal=signal, by=triager)
    signal = services.signal_assign(signal=signal, partner=network.partners.get(), by=triager)
    assert link(signal, demo_user("agent.caf")).person == eloise  # now handed to the CAF
    information.person_objects(signal=signal, by=triager)
    with pytest.raises(services.VigieError, match="effacé"):
        link(signal, triager)


def test_her_space_shows_the_signal_but_never_who_signalled_her(client, network, postman, eloise, triager):  # noqa: F811
    link(send(network, postman, person_name="Mme D'Aubigné"), triager)
    enter(client, eloise)
    page = shown(client.get(reverse("rights:space")))
    assert "Signalements et registre d'alerte" in page
    assert f"Signalement reçu par {network.organisation.name}" in page
    assert "Courrier qui s'accumule" in page and "Chemin des Vignes" in page and "Reçu" in page
    assert "Les volets restent fermés" in page and "pas encore faite" in page
    assert "Paul" not in page and "Facteur-Test" not in page and "Facteur ou factrice" not in page
    assert JournalEntry.objects.about(eloise).filter(reason__contains="ses signalements").exists()


def test_she_objects_from_her_space_and_the_signal_is_erased_and_closed(client, network, postman, eloise, triager):  # noqa: F811
    signal = link(send(network, postman), triager)
    enter(client, eloise)
    response = client.post(reverse("rights:space_signal_object", args=[signal.pk]))
    assert response.url.startswith(reverse("rights:space")) and "effacé" in said(response)[0]
    signal.refresh_from_db()
    assert (signal.place, signal.words, signal.vigie, signal.person) == ("", "", None, None)
    assert signal.status == SignalStatus.CLOSED and signal.outcome == Outcome.OBJECTED and signal.objected_at
    assert signal.events.filter(note="Opposition depuis son espace : effacé", actor__isnull=True).exists()
    page = shown(client.get(reverse("rights:space")))
    assert "Je m'oppose à ce signalement" not in page and "Aucun signalement" in page
    assert client.post(reverse("rights:space_signal_object", args=[signal.pk])).status_code == 404


def test_another_person_cannot_object_to_her_signal(client, network, postman, eloise, triager):  # noqa: F811
    signal = link(send(network, postman), triager)
    other = resident("Autre", "Habitante")
    enter(client, other)
    assert client.post(reverse("rights:space_signal_object", args=[signal.pk])).status_code == 404
    assert "Chemin des Vignes" not in shown(client.get(reverse("rights:space")))
    with pytest.raises(services.VigieError):
        information.person_objects(signal=signal, person=other)
    signal.refresh_from_db()
    assert signal.objected_at is None and signal.person == eloise
    client.logout()
    assert client.post(reverse("rights:space_signal_object", args=[signal.pk])).status_code == 403


def test_her_register_entry_is_shown_and_she_leaves_the_register_from_her_space(client, eloise, triager):
    commune = Commune.objects.get(insee_code="46224")
    data = {
        "commune": commune,
        "first_name": "ELOISE MARIE",
        "last_name": "d'aubigne",
        "birth_date": BORN,
        "category": RegisterCategory.ELDERLY,
        "address": "12 rue des Tilleuls",
        "phone": "05 65 11 22 33",
        "contact_name": "Jeanne, sa fille",
        "home_services": "Portage de repas",
    }
    entry = register_book.register_person(
        territory=eloise.territory, data=data, source=RegisterSource.SELF, agreed=True, by=triager
    )
    other = resident("Autre", "Habitante")
    enter(client, other)
    assert "12 rue des Tilleuls" not in shown(client.get(reverse("rights:space")))
    assert client.post(reverse("rights:space_register_leave", args=[entry.pk])).status_code == 404
    enter(client, eloise)
    page = shown(client.get(reverse("rights:space")))
    assert f"Registre des personnes vulnérables de {commune.name}" in page
    assert "12 rue des Tilleuls" in page and "05 65 11 22 33" in page and "Portage de repas" in page
    assert "À votre demande" in page and "Ne plus figurer au registre" in page
    response = client.post(reverse("rights:space_register_leave", args=[entry.pk]))
    assert "Vous ne figurez plus au registre" in said(response)[0]
    entry.refresh_from_db()
    assert entry.objected_at and (entry.address, entry.phone, entry.last_name) == ("", "", "")
    assert JournalEntry.objects.about(entry).filter(reason__contains="depuis son espace", actor__isnull=True).exists()
    page = shown(client.get(reverse("rights:space")))
    assert "12 rue des Tilleuls" not in page and "Ne plus figurer au registre" not in page


def test_retention_unlinks_her_space_when_it_anonymises(network, postman, eloise, triager):  # noqa: F811
    signal = link(send(network, postman), triager)
    closed = timezone.now()
    Signal.objects.filter(pk=signal.pk).update(status=SignalStatus.CLOSED, outcome=Outcome.HELP, closed_at=closed)
    assert retention.anonymise_signals(closed + datetime.timedelta(days=31 * network.kept_months + 1)) >= 1
    signal.refresh_from_db()
    assert signal.anonymised_at and signal.person is None and signal.place == ""
