"""A need recorded with the parent's consent, proposals computed from the territory's childminders (legal for each),
sent once the family agreed, answered by each provider from her link: her name and phone reach a provider only
once that provider accepted; a refusal says why and reopens the need."""

import datetime
import html
import re

import pytest
from django.core import mail
from django.utils import timezone

from carteblanche.childcare import services
from carteblanche.childcare.enums import NeedStatus, PartStatus, ProposalStatus, ProviderKind
from carteblanche.childcare.models import KeptChild, Need, Provider
from carteblanche.territories.models import Commune
from tests.demo import demo_territory, demo_user

MONDAY = datetime.date(2027, 1, 11)


def every_weekday(start, end):
    return {str(d): [[start, end]] for d in range(5)}


@pytest.fixture
def providers():
    territory = demo_territory()
    cahors = Commune.objects.get(insee_code="46042")
    daytime = Provider.objects.create(
        territory=territory,
        kind=ProviderKind.CHILDMINDER,
        name="Mme Delpech",
        commune=cahors,
        email="delpech@exemple.fr",
        capacity=4,
        hourly_cost=4.5,
        opening=every_weekday(15, 37),
    )
    KeptChild.objects.create(
        provider=daytime,
        birth_date=datetime.date(2023, 2, 1),
        schedule=every_weekday(16, 34),
        first_date=datetime.date(2026, 9, 1),
    )
    early_late = Provider.objects.create(
        territory=territory,
        kind=ProviderKind.CHILDMINDER,
        name="Mme Lacroix",
        commune=cahors,
        phone="06 44 55 66 77",
        capacity=2,
        hourly_cost=5,
        opening={**every_weekday(12, 18), **{}},
    )
    early_late.opening = {str(d): [[12, 18], [34, 42]] for d in range(5)}
    early_late.save()
    return daytime, early_late


def sarahs_need():
    return Need(
        territory=demo_territory(),
        parent_first_name="Sarah",
        parent_last_name="Lacombe-Test",
        phone="06 12 34 56 78",
        email="sarah@exemple.fr",
        consent_at=timezone.now(),
        child_birth_date=datetime.date(2024, 9, 1),
        start_date=MONDAY,
        schedule={"0": [[13, 28]], "1": [[24, 40]]},
        commune=Commune.objects.get(insee_code="46042"),
        single_parent=True,
    )


def test_without_consent_or_without_hours_nothing_is_recorded():
    need = sarahs_need()
    need.consent_at = None
    with pytest.raises(services.ChildcareError, match="accord du parent"):
        services.need_save(need=need, by=demo_user("agent.franceservices"))
    need = sarahs_need()
    need.schedule = {}
    with pytest.raises(services.ChildcareError, match="demi-heure"):
        services.need_save(need=need, by=demo_user("agent.franceservices"))
    assert not Need.objects.filter(parent_last_name="Lacombe-Test").exists()


def test_sarahs_week_gets_a_legal_combination_sent_with_her_agreement_then_accepted(client, providers, mailoutbox):
    adviser = demo_user("agent.franceservices")
    need = services.need_save(need=sarahs_need(), by=adviser)
    proposals = services.proposals_compute(need=need, by=adviser)
    best = proposals[0]
    assert best.coverage == 1.0 and {p.provider.name for p in best.parts.all()} == {"Mme Delpech", "Mme Lacroix"}
    assert best.handovers == 2 and best.monthly_cost > 0
    mailoutbox.clear()
    parts = services.proposal_send(proposal=best, by=adviser)
    need.refresh_from_db()
    assert need.status == NeedStatus.PROPOSED
    sent = next(m for m in mail.outbox if "delpech@exemple.fr" in m.to)
    assert "Lacombe-Test" not in sent.body and "Sarah" not in sent.body  # nothing of the family before she accepts
    link = re.search(r"/garde/reponse/[^/\s]+/", sent.body).group(0)
    response = client.get(link)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200, re.findall(r"<h1[^>]*>([^<]*)", page)
    assert "Un enfant de 28\u00a0mois" in page and "Lacombe-Test" not in page
    refused = client.post(link, {"reponse": "non", "reason": ""})
    assert "pourquoi vous refusez" in html.unescape(refused.content.decode())
    accepted = html.unescape(client.post(link, {"reponse": "oui"}).content.decode())
    assert "Sarah Lacombe-Test" in accepted  # her contact, now that she accepted
    other = next(p for p in parts if p.provider.name == "Mme Lacroix")
    services.part_answer(part=other, accept=True)
    best.refresh_from_db()
    need.refresh_from_db()
    assert best.status == ProposalStatus.CONFIRMED and need.status == NeedStatus.SOLVED
    assert any("sarah@exemple.fr" in m.to and "acceptée" in m.body for m in mail.outbox)


def test_a_refusal_ends_the_proposal_and_reopens_the_need(providers):
    adviser = demo_user("agent.franceservices")
    need = services.need_save(need=sarahs_need(), by=adviser)
    best = services.proposals_compute(need=need, by=adviser)[0]
    parts = services.proposal_send(proposal=best, by=adviser)
    services.part_answer(part=parts[0], accept=False, reason="Plus de place le lundi")
    best.refresh_from_db()
    need.refresh_from_db()
    assert best.status == ProposalStatus.DECLINED and need.status == NeedStatus.OPEN
    assert parts[0].__class__.objects.get(pk=parts[0].pk).status == PartStatus.DECLINED
    with pytest.raises(services.ChildcareError):
        services.part_answer(part=parts[1], accept=True)
