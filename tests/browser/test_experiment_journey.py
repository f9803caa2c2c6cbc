import re

import pytest

from carteblanche.codesign.models import Idea, Workshop
from carteblanche.exploration.demo import SLUG

from .conftest import assert_accessible
from .test_journeys import login

pytestmark = pytest.mark.browser


def test_kept_idea_to_measured_experiment_with_a_granted_derogation(browser, live_server, reload_demo, demo_password):
    workshop = Workshop.objects.get(operation__slug=SLUG, title__startswith="Atelier « Sarah »")
    Idea.objects.create(workshop=workshop, text="Une crèche ouverte jusqu'à 20 h", kept=True)
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "equipe@demo.carteblanche.fr", demo_password)
    page.goto(f"{live_server.url}/operations/{SLUG}/experimentations/")
    page.get_by_role("button", name=re.compile("En faire une expérimentation")).click()
    page.get_by_text("Expérimentation créée").wait_for()
    page.locator("#id_hypothese-hypothesis_if").fill("la crèche de Catus ouvre jusqu'à 20 h")
    page.locator("#id_hypothese-hypothesis_then").fill("des parents acceptent des emplois en horaires décalés")
    page.get_by_role("button", name=re.compile("Enregistrer l'étape hypothese")).click()
    page.get_by_text("Étape « Hypothèse » enregistrée.").wait_for()
    page.locator("#id_indicator-name").fill("Familles accueillies après 18 h")
    page.locator("#id_indicator-baseline").fill("0")
    page.locator("#id_indicator-target").fill("12")
    page.get_by_role("button", name="Ajouter l'indicateur").click()
    page.locator("#id_measure-date").fill("2018-06-30")
    page.locator("#id_measure-value").fill("9")
    page.get_by_role("button", name=re.compile("Ajouter la mesure")).click()
    page.get_by_text("Mesure enregistrée.").wait_for()
    assert page.locator("svg.cb-chart polyline").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Demander une dérogation").click()
    page.get_by_label("Règle à laquelle déroger").fill("Horaires d'ouverture fixés par le règlement de la crèche.")
    page.get_by_label("Texte et article").fill("Règlement de fonctionnement, art. 4")
    page.get_by_label("Domaine").select_option("activites")
    page.get_by_label("Motif d'intérêt général et circonstances locales").fill("Emplois d'aide à domicile le soir.")
    page.get_by_label("Portée (qui, où)").fill("Crèche de Catus")
    page.get_by_label("Durée (mois)").fill("12")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("button", name="Soumettre au préfet").click()
    page.get_by_text("Demande soumise au préfet.").wait_for()
    assert_accessible(page)
    derogation_url = page.url
    context.close()

    prefect_context = browser.new_context(locale="fr-FR")
    prefect = prefect_context.new_page()
    prefect.base_url = live_server.url
    login(prefect, "prefecture@demo.carteblanche.fr", demo_password)
    prefect.goto(derogation_url)
    assert_accessible(prefect)
    prefect.locator("label", has_text="Accorder").click()
    prefect.get_by_label("Motifs").fill("Intérêt général : retour à l'emploi des parents seuls.")
    prefect.get_by_label("Référence de l'arrêté (si accordée)").fill("2018-03-042")
    prefect.get_by_role("button", name="Enregistrer la décision").click()
    prefect.get_by_text("Décision enregistrée.").wait_for()
    prefect.goto(f"{live_server.url}/operations/{SLUG}/derogations/")
    assert prefect.get_by_role("cell", name="2018-03-042").count() == 1
    assert_accessible(prefect)
    prefect_context.close()

    # Anyone, without an account, sees the thread on the public page.
    public_context = browser.new_context(locale="fr-FR")
    public = public_context.new_page()
    public.goto(f"{live_server.url}/public/operations/{SLUG}/")
    assert public.get_by_text("Une crèche ouverte jusqu'à 20 h — résultats").count() == 1
    assert public.get_by_text(re.compile("arrêté 2018-03-042")).count() == 1
    assert public.get_by_role("heading", name=re.compile("^Sarah")).count() == 1
    assert_accessible(public)
    public_context.close()
