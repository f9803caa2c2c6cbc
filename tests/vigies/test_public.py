"""The vigies' public pages: a vigie signals from her personal link in one sending and reads, without details,
whether her signals were taken care of; a resident signals without an account, a few times an hour; both pages say
first to call 15, 17, 18 or 112 in an emergency; health words are refused and nothing is saved."""

import pytest
from django.urls import reverse

from carteblanche.core import french
from carteblanche.territories.models import Commune, Organisation, Territory
from carteblanche.vigies import services
from carteblanche.vigies.enums import Origin, Seen, Urgency, VigieRole
from carteblanche.vigies.models import Network, Signal, Vigie
from carteblanche.vigies.public_views import RESIDENT_THROTTLE
from tests.demo import demo_territory, demo_user

PLACE = "Chemin des Vignes, la maison aux volets bleus"
WORDS = "Les volets restent fermés et la boîte aux lettres déborde."


@pytest.fixture
def network():
    """The Grand Cahors's network (the demo's, or made here), the CAF among its partners: the only one in Cahors."""
    territory = demo_territory()
    network = Network.objects.filter(territory=territory, name="Vigies du Grand Cahors").first()
    network = network or Network.objects.create(
        territory=territory,
        organisation=Organisation.objects.get(territory=territory, name__startswith="Grand Cahors"),
        name="Vigies du Grand Cahors",
    )
    network.partners.add(Organisation.objects.get(territory=territory, name="CAF du Lot"))
    assert Network.objects.filter(territory=territory).count() == 1
    return network


@pytest.fixture
def new_signals():
    """The signals sent during the test (the demo has its own)."""
    last = Signal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return lambda: Signal.objects.filter(pk__gt=last).order_by("pk")


@pytest.fixture
def postman(network):
    return Vigie.objects.create(
        network=network, first_name="Paul", last_name="Facteur-Test", role=VigieRole.POSTMAN, phone="06 11 22 33 44"
    )


@pytest.fixture
def link(postman):
    return reverse("vigies:vigie", args=[services.vigie_link_issue(vigie=postman)])


def pradines():
    return Commune.objects.get(insee_code="46224")


def signal_data(**fields):
    data = {
        "commune": pradines().pk,
        "place": PLACE,
        "person_name": "",
        "seen": [Seen.MAIL, Seen.NOT_SEEN],
        "urgency": Urgency.DAY,
        "words": WORDS,
    }
    return data | fields


def assert_emergency_numbers(html: str):
    assert "Une urgence ? Appelez d'abord le" in html
    for number in ("15", "17", "18", "112"):
        assert f'href="tel:{number}"' in html


def test_the_vigie_signals_from_her_link_in_one_sending(client, link, postman, new_signals):
    page = client.get(link)
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    html = page.content.decode()
    assert_emergency_numbers(html)
    assert html.index("tel:112") < html.index("<form")  # the emergency first, then the form
    assert "Pradines" in html and "Figeac" not in html  # the network's communes only
    assert "aucune donnée de santé" in html.lower()

    response = client.post(link, signal_data())
    assert response.status_code == 302 and response["Location"] == link
    signal = new_signals().get()
    assert signal.origin == Origin.VIGIE and signal.vigie == postman and signal.network == postman.network
    assert signal.seen == [Seen.MAIL, Seen.NOT_SEEN] and signal.place == PLACE and signal.commune == pradines()

    html = client.get(link).content.decode()
    assert "Merci, votre signalement est envoyé" in html
    assert "Pradines" in html and "reçu" in html


def test_health_words_are_refused_in_french_and_nothing_is_saved(client, link, new_signals):
    response = client.post(link, signal_data(words="Elle ne prend plus son traitement contre le diabète."))
    assert response.status_code == 200
    assert "santé" in response.context["form"].errors["words"][0]
    assert not new_signals().exists()
    response = client.post(link, signal_data(seen=[]))
    assert "Cochez au moins une chose" in response.context["form"].errors["seen"][0]
    assert not new_signals().exists()


def test_her_list_says_taken_care_of_and_never_the_place_or_the_words(client, link, network, postman):
    client.post(link, signal_data(person_name="Mme Lacoste"))
    signal = postman.signals.get()
    triager, partner = demo_user("agent.franceservices"), demo_user("agent.caf")
    signal = services.signal_qualify(signal=signal, by=triager)
    caf = Organisation.objects.get(territory=network.territory, name="CAF du Lot")
    signal = services.signal_assign(signal=signal, partner=caf, by=triager)
    services.partner_answer(signal=signal, accept=True, by=partner)

    html = client.get(link).content.decode()
    assert "pris en charge" in html and "Pradines" in html
    for detail in ("volets", "boîte aux lettres", "Lacoste", "CAF du Lot"):
        assert detail not in html, detail


def test_an_inactive_vigie_or_an_unknown_link_gets_a_page_in_french(client, link, postman, new_signals):
    assert client.get(reverse("vigies:vigie", args=["lien-inconnu"])).status_code == 404
    Vigie.objects.filter(pk=postman.pk).update(is_active=False)
    response = client.get(link)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Ce lien de vigie ne fonctionne plus" in html
    assert_emergency_numbers(html)
    assert client.post(link, signal_data()).status_code == 404
    assert not new_signals().exists()


def test_a_resident_signals_without_an_account_and_is_slowed_down_after_the_limit(client, network, new_signals):
    url = reverse("vigies:resident_signal", args=[network.territory.slug])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert_emergency_numbers(html)
    assert 'name="network"' not in html  # one network: nothing to choose
    limit = RESIDENT_THROTTLE.limits["browser"]
    for _ in range(limit):
        assert client.post(url, signal_data()).status_code == 302
    signals = new_signals()
    assert signals.count() == limit
    assert all(s.origin == Origin.RESIDENT and s.vigie is None and s.network == network for s in signals)

    response = client.post(url, signal_data())
    assert response.status_code == 200
    assert f"réessayez dans {french.waiting(RESIDENT_THROTTLE.window)}" in response.content.decode()
    assert new_signals().count() == limit


def test_a_resident_chooses_the_structure_where_the_territory_has_several_networks(client, network, new_signals):
    caf = Organisation.objects.get(territory=network.territory, name="CAF du Lot")
    other = Network.objects.create(territory=network.territory, organisation=caf, name="Vigies de la CAF")
    url = reverse("vigies:resident_signal", args=[network.territory.slug])
    assert 'name="network"' in client.get(url).content.decode()
    response = client.post(url, signal_data())
    assert "Choisissez la structure" in response.context["form"].errors["network"][0]
    assert client.post(url, signal_data(network=other.pk)).status_code == 302
    assert new_signals().get().network == other


def test_a_robot_is_thanked_and_ignored(client, network, new_signals):
    url = reverse("vigies:resident_signal", args=[network.territory.slug])
    assert client.post(url, signal_data(champ_controle="https://pirate.example")).status_code == 302
    assert not new_signals().exists()


def test_no_resident_page_without_a_network_or_for_an_unknown_territory(client):
    assert client.get(reverse("vigies:resident_signal", args=["territoire-inconnu"])).status_code == 404
    without = Territory.objects.exclude(vigie_networks__isnull=False).order_by("pk").first()
    assert client.get(reverse("vigies:resident_signal", args=[without.slug])).status_code == 404
