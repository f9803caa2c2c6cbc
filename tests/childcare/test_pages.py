"""The adviser's page of a need: particular weeks, the CMG and the rule applied, a passage between two communes with
its solidarity ride form filled in."""

import datetime
import html
import re

from django.urls import reverse
from django.utils import timezone

from carteblanche.childcare import services
from carteblanche.childcare.models import Need, Proposal, ProposalPart, Provider
from carteblanche.territories.models import Commune
from tests.demo import demo_territory, demo_user

MONDAY = datetime.date(2027, 1, 11)


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_need_page_shows_the_weeks_the_cmg_and_a_ride_between_two_communes(client):
    adviser = demo_user("agent.franceservices")
    territory = demo_territory()
    need = services.need_save(
        need=Need(
            territory=territory,
            parent_first_name="Sarah",
            parent_last_name="Page-Test",
            consent_at=timezone.now(),
            child_birth_date=datetime.date(2022, 9, 1),
            start_date=MONDAY,
            schedule={str(d): [[13, 36]] for d in range(5)},
            exceptions=[{"du": "2027-01-25", "planning": {"0": [[30, 46]]}, "tous_les": 2}],
            commune=Commune.objects.get(insee_code="46042"),
        ),
        by=adviser,
    )
    morning = Provider.objects.get(name="Mme Bouzou")  # Pradines
    school = Provider.objects.get(name="Micro-crèche Les Lutins")  # Cahors
    proposal = Proposal.objects.create(
        need=need,
        coverage=1,
        monthly_cost=500,
        monthly_cmg=180,
        cmg_rule="CMG calculé par OpenFisca-France.",
        transfers=[{"jour": 0, "creneau": 16, "de": morning.pk, "vers": school.pk, "minutes": 9}],
    )
    ProposalPart.objects.create(
        proposal=proposal,
        provider=morning,
        schedule={"0": [[13, 16]]},
        weeks=[{"du": "2027-01-25", "planning": {"0": [[30, 46]]}}],
    )
    ProposalPart.objects.create(proposal=proposal, provider=school, schedule={"0": [[16, 36]]})
    client.force_login(adviser)
    page = text(client.get(reverse("childcare:need", args=[territory.slug, need.pk])))
    assert (
        "Semaines particulières : semaine du 25 janvier 2027 puis une semaine sur 2 : lundi 15 h 00 – 23 h 00" in page
    )
    assert "dont 180 € de CMG estimé : reste environ 320 €" in page
    assert "CMG calculé par OpenFisca-France." in page
    assert "Lundi à 8 h 00, de Mme Bouzou (Pradines) à Micro-crèche Les Lutins (Cahors), 9 minutes de route" in page
    # The solidarity ride form (the same agent books it) opens filled in: from Pradines to the micro-crèche, on the
    # first Monday, at 8 h.
    form = client.get(reverse("mobility:ride_add", args=[territory.slug]) + f"?garde={proposal.pk}&relais=0")
    initial = form.context["form"].initial
    assert initial["origin_commune"] == morning.commune_id and initial["destination_commune"] == school.commune_id
    assert initial["date"] == MONDAY and initial["time"] == datetime.time(8, 0) and not initial["from_home"]
    assert "deux modes de garde" in initial["notes"]


def _need_form(**extra):
    data = {
        "parent_first_name": "Sarah",
        "parent_last_name": "Formulaire-Test",
        "phone": "06 12 34 56 78",
        "child_birth_date": "2024-09-01",
        "start_date": "2027-01-11",
        "commune": Commune.objects.get(insee_code="46042").pk,
        "drop_place": "domicile",
        "max_travel_minutes": "20",
        "j0_1_de": "06:30",
        "j0_1_a": "14:00",
        "j1_1_de": "12:00",
        "j1_1_a": "20:00",
        "consent": "on",
    }
    return data | extra


def test_an_adviser_records_a_need_with_its_particular_week(client):
    territory = demo_territory()
    client.force_login(demo_user("agent.franceservices"))
    url = reverse("childcare:need_add", args=[territory.slug])
    # Hours of a particular week without its date: a French error on the field, nothing recorded.
    refused = client.post(url, _need_form(s0_1_de="15:00", s0_1_a="23:00"))
    assert refused.status_code == 200
    assert "Indiquez à partir de quand vient la semaine particulière." in text(refused)
    late = client.post(url, _need_form(j2_1_de="14:00", j2_1_a="08:00"))
    assert "Mercredi : l'heure de fin doit suivre l'heure de début." in text(late)
    assert not Need.objects.filter(parent_last_name="Formulaire-Test").exists()
    created = client.post(
        url, _need_form(special_from="2027-01-25", special_every="2", s0_1_de="15:00", s0_1_a="23:00")
    )
    need = Need.objects.get(parent_last_name="Formulaire-Test")
    assert created.status_code == 302
    assert need.schedule == {"0": [[13, 28]], "1": [[24, 40]]}
    assert need.exceptions == [{"du": "2027-01-25", "planning": {"0": [[30, 46]]}, "tous_les": 2}]
    assert need.weeks == [(datetime.date(2027, 1, 25), frozenset((0, s) for s in range(30, 46)))]
