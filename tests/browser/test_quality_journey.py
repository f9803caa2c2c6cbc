"""Satisfaction where the service happens: a resident scans the poster's QR code on a 320-pixel phone, answers and
is thanked; the counter's tablet resets after each answer; the team moderates an experience, the structure replies
and the public page shows both. axe-core finds no violation, and no page scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from carteblanche.quality import services
from carteblanche.quality.models import Answer, Experience, Structure

from .conftest import assert_accessible
from .crawl import overflow
from .test_journeys import login

pytestmark = pytest.mark.browser
SLUG = "bassin-de-vie-de-cahors"
STORY = "Le bus est passé à l'heure, l'agent m'a aidé à déclarer mes revenus et à imprimer mon attestation."


def _phone(page):
    page.set_viewport_size({"width": 320, "height": 740})


def test_a_resident_answers_from_the_poster_on_a_phone(page):
    structure = Structure.objects.get(name="France services de Catus")
    before = Answer.objects.filter(structure=structure).count()
    _phone(page)
    page.goto(f"{page.base_url}/avis/{structure.public_code}/")  # what the QR code opens
    page.get_by_role("heading", level=1, name="Votre avis sur France services de Catus").wait_for()
    assert overflow(page) is None
    assert_accessible(page)
    # Sending with nothing chosen says what is missing, in French, next to the question.
    page.get_by_role("button", name="Envoyer mon avis").click()
    page.get_by_text("Choisissez une réponse").first.wait_for()
    assert_accessible(page)
    page.get_by_text("Très bien", exact=True).click()
    page.get_by_text("5 — Très claires").click()
    page.get_by_text("Le téléphone").click()
    page.locator("fieldset", has_text="joindre l'administration").get_by_text("Non", exact=True).click()
    comment = page.get_by_label("Voulez-vous ajouter quelque chose ?")
    comment.fill("Merci, appelez-moi au 06 12 34 56 78")
    page.get_by_text("un numéro de téléphone").first.wait_for()  # said as it is typed
    send = page.get_by_role("button", name="Envoyer mon avis")
    expect(send).to_be_disabled()  # and it cannot be sent until it is taken out
    assert_accessible(page)
    comment.fill("Merci pour votre patience.")
    expect(send).to_be_enabled()
    send.click()
    page.get_by_role("heading", level=1, name="Merci pour votre avis !").wait_for()
    assert overflow(page) is None
    assert_accessible(page)
    answer = Answer.objects.filter(structure=structure).order_by("-pk").first()
    assert Answer.objects.filter(structure=structure).count() == before + 1
    assert (answer.satisfaction, answer.comprehension, answer.help_reached) == ("good", 5, False)
    assert answer.comment == "Merci pour votre patience."
    assert page.csp_violations == []


def test_the_counter_tablet_resets_after_each_answer(page):
    structure = Structure.objects.get(name="Accueil de la CAF du Lot à Cahors")
    token = services.kiosk_open(structure=structure)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{page.base_url}/avis/tablette/{token}/")
    page.get_by_role("heading", level=1, name=re.compile("Votre avis sur")).wait_for()
    assert page.locator("header").count() == 0  # full screen: no menu to wander off
    assert overflow(page) is None
    assert_accessible(page)
    page.get_by_text("Moyen", exact=True).click()
    page.get_by_role("button", name="Envoyer mon avis").click()
    page.get_by_role("heading", level=1, name="Merci pour votre avis !").wait_for()
    assert_accessible(page)
    # The screen comes back by itself, blank, for the next person.
    page.get_by_role("heading", level=1, name=re.compile("Votre avis sur")).wait_for(timeout=15_000)
    assert page.locator("input[name=satisfaction]:checked").count() == 0
    assert Answer.objects.filter(structure=structure, channel="borne").count() >= 1


def test_the_team_moderates_the_structure_replies_and_the_public_page_shows_it(page, demo_password):
    structure = Structure.objects.get(name="Bus France services du Grand Cahors")
    item = services.experience_tell(structure=structure, feeling="positif", description=STORY)
    login(page, "equipe@demo.carteblanche.fr", demo_password)
    page.goto(f"{page.base_url}/qualite/{SLUG}/suivi/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Expériences d'usagers")).click()
    page.get_by_role("link", name=f"Expérience n° {item.pk}").click()
    page.get_by_role("heading", level=1, name=re.compile(f"Expérience n° {item.pk}")).wait_for()
    assert_accessible(page)
    page.get_by_text("Publier ce texte").click()
    page.get_by_label("Texte publié").fill(STORY.replace("l'agent", "un agent"))
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée").wait_for()
    page.get_by_label("Réponse publique de la structure").fill("Merci ! Le bus repasse chaque quinzaine.")
    page.get_by_role("button", name="Publier la réponse").click()
    page.get_by_text("Réponse publiée").wait_for()
    assert_accessible(page)
    item.refresh_from_db()
    assert item.replied_at is not None

    page.context.clear_cookies()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{page.base_url}/qualite/{SLUG}/structures/{structure.public_code}/")
        page.get_by_text("Merci ! Le bus repasse chaque quinzaine.").wait_for()
        assert page.get_by_text(STORY.replace("l'agent", "un agent")).count() == 1
        assert overflow(page) is None
        assert_accessible(page)
    assert Experience.objects.get(pk=item.pk).status == "publiee"
