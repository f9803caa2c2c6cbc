import re

import pytest

from carteblanche.codesign.models import Workshop
from carteblanche.exploration.demo import SLUG

from .conftest import assert_accessible
from .steps import open_vote_and_dot
from .test_journeys import login

pytestmark = pytest.mark.browser


def phone(browser, url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR", is_mobile=True)
    page = context.new_page()
    page.goto(url)
    return context, page


def test_two_participants_add_ideas_and_vote_while_the_facilitator_watches(
    browser, live_server, reload_demo, demo_password
):
    workshop = Workshop.objects.get(operation__slug=SLUG, title__startswith="Atelier « Sarah »")
    facilitator_context = browser.new_context(locale="fr-FR")
    facilitator = facilitator_context.new_page()
    facilitator.base_url = live_server.url
    login(facilitator, "equipe@demo.carteblanche.fr", demo_password)
    facilitator.goto(f"{live_server.url}{workshop.get_absolute_url()}")
    facilitator.get_by_role("button", name="Ouvrir aux idées").click()
    facilitator.get_by_text("Atelier : ouvert aux idées.").wait_for()
    assert_accessible(facilitator)

    invitation = f"{live_server.url}/atelier/{workshop.invitation}/"
    contexts = []
    for name, kind, idea in (
        ("Aline", "Usager", "Une crèche ouverte jusqu'à 20 h"),
        ("Paul", "Agent", "Un agent qui appelle avant la fin des droits"),
    ):
        context, page = phone(browser, invitation)
        contexts.append((context, page))
        assert_accessible(page)
        page.get_by_label("Votre prénom").fill(name)
        page.get_by_label("Vous venez en tant que").select_option(label=kind)
        if kind == "Agent":
            page.get_by_label("Votre organisation (agents)").select_option(label="CAF du Lot")
        page.get_by_role("button", name="Rejoindre").click()
        page.get_by_label("Votre idée").fill(idea)
        page.get_by_role("button", name="Proposer l'idée").click()
        page.get_by_text("Idée ajoutée : merci !").wait_for()
        assert_accessible(page)

    # The facilitator's screen shows both ideas without reloading (htmx polling).
    facilitator.locator("#board").get_by_text("Un agent qui appelle avant la fin des droits").wait_for(timeout=10_000)
    # Both vote for the same idea; Aline tries to vote twice for it: her dot is taken back, not doubled.
    open_vote_and_dot(facilitator, contexts, "Une crèche")
    aline = contexts[0][1]
    aline.get_by_role("button", name=re.compile("Retirer ma gommette de « Une crèche")).wait_for()
    assert_accessible(aline)
    facilitator.locator("#board").get_by_text(re.compile(r"2\sgommettes — Une crèche ouverte")).wait_for(
        timeout=10_000
    )
    assert_accessible(facilitator)
    for context, _ in contexts:
        context.close()
    facilitator_context.close()
