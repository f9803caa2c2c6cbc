"""The alert register in a heat wave: the call list by priority, each outcome once, a second attempt then a visit,
progress; two agents recording the same call at once write it once (PostgreSQL), and a stale page is told."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from carteblanche.territories.models import Commune
from carteblanche.vigies import register, services
from carteblanche.vigies.enums import CallOutcome, PlanKind, RegisterCategory, RegisterSource
from carteblanche.vigies.models import Call, RegisterEntry
from tests.demo import demo_territory, demo_user


def entries(commune, count, **fields):
    return [
        RegisterEntry.objects.create(
            territory=demo_territory(),
            commune=commune,
            first_name=f"Personne {i}",
            last_name="Registre-Test",
            category=RegisterCategory.ELDERLY,
            address=f"{i} rue des Tilleuls",
            phone="05 65 00 00 00",
            source=RegisterSource.SELF,
            agreed_at=timezone.now(),
            **fields,
        )
        for i in range(count)
    ]


def test_the_call_list_orders_by_state_and_priority_and_a_person_not_reached_twice_needs_a_visit():
    arcambal, aujols = Commune.objects.get(insee_code="46007"), Commune.objects.get(insee_code="46010")
    first, second = entries(arcambal, 1, priority=1)[0], entries(arcambal, 1, priority=3)[0]
    entries(aujols, 2)  # another commune: not in this plan
    objected = entries(arcambal, 1)[0]
    objected.objected_at = objected.registered_at
    objected.save()
    agent = demo_user("agent.franceservices")
    campaign = register.campaign_start(territory=demo_territory(), kind=PlanKind.HEAT, communes=[arcambal], by=agent)
    lines = register.call_list(campaign)
    assert [line.entry for line in lines] == [first, second] and {line.state for line in lines} == {register.TO_CALL}
    register.call_record(campaign=campaign, entry=first, outcome=CallOutcome.NOT_REACHED, expected_attempt=1, by=agent)
    register.call_record(campaign=campaign, entry=second, outcome=CallOutcome.FINE, expected_attempt=1, by=agent)
    states = {line.entry: line.state for line in register.call_list(campaign)}
    assert states == {first: register.CALL_AGAIN, second: register.DONE}
    register.call_record(campaign=campaign, entry=first, outcome=CallOutcome.NOT_REACHED, expected_attempt=2, by=agent)
    lines = register.call_list(campaign)
    assert lines[0].entry == first and lines[0].state == register.VISIT and lines[0].state_label == "Visite à faire"
    assert register.progress(lines) == {
        register.TO_CALL: 0,
        register.CALL_AGAIN: 0,
        register.VISIT: 1,
        register.DONE: 1,
    }
    # A page showing an old state is told, and nothing is written twice.
    with pytest.raises(services.VigieError, match="vient de noter"):
        register.call_record(campaign=campaign, entry=second, outcome=CallOutcome.FINE, expected_attempt=1, by=agent)
    with pytest.raises(services.VigieError, match="pas dans la liste"):
        register.call_record(campaign=campaign, entry=objected, outcome=CallOutcome.FINE, expected_attempt=1, by=agent)
    assert Call.objects.filter(campaign=campaign).count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("sqlite" in connection.settings_dict["ENGINE"], reason="two connections at once: PostgreSQL")
def test_two_agents_recording_the_same_call_at_the_same_instant_write_it_once(reload_demo):
    arcambal = Commune.objects.get(insee_code="46007")
    person = entries(arcambal, 1)[0]
    agent = demo_user("agent.franceservices")
    campaign = register.campaign_start(territory=demo_territory(), kind=PlanKind.HEAT, communes=[arcambal], by=agent)
    results, barrier = [], threading.Barrier(2)

    def record(outcome):
        barrier.wait()
        try:
            register.call_record(campaign=campaign, entry=person, outcome=outcome, expected_attempt=1, by=agent)
            results.append("noté")
        except services.VigieError:
            results.append("déjà")
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(o,)) for o in (CallOutcome.FINE, CallOutcome.VISIT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["déjà", "noté"] and Call.objects.filter(campaign=campaign).count() == 1
