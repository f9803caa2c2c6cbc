"""Steps that several journeys take the same way."""

import re


def open_vote_and_dot(facilitator, phones, idea_start: str) -> None:
    """The facilitator opens the vote; every phone reloads and puts a dot on the idea that starts so."""
    facilitator.get_by_role("button", name="Ouvrir le vote").click()
    for _, page in phones:
        page.reload()
        page.get_by_role("button", name=re.compile(f"Poser une gommette sur « {re.escape(idea_start)}")).click()
        page.get_by_text("Gommette posée.").wait_for()


def ask_derogation(page, *, rule: str, motive: str) -> None:
    """From an experiment's page: a derogation to the crèche's rules in Catus, drafted then sent to the prefect."""
    page.get_by_role("link", name="Demander une dérogation").click()
    page.get_by_label("Règle à laquelle déroger").fill(rule)
    page.get_by_label("Texte et article").fill("Règlement de fonctionnement, art. 4")
    page.get_by_label("Domaine").select_option("activites")
    page.get_by_label("Motif d'intérêt général et circonstances locales").fill(motive)
    page.get_by_label("Portée (qui, où)").fill("Crèche de Catus")
    page.get_by_label("Durée (mois)").fill("12")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("button", name="Soumettre au préfet").click()
    page.get_by_text("Demande soumise au préfet.").wait_for()


def indicator_with_a_measure(page, *, date: str, value: str) -> None:
    """On an experiment's page: the indicator « Familles accueillies après 18 h » (0 → 12) and one measure."""
    page.locator("#id_indicator-name").fill("Familles accueillies après 18 h")
    page.locator("#id_indicator-baseline").fill("0")
    page.locator("#id_indicator-target").fill("12")
    page.get_by_role("button", name="Ajouter l'indicateur").click()
    page.locator("#id_measure-date").fill(date)
    page.locator("#id_measure-value").fill(value)
    page.get_by_role("button", name=re.compile("Ajouter la mesure")).click()
    page.get_by_text("Mesure enregistrée.").wait_for()


def grant_derogation(browser, live_server, url: str, *, password: str, reasons: str, reference: str):
    """The prefecture signs in, opens the derogation at ``url`` and grants it; returns its context and page."""
    from .conftest import assert_accessible
    from .test_journeys import login

    context = browser.new_context(locale="fr-FR")
    prefect = context.new_page()
    prefect.base_url = live_server.url
    login(prefect, "prefecture@demo.carteblanche.fr", password)
    prefect.goto(url)
    assert_accessible(prefect)
    prefect.locator("label", has_text="Accorder").click()
    prefect.get_by_label("Motifs").fill(reasons)
    prefect.get_by_label("Référence de l'arrêté (si accordée)").fill(reference)
    prefect.get_by_role("button", name="Enregistrer la décision").click()
    prefect.get_by_text("Décision enregistrée.").wait_for()
    return context, prefect
