"""The co-construction journey of issue 4, end to end, in real browsers."""

import re

import pytest

from carteblanche.exploration.demo import SLUG

from .conftest import assert_accessible
from .steps import ask_derogation, grant_derogation, indicator_with_a_measure, open_vote_and_dot
from .test_journeys import login
from .test_workshop_journey import phone

pytestmark = pytest.mark.browser


def test_from_sarah_to_the_public_page(browser, live_server, reload_demo, demo_password):
    base = f"{live_server.url}/operations/{SLUG}"
    team_context = browser.new_context(locale="fr-FR")
    team = team_context.new_page()
    team.base_url = live_server.url
    login(team, "equipe@demo.carteblanche.fr", demo_password)

    # 1. Sarah, from a template, grounded in two irritants heard in the field.
    team.goto(f"{base}/personas/")
    team.get_by_label("Partir d'un modèle").select_option("parent_isole")
    team.get_by_role("button", name="Créer la persona").click()
    team.wait_for_url(re.compile(r".*/personas/\d+/modifier/$"))
    persona_id = team.url.rstrip("/").split("/")[-2]
    team.get_by_label("Prénom").fill("Sarah (2026)")
    team.get_by_label("Irritants rencontrés").select_option(
        label=["Garde d'enfants fermée après 18 h", "Pas de transport pour aller aux rendez-vous à Cahors"]
    )
    team.get_by_role("button", name="Enregistrer la persona").click()
    team.get_by_role("heading", level=1, name=re.compile("Sarah \\(2026\\)")).wait_for()
    assert team.get_by_role("link", name=re.compile("Garde d'enfants fermée après 18 h")).count() == 1
    assert_accessible(team)

    # 2. A workshop for her.
    team.goto(f"{base}/ateliers/nouveau/")
    team.locator("#id_title").fill("Atelier garde d'enfants")
    team.locator("#id_date").fill("2026-12-10")
    team.locator("#id_place").fill("Mairie de Catus")
    team.locator(f"input[name='personas'][value='{persona_id}']").check(force=True)
    team.get_by_role("button", name="Enregistrer l'atelier").click()
    team.get_by_role("button", name="Ouvrir aux idées").click()
    invitation = team.locator("a[href*='/atelier/']").first.get_attribute("href")

    # 3. Two participants, two phones: ideas, then dots.
    phones = []
    for name, idea in (("Aline", "Une crèche ouverte jusqu'à 20 h"), ("Bruno", "Des assistantes maternelles le soir")):
        context, page = phone(browser, invitation)
        phones.append((context, page))
        page.get_by_label("Votre prénom").fill(name)
        page.get_by_role("button", name="Rejoindre").click()
        page.get_by_label("Votre idée").fill(idea)
        page.get_by_role("button", name="Proposer l'idée").click()
        page.get_by_text("Idée ajoutée : merci !").wait_for()
    team.locator("#board").get_by_text("Des assistantes maternelles le soir").wait_for(timeout=10_000)
    open_vote_and_dot(team, phones, "Une crèche")
    team.locator("#board").get_by_text(re.compile(r"2\sgommettes — Une crèche ouverte")).wait_for(timeout=10_000)
    team.reload()
    team.locator("label", has_text=re.compile(r"^Une crèche ouverte jusqu'à 20 h \(2\sgommettes\)")).click()
    team.locator("#id_minutes").fill("L'idée de la crèche du soir l'emporte.")
    team.get_by_role("button", name="Clore l'atelier").click()
    team.get_by_text("Atelier clos").wait_for()
    for context, _ in phones:
        context.close()

    # 4. The winner becomes an experiment, with an indicator and a first result.
    team.goto(f"{base}/experimentations/")
    team.get_by_role("button", name=re.compile("En faire une expérimentation : Une crèche ouverte")).click()
    indicator_with_a_measure(team, date="2027-03-31", value="7")
    assert_accessible(team)

    # 5. A derogation, granted by the prefecture.
    ask_derogation(
        team, rule="Horaires fixés par le règlement de la crèche.", motive="Emplois du soir en zone rurale."
    )
    derogation_url = team.url
    team_context.close()
    prefect_context, _ = grant_derogation(
        browser,
        live_server,
        derogation_url,
        password=demo_password,
        reasons="Retour à l'emploi des parents seuls.",
        reference="2026-12-017",
    )
    prefect_context.close()

    # 6. The public page shows it all, to anyone.
    public_context = browser.new_context(locale="fr-FR")
    public = public_context.new_page()
    public.goto(f"{live_server.url}/public/operations/{SLUG}/")
    assert public.get_by_role("heading", name=re.compile(r"^Sarah \(2026\)")).count() == 1
    assert public.get_by_text(re.compile("Une crèche ouverte jusqu'à 20 h — résultats")).count() == 1
    assert public.get_by_text(re.compile("Familles accueillies après 18 h.*mesuré 7")).count() == 1
    assert public.get_by_text(re.compile("arrêté 2026-12-017")).count() == 1
    assert_accessible(public)
    public_context.close()
