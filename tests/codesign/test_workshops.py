import re

import pytest
from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.codesign import services
from carteblanche.codesign.models import Idea, Participant, Persona, Vote, Workshop
from carteblanche.core import links
from carteblanche.core.errors import ServiceError
from carteblanche.core.models import PersonalLink
from carteblanche.exploration.demo import SLUG
from carteblanche.operations.models import Operation


@pytest.fixture
def operation():
    return Operation.objects.get(slug=SLUG)


@pytest.fixture
def workshop(operation):
    return Workshop.objects.get(operation=operation, title__startswith="Atelier « Sarah »")


def join(client, workshop, first_name="Aline", kind="usager", **extra):
    return client.post(
        reverse("codesign:join", args=[workshop.invitation]), {"first_name": first_name, "kind": kind, **extra}
    )


def test_sarah_is_grounded_in_irritants_and_figures(client, operation):
    sarah = Persona.objects.get(operation=operation, name="Sarah")
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    page = client.get(sarah.get_absolute_url()).content.decode()
    assert sarah.irritants.count() == 4 and "Garde d&#x27;enfants fermée après 18 h" in page
    sarah.resemblance_share = 10
    sarah.save()
    figures = sarah.figures()
    assert figures["resembling"] == round(figures["population"] / 10)
    response = client.post(
        reverse("codesign:persona_create", args=[operation.slug]), {"template": "jeune_sans_permis"}
    )
    kevin = Persona.objects.get(operation=operation, name="Kevin")
    assert response["Location"] == reverse("codesign:persona_edit", args=[operation.slug, kevin.pk])


def test_a_new_workshop_gets_the_default_agenda(operation):
    workshop = services.workshop_create(
        operation=operation, title="Atelier mobilité", date="2018-04-03", place="Mairie de Catus"
    )
    assert [s.kind for s in workshop.agenda.all()] == ["brise_glace", "probleme", "ideation", "vote", "suites"]
    assert workshop.agenda.first().title == "Deux vérités et un mensonge"
    assert "Zéro contrainte, écoute et bienveillance" in workshop.rules


def test_residents_join_without_an_account_and_add_ideas(client, workshop):
    response = join(client, workshop, email="aline@exemple.fr")
    assert "Cochez cette case pour que nous gardions votre adresse" in response.content.decode()
    response = join(client, workshop)
    assert response["Location"] == reverse("codesign:participate", args=[workshop.invitation])
    participant = Participant.objects.get(workshop=workshop, first_name="Aline")
    assert participant.email == "" and participant.user is None
    url = reverse("codesign:participate", args=[workshop.invitation])
    page = client.post(url, {"action": "idea", "text": "Une crèche ouverte jusqu'à 20 h"}, follow=True)
    assert "L&#x27;atelier ne reçoit pas d&#x27;idées en ce moment." in page.content.decode()
    workshop.status = "ouvert"
    workshop.save()
    client.post(url, {"action": "idea", "text": "Une crèche ouverte jusqu'à 20 h"})
    assert Idea.objects.get(workshop=workshop).author == participant


def test_dots_are_limited_and_never_count_twice(workshop):
    workshop.status = "vote"
    workshop.dots_per_participant = 2
    workshop.save()
    voter = Participant.objects.create(workshop=workshop, kind="agent", first_name="Paul")
    ideas = [Idea.objects.create(workshop=workshop, text=f"Idée {n}") for n in range(3)]
    assert services.vote_toggle(participant=voter, idea=ideas[0]) is True
    assert services.vote_toggle(participant=voter, idea=ideas[1]) is True
    with pytest.raises(ServiceError, match="déjà posé vos 2 gommettes"):
        services.vote_toggle(participant=voter, idea=ideas[2])
    assert services.vote_toggle(participant=voter, idea=ideas[0]) is False  # taken back
    assert services.vote_toggle(participant=voter, idea=ideas[2]) is True
    assert Vote.objects.filter(participant=voter).count() == 2
    other = Workshop.objects.create(
        operation=workshop.operation, title="Autre", date="2018-05-01", place="Cahors", status="vote"
    )
    with pytest.raises(ServiceError, match="autre atelier"):
        services.vote_toggle(participant=voter, idea=Idea.objects.create(workshop=other, text="Ailleurs"))
    results = {i.text: i.dots for i in services.results(workshop)}
    assert results == {"Idée 0": 0, "Idée 1": 1, "Idée 2": 1}


def test_a_juror_cannot_see_workshops_an_agent_can(client, operation, workshop):
    client.force_login(User.objects.get(email="jury@demo.carteblanche.fr"))
    assert client.get(reverse("codesign:workshops", args=[operation.slug])).status_code == 403
    assert client.get(workshop.get_absolute_url()).status_code == 403
    client.force_login(User.objects.get(email="agent.caf@demo.carteblanche.fr"))
    assert client.get(workshop.get_absolute_url()).status_code == 200
    assert client.post(workshop.get_absolute_url(), {"action": "status", "status": "ouvert"}).status_code == 403


def test_the_facilitator_runs_and_closes_the_workshop(client, operation, workshop):
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    client.post(workshop.get_absolute_url(), {"action": "status", "status": "ouvert"})
    idea = services.idea_add(
        workshop=Workshop.objects.get(pk=workshop.pk), participant=None, text="Un bus à la demande"
    )
    board = client.get(reverse("codesign:board", args=[operation.slug, workshop.pk])).content.decode()
    assert "Un bus à la demande" in board and 'hx-trigger="every 3s"' in board
    client.post(workshop.get_absolute_url(), {"action": "group", "idea": idea.pk, "group": "Mobilité"})
    client.post(workshop.get_absolute_url(), {"action": "close", "minutes": "Trois idées fortes.", "kept": [idea.pk]})
    workshop.refresh_from_db()
    idea.refresh_from_db()
    assert workshop.status == "clos" and idea.kept and idea.group == "Mobilité"
    sarah = workshop.personas.get()
    irritant = sarah.irritants.first()
    client.post(
        workshop.get_absolute_url(),
        {"action": "link", "idea": idea.pk, "persona": sarah.pk, "irritants": [irritant.pk]},
    )
    idea.refresh_from_db()
    assert idea.persona == sarah and list(idea.irritants.all()) == [irritant]
    assert "Un bus à la demande" in client.get(sarah.get_absolute_url()).content.decode()


def test_a_resident_never_sees_another_residents_contact(client, operation, workshop):
    from django.test import Client

    workshop.status = "ouvert"
    workshop.save()
    join(client, workshop, first_name="Aline", email="aline@exemple.fr", consent_recontact="on")
    other = Client()
    join(other, workshop, first_name="Bruno", email="bruno@exemple.fr", consent_recontact="on")
    other.post(
        reverse("codesign:participate", args=[workshop.invitation]),
        {"action": "idea", "text": "Une idée du second participant"},
    )
    page = client.get(reverse("codesign:participate", args=[workshop.invitation])).content.decode()
    assert "Une idée du second participant" in page
    index = page.find("bruno@")
    assert "bruno@exemple.fr" not in page, page[index - 400 : index + 60]
    assert "Bruno" not in page  # ideas are shown without their author
    # Nor can a resident reach the team's pages, where contacts live.
    irritant = operation.irritants.first()
    response = client.get(reverse("exploration:irritant", args=[operation.slug, irritant.pk]))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_a_phone_learns_that_the_ideas_round_opened_without_reloading(client, workshop):
    join(client, workshop)
    ideas_url = reverse("codesign:participate_ideas", args=[workshop.invitation])
    htmx = {"HX-Request": "true"}
    fragment = client.get(ideas_url, {"phase": "prepare"}, headers=htmx).content.decode()
    assert "hx-swap-oob" not in fragment and "?phase=prepare" in fragment
    workshop.status = "ouvert"
    workshop.save()
    fragment = client.get(ideas_url, {"phase": "prepare"}, headers=htmx).content.decode()
    # The idea form arrives out of band, the next poll carries the new round, and screen readers are told.
    assert 'id="idea-form" hx-swap-oob="true"' in fragment and "Proposer l'idée" in fragment
    assert "?phase=ouvert" in fragment and "Le tour des idées est ouvert" in fragment
    assert "hx-swap-oob" not in client.get(ideas_url, {"phase": "ouvert"}, headers=htmx).content.decode()


def test_a_participant_rejoins_from_another_browser_with_her_code_and_keeps_her_dots(client, workshop):
    from django.test import Client

    join(client, workshop)
    participant = Participant.objects.get(workshop=workshop, first_name="Aline")
    workshop.status = "vote"
    workshop.save()
    idea = Idea.objects.create(workshop=workshop, text="Une navette le samedi")
    services.vote_toggle(participant=participant, idea=idea)
    page = client.get(reverse("codesign:participate", args=[workshop.invitation])).content.decode()
    code = re.search(r'<strong class="cb-code">([A-Z0-9]{8})</strong>', page).group(1)
    # Only its hash is kept, as for every personal link (core.links); the first device keeps the code to show it.
    assert not PersonalLink.objects.filter(token_hash__contains=code).exists()
    assert links.usable_for(participant, services.REJOIN_PURPOSE).count() == 1
    assert code in client.get(reverse("codesign:participate", args=[workshop.invitation])).content.decode()
    other = Client()
    url = reverse("codesign:join", args=[workshop.invitation])
    wrong = other.post(url, {"action": "reprendre", "code": "AAAAAAAA"}).content.decode()
    assert "Ce code ne correspond à aucun participant de cet atelier" in wrong
    response = other.post(url, {"action": "reprendre", "code": f"{code[:4].lower()} {code[4:]}"})
    assert response["Location"] == reverse("codesign:participate", args=[workshop.invitation])
    page = other.get(response["Location"]).content.decode()
    assert "Bonjour Aline" in page and "Retirer ma gommette" in page
    assert Participant.objects.filter(workshop=workshop, first_name="Aline").count() == 1
    assert f"Il vous reste <strong>{workshop.dots_per_participant - 1}" in page


def test_closing_the_workshop_ends_the_rejoin_codes(client, workshop):
    join(client, workshop)
    participant = Participant.objects.get(workshop=workshop, first_name="Aline")
    assert links.usable_for(participant, services.REJOIN_PURPOSE).exists()
    services.workshop_close(workshop=workshop, minutes="Compte rendu", kept_ids=[])
    assert not links.usable_for(participant, services.REJOIN_PURPOSE).exists()


def test_the_closing_form_counts_dots_live_and_the_projector_has_its_own_page(client, operation, workshop):
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    workshop.status = "vote"
    workshop.save()
    idea = Idea.objects.create(workshop=workshop, text="Une crèche ouverte jusqu'à 20 h")
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert f'<span id="dots-{idea.pk}">0\u00a0gommette</span>' in page and "?cloture=1" in page
    voter = Participant.objects.create(workshop=workshop, kind="usager", first_name="Léon")
    services.vote_toggle(participant=voter, idea=idea)
    board = client.get(
        reverse("codesign:board", args=[operation.slug, workshop.pk]), {"cloture": "1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f'<span id="dots-{idea.pk}" hx-swap-oob="true">1\u00a0gommette</span>' in board
    projector = client.get(reverse("codesign:projector", args=[operation.slug, workshop.pk])).content.decode()
    assert 'id="plein-ecran"' in projector and "cb-board--projection" in projector and "<header" not in projector
    assert str(workshop.invitation) in projector
