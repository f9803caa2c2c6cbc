"""The co-construction journey of issue 4, end to end, in real browsers."""

import re

import pytest

from carteblanche.exploration.demo import SLUG

from .conftest import assert_accessible
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
    team.get_by_role("button", name="Ouvrir le vote").click()
    for _, page in phones:
        page.reload()
        page.get_by_role("button", name=re.compile("Poser une gommette sur « Une crèche")).click()
        page.get_by_text("Gommette posée.").wait_for()
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
    team.locator("#id_indicator-name").fill("Familles accueillies après 18 h")
    team.locator("#id_indicator-baseline").fill("0")
    team.locator("#id_indicator-target").fill("12")
    team.get_by_role("button", name="Ajouter l'indicateur").click()
    team.locator("#id_measure-date").fill("2027-03-31")
    team.locator("#id_measure-value").fill("7")
    team.get_by_role("button", name=re.compile("Ajouter la mesure")).click()
    team.get_by_text("Mesure enregistrée.").wait_for()
    assert_accessible(team)

    # 5. A derogation, granted by the prefecture.
    team.get_by_role("link", name="Demander une dérogation").click()
    team.get_by_label("Règle à laquelle déroger").fill("Horaires fixés par le règlement de la crèche.")
    team.get_by_label("Texte et article").fill("Règlement de fonctionnement, art. 4")
    team.get_by_label("Domaine").select_option("activites")
    team.get_by_label("Motif d'intérêt général et circonstances locales").fill("Emplois du soir en zone rurale.")
    team.get_by_label("Portée (qui, où)").fill("Crèche de Catus")
    team.get_by_label("Durée (mois)").fill("12")
    team.get_by_role("button", name="Enregistrer le brouillon").click()
    team.get_by_role("button", name="Soumettre au préfet").click()
    derogation_url = team.url
    team_context.close()
    prefect_context = browser.new_context(locale="fr-FR")
    prefect = prefect_context.new_page()
    prefect.base_url = live_server.url
    login(prefect, "prefecture@demo.carteblanche.fr", demo_password)
    prefect.goto(derogation_url)
    prefect.locator("label", has_text="Accorder").click()
    prefect.get_by_label("Motifs").fill("Retour à l'emploi des parents seuls.")
    prefect.get_by_label("Référence de l'arrêté (si accordée)").fill("2026-12-017")
    prefect.get_by_role("button", name="Enregistrer la décision").click()
    prefect.get_by_text("Décision enregistrée.").wait_for()
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
