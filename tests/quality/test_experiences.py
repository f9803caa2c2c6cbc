"""Experiences in the Services Publics + manner: told, moderated, published anonymously with the structure's reply,
the reply delay tracked; one click turns one into an irritant of an operation, the text kept as evidence."""

import datetime
import html

import pytest
from django.urls import reverse

from carteblanche.core.errors import ServiceError
from carteblanche.core.throttle import cache as throttle_cache
from carteblanche.exploration.enums import EvidenceKind
from carteblanche.operations.models import Operation
from carteblanche.quality import services
from carteblanche.quality.enums import ExperienceStatus, Feeling
from carteblanche.quality.models import Experience, Structure
from tests.demo import demo_territory, demo_user

STORY = "J'ai attendu une heure debout, puis on m'a dit de revenir avec un papier que personne ne m'avait demandé."


@pytest.fixture(autouse=True)
def _fresh_throttles():
    throttle_cache.clear()


@pytest.fixture
def counter():
    return Structure.objects.get(territory=demo_territory(), organisation__name="CAF du Lot")


def _text(response):
    return html.unescape(response.content.decode())


def test_a_resident_tells_without_personal_data_and_nothing_shows_before_moderation(client, counter):
    url = reverse("quality:tell", args=[counter.territory.slug, counter.public_code])
    client.get(url)
    refused = client.post(url, {"feeling": "negatif", "description": STORY + " Mon numéro : 06 12 34 56 78."})
    assert "un numéro de téléphone" in _text(refused)
    assert client.post(url, {"feeling": "negatif", "description": STORY, "email": "leo@exemple.fr"}).status_code == 200
    told = Experience.objects.get(description=STORY)
    assert told.status == ExperienceStatus.RECEIVED and told.contact_email == "leo@exemple.fr"
    public = client.get(counter.get_public_url())
    assert STORY not in _text(public)


def test_the_team_moderates_the_structure_replies_and_the_public_page_shows_both(client, counter, mailoutbox, clock):
    item = services.experience_tell(
        structure=counter, feeling=Feeling.NEGATIVE, description=STORY, email="leo@exemple.fr"
    )
    team = demo_user("equipe")
    client.force_login(team)
    url = reverse("quality:experience", args=[counter.territory.slug, item.pk])
    # Publishing a text that still names someone is refused.
    named = client.post(
        url, {"action": "moderer", "decision": "publier", "text": STORY + " Signé Madame Roux"}, follow=True
    )
    assert "retirez-le avant de publier" in _text(named)
    edited = STORY.replace("une heure", "longtemps")
    client.post(url, {"action": "moderer", "decision": "publier", "text": edited})
    item.refresh_from_db()
    assert item.status == ExperienceStatus.PUBLISHED and item.published_text == edited
    # The CAF's agent replies for her structure; the person is told, then her address is erased.
    clock.shift(datetime.timedelta(days=3))
    client.force_login(demo_user("agent.caf"))
    client.post(url, {"action": "repondre", "reply": "Merci : l'accueil du lundi est renforcé."})
    item.refresh_from_db()
    assert item.reply_days == 3 and item.contact_email == ""
    assert "a répondu" in mailoutbox[-1].subject
    client.logout()
    public = _text(client.get(counter.get_public_url()))
    assert edited in public and STORY not in public
    assert "Merci : l'accueil du lundi est renforcé." in public
    assert "3\u00a0jours après" in public
    # Another organisation's agent does not see it; only the team moderates.
    client.force_login(demo_user("agent.franceservices"))
    assert client.get(url).status_code == 404
    client.force_login(demo_user("agent.caf"))
    refused = client.post(url, {"action": "moderer", "decision": "refuser", "reason": "hors sujet"})
    assert refused.status_code == 403


def test_a_rejected_experience_needs_a_reason_and_stays_unpublished(counter):
    item = services.experience_tell(structure=counter, feeling=Feeling.NEUTRAL, description=STORY)
    with pytest.raises(ServiceError, match="Indiquez pourquoi"):
        services.experience_moderate(experience=item, publish=False, actor=None)
    services.experience_moderate(experience=item, publish=False, reason="Doublon", actor=None)
    assert Experience.objects.get(pk=item.pk).status == ExperienceStatus.REJECTED
    with pytest.raises(ServiceError):
        services.experience_reply(experience=item, reply="", actor=None)


def test_an_experience_becomes_an_irritant_in_one_click_with_its_evidence(client, counter):
    item = services.experience_tell(structure=counter, feeling=Feeling.NEGATIVE, description=STORY)
    services.experience_moderate(experience=item, publish=True, text=STORY, actor=None)
    operation = Operation.objects.filter(territory=counter.territory).first()
    client.force_login(demo_user("equipe"))
    url = reverse("quality:experience", args=[counter.territory.slug, item.pk])
    client.post(url, {"action": "irritant", "operation": operation.pk})
    item.refresh_from_db()
    irritant = item.irritant
    assert irritant.operation == operation
    evidence = irritant.evidence.get()
    assert evidence.kind == EvidenceKind.RESIDENT_MESSAGE and evidence.text == STORY
    assert f"Expérience n° {item.pk}" in evidence.source_label
    again = client.post(url, {"action": "irritant", "operation": operation.pk}, follow=True)
    assert "déjà donné un irritant" in _text(again)
