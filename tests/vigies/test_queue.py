"""The structure's and partners' pages: the structure's agents triage their network's queue (no place, no name in
the list), a partner reads only what was handed to it, the team and the prefecture are refused with a reason; a
signal's file is journaled at each reading; a signal left waiting past its delay is shown late; each step is taken
from the file, a refusal only with its reason; the structure registers its vigies and sends them their links."""

import datetime
import re
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core.models import OutgoingMessage
from carteblanche.territories.models import Commune, Organisation
from carteblanche.vigies import services
from carteblanche.vigies.demo import NAME
from carteblanche.vigies.enums import Outcome, Seen, SignalStatus, Urgency, VigieRole
from carteblanche.vigies.models import Network, Signal, Vigie
from tests.demo import demo_territory, demo_user

SLUG = "bassin-de-vie-de-cahors"
LATE = ">en retard<"
TOLD = ">signalé à la responsable<"


@pytest.fixture
def network():
    """The demo's network: the Grand Cahors triages (agent.franceservices), the CAF among its partners (agent.caf)."""
    return Network.objects.get(territory=demo_territory(), name=NAME)


def send(network, **fields):
    data = {
        "commune": Commune.objects.get(insee_code="46224"),
        "place": "Impasse des Tilleuls",
        "person_name": "Mme Testeuse",
        "seen": [Seen.COLD],
        "urgency": Urgency.DAY,
        "words": "Elle ne répond plus à la porte.",
    }
    return services.signal_send(network=network, vigie=network.vigies.first(), **(data | fields))


def caf_of(network):
    return Organisation.objects.get(territory=network.territory, name="CAF du Lot")


def handed_to_caf(network):
    triager = demo_user("agent.franceservices")
    signal = services.signal_qualify(signal=send(network), by=triager)
    return services.signal_assign(signal=signal, partner=caf_of(network), by=triager)


def queue_of(client, who, **params):
    client.force_login(demo_user(who))
    response = client.get(reverse("vigies:queue", args=[SLUG]), params)
    assert response.status_code == 200
    return response.content.decode()


def detail(signal):
    return reverse("vigies:signal", args=[SLUG, signal.pk])


def step(signal, name):
    return reverse(f"vigies:{name}", args=[SLUG, signal.pk])


def readings(signal):
    return JournalEntry.objects.filter(
        action=Action.PERSONAL_DATA_READ, target_type="vigies.signal", target_id=str(signal.pk)
    )


def test_the_structures_agent_sees_her_networks_queue_without_place_or_name(client, network):
    client.force_login(demo_user("agent.franceservices"))
    before = JournalEntry.objects.count()
    html = client.get(reverse("vigies:queue", args=[SLUG])).content.decode()
    ongoing = network.signals.exclude(status=SignalStatus.CLOSED)
    assert ongoing.count() == 3
    for signal in ongoing:
        assert detail(signal) in html
    closed = network.signals.get(status=SignalStatus.CLOSED)
    assert detail(closed) not in html  # the queue shows what is ongoing unless asked
    assert "Département du Lot" in html and "Pradines" in html and "Pas vu depuis plusieurs jours" in html
    for signal in network.signals.all():
        assert signal.place not in html and (not signal.person_name or signal.person_name not in html)
    assert JournalEntry.objects.count() == before  # nothing personal read: nothing journaled
    # The demo's signal nobody took within the day: late, and told to the lead.
    assert html.count(LATE) == 1 and html.count(TOLD) == 1
    assert reverse("vigies:vigies", args=[SLUG]) in html


def test_the_queue_filters_by_state(client, network):
    closed = network.signals.get(status=SignalStatus.CLOSED)
    html = queue_of(client, "agent.franceservices", etat=SignalStatus.CLOSED)
    assert detail(closed) in html
    assert not any(detail(signal) in html for signal in network.signals.exclude(pk=closed.pk))
    html = queue_of(client, "agent.franceservices", etat="tous")
    assert all(detail(signal) in html for signal in network.signals.all())


def test_a_partner_reads_only_what_was_handed_to_it(client, network):
    reached = network.signals.get(assigned_to__name="CAF du Lot")
    departments = network.signals.get(assigned_to__name="Département du Lot")
    html = queue_of(client, "agent.caf")
    assert detail(reached) in html and detail(departments) not in html
    assert "aucun réseau de vigies de ce territoire : elle n'a pas de signalements à trier" in html
    assert client.get(detail(reached)).status_code == 200
    assert client.get(detail(departments)).status_code == 404  # its existence is not confirmed
    assert client.post(step(departments, "signal_close"), {"outcome": Outcome.NOTHING}).status_code == 404
    assert client.get(reverse("vigies:vigies", args=[SLUG])).status_code == 403


def test_an_agent_of_neither_a_structure_nor_a_partner_sees_empty_sections_that_say_why(client, network):
    network.partners.remove(caf_of(network))
    Signal.objects.filter(network=network, assigned_to__name="CAF du Lot").update(assigned_to=None)
    html = queue_of(client, "agent.caf")
    assert "n'est la structure d'aucun réseau" in html and "n'est partenaire d'aucun réseau" in html


@pytest.mark.parametrize("who", ["equipe", "prefecture", "jury"])
def test_the_team_the_prefecture_and_the_jury_are_refused_with_a_reason(client, network, who):
    client.force_login(demo_user(who))
    signal = network.signals.first()
    for url in (reverse("vigies:queue", args=[SLUG]), detail(signal), reverse("vigies:vigies", args=[SLUG])):
        response = client.get(url)
        assert response.status_code == 403
        assert "agents de la structure du réseau" in response.content.decode()
    assert not readings(signal).exists()


def test_the_file_shows_the_place_the_name_and_the_steps_and_its_reading_is_journaled(client, network):
    signal = network.signals.get(assigned_to__name="Département du Lot")
    client.force_login(demo_user("agent.franceservices"))
    html = unescape(client.get(detail(signal)).content.decode())
    assert signal.place in html and signal.person_name in html and signal.words in html
    assert "Confirmé par la gardienne" in html and "Julien Lacombe" in html and "Dans le mois" in html
    entry = readings(signal).get()
    assert entry.actor == demo_user("agent.franceservices") and "lieu" in entry.fields
    # Handed to a partner: the structure waits for its answer; it neither qualifies nor answers it again.
    assert step(signal, "signal_answer") not in html and step(signal, "signal_qualify") not in html


def test_a_signal_left_past_its_delay_is_shown_late_until_it_is_taken(client, clock, network):
    signal = send(network)
    html = queue_of(client, "agent.franceservices")
    assert html.count(LATE) == 1  # the demo's only
    clock.shift(datetime.timedelta(hours=25))
    html = queue_of(client, "agent.franceservices")
    assert html.count(LATE) == 2
    assert "en retard de 1\u00a0heure" in client.get(detail(signal)).content.decode()
    assert services.escalate_overdue() == 1
    assert queue_of(client, "agent.franceservices").count(TOLD) == 2
    signal = handed_to_caf(network)
    services.partner_answer(signal=Signal.objects.get(pk=signal.pk), accept=True, by=demo_user("agent.caf"))
    clock.shift(datetime.timedelta(hours=25))
    html = queue_of(client, "agent.caf")
    assert detail(signal) in html and LATE not in html  # taken in charge: no longer late


def test_the_structure_qualifies_hands_and_closes_from_the_file(client, network):
    signal = send(network)
    client.force_login(demo_user("agent.franceservices"))
    assert step(signal, "signal_qualify") in client.get(detail(signal)).content.decode()
    response = client.post(step(signal, "signal_qualify"), {"note": "La voisine confirme"})
    assert response.status_code == 302 and response["Location"] == detail(signal)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.QUALIFIED
    # Qualified once: a second time is refused, in French.
    response = client.post(step(signal, "signal_qualify"), {}, follow=True)
    assert "déjà qualifié" in response.content.decode()
    caf = caf_of(network)
    client.post(step(signal, "signal_assign"), {"partner": caf.pk})
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ASSIGNED and signal.assigned_to == caf
    other = send(network)
    client.post(step(other, "signal_close"), {"outcome": Outcome.NOTHING, "note": "Absente, partie en vacances"})
    other.refresh_from_db()
    assert other.status == SignalStatus.CLOSED and other.outcome == Outcome.NOTHING
    # Health words in a note are refused, and nothing changes.
    third = send(network)
    response = client.post(step(third, "signal_qualify"), {"note": "Sous traitement pour une dépression"}, follow=True)
    third.refresh_from_db()
    assert third.status == SignalStatus.NEW and "santé" in response.content.decode()


def test_the_partner_answers_refuses_only_with_a_reason_and_closes(client, network):
    signal = handed_to_caf(network)
    client.force_login(demo_user("agent.caf"))
    html = client.get(detail(signal)).content.decode()
    assert step(signal, "signal_answer") in html and step(signal, "signal_qualify") not in html
    response = client.post(step(signal, "signal_answer"), {"decision": "refuser", "reason": ""}, follow=True)
    assert "Dites pourquoi vous ne pouvez pas prendre ce signalement" in response.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ASSIGNED
    client.post(step(signal, "signal_answer"), {"decision": "accepter"})
    client.post(step(signal, "signal_contact"), {"note": "Rencontrée chez elle"})
    client.post(step(signal, "signal_close"), {"outcome": Outcome.HELP})
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == (SignalStatus.CLOSED, Outcome.HELP)
    # The structure's steps are not the partner's.
    other = handed_to_caf(network)
    assert client.post(step(other, "signal_assign"), {}).status_code == 403
    client.force_login(demo_user("agent.franceservices"))
    assert client.post(step(other, "signal_answer"), {"decision": "accepter"}).status_code == 403


def test_a_refusal_with_its_reason_goes_back_to_the_structure(client, network):
    signal = handed_to_caf(network)
    client.force_login(demo_user("agent.caf"))
    client.post(step(signal, "signal_answer"), {"decision": "refuser", "reason": "Hors de notre secteur"})
    signal.refresh_from_db()
    assert signal.status == SignalStatus.QUALIFIED and signal.assigned_to is None
    assert client.get(detail(signal)).status_code == 404  # no longer handed to the CAF
    client.force_login(demo_user("agent.franceservices"))
    assert "Hors de notre secteur" in client.get(detail(signal)).content.decode()


def test_the_structure_registers_a_vigie_and_sends_her_link(client, network):
    client.force_login(demo_user("agent.franceservices"))
    url = reverse("vigies:vigies", args=[SLUG])
    html = client.get(url).content.decode()
    assert "Thierry Cavaillé" in html and "Facteur ou factrice" in html
    fields = {"first_name": "Lucie", "last_name": "Pharmacie-Test", "role": VigieRole.PHARMACIST}
    response = client.post(url, fields)
    assert response.status_code == 200 and "portable ou une adresse e-mail" in response.content.decode()
    assert not Vigie.objects.filter(last_name="Pharmacie-Test").exists()
    response = client.post(url, fields | {"phone": "05 65 00 00 00"})  # a landline cannot take the SMS
    assert "indiquez un portable (06 ou 07)" in unescape(response.content.decode())
    response = client.post(url, fields | {"email": "lucie@exemple.fr", "trained_on": "2026-01-15"})
    assert response.status_code == 302
    vigie = Vigie.objects.get(last_name="Pharmacie-Test")
    assert vigie.network == network and vigie.trained_on == datetime.date(2026, 1, 15)
    response = client.post(reverse("vigies:vigie_link", args=[SLUG, vigie.pk]), follow=True)
    assert "Lien envoyé à Lucie Pharmacie-Test par e-mail" in response.content.decode()
    assert OutgoingMessage.objects.filter(key__startswith=f"vigie-lien:{vigie.pk}:").count() == 1
    body = mail.outbox[-1].body
    assert "Voici votre lien de vigie" in body and mail.outbox[-1].to == ["lucie@exemple.fr"]
    token = re.search(r"/vigies/v/([^/]+)/", body).group(1)
    assert services.vigie_for(token) == vigie


def test_a_vigie_reached_by_phone_gets_her_link_by_sms_and_the_earlier_one_stops(client, clock, network):
    postman = network.vigies.get(role=VigieRole.POSTMAN)
    first = services.vigie_link_issue(vigie=postman)
    client.force_login(demo_user("agent.franceservices"))
    response = client.post(reverse("vigies:vigie_link", args=[SLUG, postman.pk]), follow=True)
    assert "par SMS" in response.content.decode()
    assert services.vigie_for(first) is None
    message = OutgoingMessage.objects.get(key__startswith=f"vigie-lien:{postman.pk}:")
    assert message.channel == "sms"


def test_only_the_structure_registers_and_sends_links(network):
    with pytest.raises(PermissionDenied):
        services.vigie_register(
            network=network, by=demo_user("agent.caf"), first_name="A", last_name="B", role=VigieRole.OTHER
        )
    with pytest.raises(PermissionDenied):
        services.vigie_link_send(vigie=network.vigies.first(), by=demo_user("equipe"))


def test_the_escalation_command_says_how_many_in_french(capsys, clock, network):
    call_command("vigies_escalate")
    assert capsys.readouterr().out.strip() == "0\u00a0signalement en retard signalé à la responsable."
    send(network)
    send(network)
    clock.shift(datetime.timedelta(hours=25))
    call_command("vigies_escalate")
    assert capsys.readouterr().out.strip() == "2\u00a0signalements en retard signalés à la responsable."


def test_the_menu_shows_vigies_to_agents_only(client, network):
    html = queue_of(client, "agent.caf")
    assert ">Vigies</a>" in html
    client.force_login(demo_user("equipe"))
    assert ">Vigies</a>" not in client.get(reverse("core:home")).content.decode()
