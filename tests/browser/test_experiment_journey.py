import re

import pytest

from carteblanche.codesign.models import Idea, Workshop
from carteblanche.exploration.demo import SLUG

from .conftest import assert_accessible
from .steps import ask_derogation, grant_derogation, indicator_with_a_measure
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
    indicator_with_a_measure(page, date="2018-06-30", value="9")
    assert page.locator("svg.cb-chart polyline").count() == 1
    assert_accessible(page)

    ask_derogation(
        page,
        rule="Horaires d'ouverture fixés par le règlement de la crèche.",
        motive="Emplois d'aide à domicile le soir.",
    )
    assert_accessible(page)
    derogation_url = page.url
    context.close()

    prefect_context, prefect = grant_derogation(
        browser,
        live_server,
        derogation_url,
        password=demo_password,
        reasons="Intérêt général : retour à l'emploi des parents seuls.",
        reference="2018-03-042",
    )
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
