"""Referrals: sent only to organisations the consent names; the partner accepts or refuses with a reason, then
says it is done; the referring agent is told."""

from django.core import mail
from django.urls import reverse

from carteblanche.audit.models import JournalEntry
from carteblanche.rights import services
from carteblanche.rights.enums import ConsentChannel, ReferralStatus
from carteblanche.rights.models import Referral
from tests.factories import MembershipFactory, OrganisationFactory


def _partner(territory, name="France Travail Cahors"):
    organisation = OrganisationFactory(territory=territory, name=name)
    agent = MembershipFactory(territory=territory, role="agent", organisation=organisation).user
    return organisation, agent


def test_a_referral_the_partner_accepts_then_finishes(client, agent, territory, sarah, caf):
    france_travail, partner_agent = _partner(territory)
    stranger, _ = _partner(territory, "Association sans consentement")
    services.give_consent(
        sarah, organisations=[caf, france_travail], channel=ConsentChannel.COUNTER, agent=agent, agent_organisation=caf
    )
    agent.email = "agent.caf@exemple.fr"
    agent.save()
    client.force_login(agent)
    page = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id])).content.decode()
    assert "France Travail Cahors" in page and "Association sans consentement" not in page
    url = reverse("rights:refer", args=[territory.slug, sarah.public_id])
    response = client.post(url, {"to_organisation": stranger.pk, "reason": "Atelier"}, follow=True)
    assert "Orientation non envoyée" in response.content.decode()
    assert not Referral.objects.exists()
    client.post(url, {"to_organisation": france_travail.pk, "reason": "Accompagnement vers l'emploi"})
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.SENT

    client.force_login(partner_agent)
    console = client.get(reverse("rights:console", args=[territory.slug])).content.decode()
    assert "Orientations reçues (1 à traiter)" in console
    inbox = client.get(reverse("rights:referrals", args=[territory.slug])).content.decode()
    assert "Sarah Martin" in inbox and "Accompagnement vers l&#x27;emploi" in inbox
    answer = reverse("rights:referral_answer", args=[territory.slug, referral.pk])
    response = client.post(answer, {"decision": "refuser", "text": ""}, follow=True)
    assert "Indiquez le motif du refus" in response.content.decode()
    client.post(answer, {"decision": "accepter"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.answered_by == partner_agent
    assert mail.outbox[-1].to == ["agent.caf@exemple.fr"]
    assert "acceptée" in mail.outbox[-1].subject and "Sarah" not in mail.outbox[-1].body
    response = client.post(answer, {"decision": "refuser", "text": "trop tard"}, follow=True)
    assert "déjà reçu une réponse" in response.content.decode()
    client.post(answer, {"decision": "terminer", "text": "Inscrite à l'atelier CV du 12"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE and referral.outcome == "Inscrite à l'atelier CV du 12"
    assert "terminée" in mail.outbox[-1].subject

    client.force_login(agent)
    page = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id])).content.decode()
    assert "terminée" in page and "Inscrite à l&#x27;atelier CV du 12" in page
    reasons = set(JournalEntry.objects.about(sarah).values_list("reason", flat=True))
    assert {
        "Orientation acceptée par France Travail Cahors",
        "Orientation terminée par France Travail Cahors",
    } <= reasons


def test_a_refusal_carries_its_reason_and_only_the_partner_answers(client, agent, territory, sarah, caf):
    from carteblanche.rights import referrals
    from carteblanche.rights.access import Reader

    france_travail, partner_agent = _partner(territory)
    services.give_consent(
        sarah, organisations=[caf, france_travail], channel=ConsentChannel.COUNTER, agent=agent, agent_organisation=caf
    )
    referral = referrals.refer(
        reader=Reader.agent(agent, territory), person=sarah, to_organisation=france_travail, reason="Emploi"
    )
    client.force_login(agent)  # the sender cannot answer for the partner
    response = client.post(
        reverse("rights:referral_answer", args=[territory.slug, referral.pk]), {"decision": "accepter"}
    )
    assert response.status_code == 404
    client.force_login(partner_agent)
    client.post(
        reverse("rights:referral_answer", args=[territory.slug, referral.pk]),
        {"decision": "refuser", "text": "Hors de notre secteur"},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFUSED and referral.refusal_reason == "Hors de notre secteur"


def test_once_the_consent_is_withdrawn_the_inbox_hides_the_person(client, agent, territory, sarah, caf):
    from carteblanche.rights import referrals
    from carteblanche.rights.access import Reader, revoke

    france_travail, partner_agent = _partner(territory)
    consent = services.give_consent(
        sarah, organisations=[caf, france_travail], channel=ConsentChannel.COUNTER, agent=agent, agent_organisation=caf
    )
    referral = referrals.refer(
        reader=Reader.agent(agent, territory), person=sarah, to_organisation=france_travail, reason="Emploi"
    )
    revoke(consent, by_label="la personne")
    client.force_login(partner_agent)
    inbox = client.get(reverse("rights:referrals", args=[territory.slug])).content.decode()
    assert "Sarah" not in inbox and "consentement n'autorise plus" in inbox
    response = client.post(
        reverse("rights:referral_answer", args=[territory.slug, referral.pk]), {"decision": "accepter"}
    )
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
