"""A signal's life: sent by a vigie (or a resident), triaged by the structure's agents only, handed to a partner who
alone answers it, accepted or refused with a reason, closed with its outcome; the vigie told « pris en charge » then
« clos », nothing more; a signal nobody took past its urgency's delay told to the network's lead, once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from carteblanche.core.models import OutgoingMessage
from carteblanche.territories.models import Commune, Organisation
from carteblanche.vigies import services
from carteblanche.vigies.enums import Origin, Outcome, Seen, SignalStatus, Urgency, VigieRole
from carteblanche.vigies.models import Network, Vigie
from tests.demo import demo_territory, demo_user


@pytest.fixture
def network():
    territory = demo_territory()
    network = Network.objects.create(
        territory=territory,
        organisation=Organisation.objects.get(territory=territory, name__startswith="Grand Cahors"),
        name="Vigies du Grand Cahors",
        lead_email="responsable.vigies@exemple.fr",
    )
    network.partners.add(Organisation.objects.get(territory=territory, name="CAF du Lot"))
    return network


@pytest.fixture
def postman(network):
    return Vigie.objects.create(
        network=network, first_name="Paul", last_name="Facteur-Test", role=VigieRole.POSTMAN, phone="06 11 22 33 44"
    )


def send(network, vigie=None, **fields):
    data = {
        "commune": Commune.objects.get(insee_code="46224"),
        "place": "Chemin des Vignes",
        "seen": [Seen.MAIL, Seen.NOT_SEEN],
        "urgency": Urgency.DAY,
        "words": "Les volets restent fermés et la boîte déborde.",
    }
    return services.signal_send(network=network, vigie=vigie, **(data | fields))


def told_to_vigie(signal):
    keys = OutgoingMessage.objects.filter(key__startswith=f"vigie-etat:{signal.pk}:").order_by("pk")
    return [key.rsplit(":", 1)[1] for key in keys.values_list("key", flat=True)]


def test_health_data_and_an_empty_signal_are_refused(network):
    with pytest.raises(services.VigieError, match="au moins une chose"):
        send(network, seen=[])
    with pytest.raises(services.VigieError):
        send(network, words="Elle prend un traitement contre le diabète et ne le prend plus.")
    assert not network.signals.exists()


def test_a_signal_goes_from_the_postman_to_the_partner_who_closes_it(postman, network):
    signal = send(network, postman)
    assert signal.origin == Origin.VIGIE and signal.due_at == signal.created_at + datetime.timedelta(hours=24)
    assert services.vigie_status(signal) == "reçu"
    triager, partner, other = demo_user("agent.franceservices"), demo_user("agent.caf"), demo_user("equipe")
    # Only the structure's agents triage; the partner answers only once it is handed the signal.
    with pytest.raises(PermissionDenied):
        services.signal_qualify(signal=signal, by=partner)
    with pytest.raises(PermissionDenied):
        services.signal_qualify(signal=signal, by=other)
    signal = services.signal_qualify(signal=signal, by=triager, note="Voisine confirme")
    with pytest.raises(PermissionDenied):
        services.partner_answer(signal=signal, accept=True, by=partner)
    caf = network.partners.get()
    signal = services.signal_assign(signal=signal, partner=caf, by=triager)
    with pytest.raises(services.VigieError, match="pourquoi"):
        services.partner_answer(signal=signal, accept=False, by=partner)
    # A refusal says why and gives it back to the structure.
    signal = services.partner_answer(signal=signal, accept=False, reason="Hors de notre secteur", by=partner)
    assert signal.status == SignalStatus.QUALIFIED and signal.assigned_to is None
    assert signal.events.filter(note="Hors de notre secteur", partner=caf).exists()
    signal = services.signal_assign(signal=signal, partner=caf, by=triager)
    signal = services.partner_answer(signal=signal, accept=True, by=partner)
    assert services.vigie_status(signal) == "pris en charge"
    signal = services.contact_made(signal=signal, by=partner)
    signal = services.signal_close(signal=signal, outcome=Outcome.HELP, by=partner)
    assert signal.status == SignalStatus.CLOSED and services.vigie_status(signal) == "clos"
    assert told_to_vigie(signal) == ["pris en charge", "clos"]
    text = services.vigie_message(signal, "clos")
    assert "Pradines" in text and "Vignes" not in text and "volets" not in text  # no details
    with pytest.raises(services.VigieError, match="plus possible"):
        services.signal_close(signal=signal, outcome=Outcome.HELP, by=partner)
    assert list(signal.events.values_list("status", flat=True)) == [
        "nouveau",
        "qualifie",
        "confie",
        "qualifie",
        "confie",
        "accepte",
        "contact",
        "clos",
    ]


def test_a_resident_signals_without_an_account_and_only_a_network_partner_may_be_handed_it(network):
    signal = send(network, urgency=Urgency.WEEK)
    assert signal.origin == Origin.RESIDENT and signal.vigie is None
    triager = demo_user("agent.franceservices")
    signal = services.signal_qualify(signal=signal, by=triager)
    stranger = Organisation.objects.get(territory=network.territory, name="CPAM du Lot")
    with pytest.raises(services.VigieError, match="partenaire du réseau"):
        services.signal_assign(signal=signal, partner=stranger, by=triager)


def test_a_signal_nobody_took_past_its_delay_is_told_to_the_lead_once(network, postman, clock):
    day = send(network, postman, urgency=Urgency.DAY)
    week = send(network, postman, urgency=Urgency.WEEK)
    taken = send(network, postman, urgency=Urgency.DAY)
    triager, partner = demo_user("agent.franceservices"), demo_user("agent.caf")
    taken = services.signal_qualify(signal=taken, by=triager)
    taken = services.signal_assign(signal=taken, partner=network.partners.get(), by=triager)
    services.partner_answer(signal=taken, accept=True, by=partner)
    later = timezone.now() + datetime.timedelta(hours=25)
    assert services.escalate_overdue(now=later) == 1
    day.refresh_from_db()
    week.refresh_from_db()
    assert day.escalated_at == later and week.escalated_at is None
    sent = OutgoingMessage.objects.filter(key=f"vigie-escalade:{day.pk}")
    assert sent.count() == 1 and sent.get().subject == ""  # sent: the text is not kept
    assert "personne ne l'a encore pris en charge" in mail.outbox[-1].body
    assert services.escalate_overdue(now=later + datetime.timedelta(hours=1)) == 0
    assert services.escalate_overdue(now=later + datetime.timedelta(days=7)) == 1  # the week's, now


def test_a_closed_signal_is_anonymised_after_its_networks_period_and_its_figures_stay(network, postman):
    from carteblanche.vigies.retention import anonymise_signals

    triager = demo_user("agent.franceservices")
    signal = services.signal_close(
        signal=send(network, postman, person_name="Mme Test"), outcome=Outcome.NOTHING, by=triager
    )
    assert anonymise_signals(timezone.now() + datetime.timedelta(days=300)) == 0
    assert anonymise_signals(timezone.now() + datetime.timedelta(days=400)) == 1
    signal.refresh_from_db()
    assert (signal.place, signal.person_name, signal.words, signal.vigie) == ("", "", "", None)
    assert signal.commune.insee_code == "46224" and signal.outcome == Outcome.NOTHING and signal.seen
