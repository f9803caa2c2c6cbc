"""The agent's console and the person's space, through HTTP."""

import json
import re

from django.core import mail
from django.urls import reverse

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.rights.models import Consent, Person, RightsAssessment


def test_an_agent_opens_a_file_with_consent_at_the_counter(client, agent, territory, caf):
    client.force_login(agent)
    url = reverse("rights:register", args=[territory.slug])
    response = client.post(
        url,
        {
            "first_name": "Sarah",
            "last_name": "Martin",
            "birth_date": "2030-01-01",
            "categories": ["identite"],
            "organisations": [caf.pk],
            "purposes": ["accompagnement"],
            "days": 365,
        },
    )
    assert response.status_code == 200
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not Person.objects.exists()
    response = client.post(
        url,
        {
            "first_name": "Sarah",
            "last_name": "Martin",
            "birth_date": "1997-04-12",
            "email": "sarah@exemple.fr",
            "categories": ["identite", "foyer", "logement", "revenus", "prestations"],
            "organisations": [caf.pk],
            "purposes": ["accompagnement", "anticipation"],
            "days": 365,
            "confirmed": "on",
        },
    )
    person = Person.objects.get()
    assert response.url == reverse("rights:person", args=[territory.slug, person.public_id])
    consent = Consent.objects.get()
    assert consent.agent == agent and consent.channel == "guichet"


def test_the_person_page_shows_probable_rights_and_journals_the_read(client, agent, territory, sarah, consent):
    client.force_login(agent)
    response = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id]))
    page = response.content.decode()
    assert "Prime d&#x27;activité" in page or "Prime d'activité" in page
    assert "Droit probable" in page
    assert RightsAssessment.objects.filter(person=sarah).count() == 1
    assert JournalEntry.objects.filter(action=Action.PERSONAL_DATA_READ, target_id=str(sarah.pk)).exists()
    # Second visit: nothing changed, the stored assessment is shown
    client.get(reverse("rights:person", args=[territory.slug, sarah.public_id]))
    assert RightsAssessment.objects.filter(person=sarah).count() == 1


def test_without_consent_the_console_refuses_and_journals(client, other_agent, territory, sarah, consent):
    client.force_login(other_agent)
    response = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id]))
    assert response.status_code == 403
    assert JournalEntry.objects.filter(action=Action.PERSONAL_DATA_REFUSED, target_id=str(sarah.pk)).exists()
    search = client.get(reverse("rights:console", args=[territory.slug]), {"q": "Sarah"})
    assert "Aucun dossier accessible" in search.content.decode()


def test_simulating_a_job_loss(client, agent, territory, sarah, consent):
    client.force_login(agent)
    response = client.post(
        reverse("rights:simulate", args=[territory.slug, sarah.public_id]),
        {"kind": "perte_emploi", "start": "2026-12"},
    )
    page = response.content.decode()
    assert "Perte d&#x27;emploi" in page or "Perte d'emploi" in page
    assert "Allocation chômage estimée à 70 %" in page


def test_the_person_logs_in_with_a_one_time_link_downloads_and_revokes(client, sarah, consent, agent, territory):
    response = client.post(reverse("rights:space_login"), {"email": "sarah@exemple.fr"})
    assert "un lien de connexion vient d" in response.content.decode()
    link = re.search(r"https?://\S+/mon-espace/lien/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.url == reverse("rights:space")
    assert client.get("/" + path).url == reverse("rights:space_login")  # one time only
    page = client.get(reverse("rights:space")).content.decode()
    assert "Retirer ce consentement" in page and "Journal des accès" in page
    data = json.loads(client.get(reverse("rights:space_export", args=["json"])).content)
    assert len(data["revenus_mensuels"]) == 24 and data["consentements"][0]["organisations"] == ["CAF du Lot"]
    pdf = client.get(reverse("rights:space_export", args=["pdf"]))
    assert pdf.content.startswith(b"%PDF")
    client.post(reverse("rights:space_revoke", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    client.force_login(agent)
    assert client.get(reverse("rights:person", args=[territory.slug, sarah.public_id])).status_code == 403


def test_unknown_address_gets_the_same_answer_and_no_mail(client, sarah):
    response = client.post(reverse("rights:space_login"), {"email": "inconnue@exemple.fr"})
    assert "un lien de connexion vient d" in response.content.decode()
    assert not mail.outbox
