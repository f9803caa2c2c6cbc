"""A heat wave as the commune runs it: the prefecture triggers the plan, a commune agent calls from the list and
records each call (a stale page is told), the prefecture follows the progress and exports it; an operator's agent
may not read the register."""

import html
import re

from django.urls import reverse

from carteblanche.audit.models import JournalEntry
from carteblanche.territories.models import Commune
from carteblanche.vigies.enums import CallOutcome, PlanKind
from carteblanche.vigies.models import Call, Campaign
from tests.demo import demo_territory, demo_user

from .test_register import entries


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_prefecture_triggers_a_plan_and_a_commune_agent_calls_from_the_list(client):
    territory = demo_territory()
    arcambal = Commune.objects.get(insee_code="46007")
    first, second = entries(arcambal, 2)
    client.force_login(demo_user("prefecture"))
    plans = reverse("vigies:campaigns", args=[territory.slug])
    started = client.post(plans, {"kind": PlanKind.HEAT, "communes": [arcambal.pk]})
    campaign = Campaign.objects.filter(territory=territory).latest("started_at", "pk")
    assert started.status_code == 302 and list(campaign.communes.all()) == [arcambal]
    page = reverse("vigies:campaign", args=[territory.slug, campaign.pk])
    call = reverse("vigies:call", args=[territory.slug, campaign.pk, first.pk])
    assert client.post(call, {"outcome": CallOutcome.FINE, "attempt": 1}).status_code == 403  # she follows
    client.force_login(demo_user("agent.franceservices"))  # an agent of the Grand Cahors
    listed = text(client.get(page))
    assert "Personne 0 Registre-Test" in listed and "À appeler" in listed and "à appeler 2" in listed
    assert JournalEntry.objects.filter(reason__startswith="Liste d'appels du plan « canicule »").exists()
    client.post(call, {"outcome": CallOutcome.NOT_REACHED, "attempt": 1, "retour": page})
    again = text(client.post(call, {"outcome": CallOutcome.FINE, "attempt": 1, "retour": page}, follow=True))
    assert "Une collègue vient de noter cet appel" in again
    assert Call.objects.filter(campaign=campaign).count() == 1 and "à rappeler 1" in again
    client.force_login(demo_user("prefecture"))
    export = client.get(reverse("vigies:campaign_csv", args=[territory.slug, campaign.pk]))
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Nom;Prénom;Commune") and any("À rappeler" in row for row in rows)


def test_an_operators_agent_does_not_read_the_register(client):
    client.force_login(demo_user("agent.caf"))
    response = client.get(reverse("vigies:campaigns", args=[demo_territory().slug]))
    assert response.status_code == 403


def test_each_call_is_one_button_per_outcome_the_service_knows(client):
    territory = demo_territory()
    arcambal = Commune.objects.get(insee_code="46007")
    entries(arcambal, 1)
    campaign = Campaign.objects.create(territory=territory, kind=PlanKind.COLD)
    campaign.communes.set([arcambal])
    client.force_login(demo_user("agent.franceservices"))
    page = client.get(reverse("vigies:campaign", args=[territory.slug, campaign.pk])).content.decode()
    values = set(re.findall(r'name="outcome" value="([^"]+)"', page))
    assert values == {CallOutcome.FINE, CallOutcome.VISIT, CallOutcome.NOT_REACHED}
    assert 'name="attempt" value="1"' in page
