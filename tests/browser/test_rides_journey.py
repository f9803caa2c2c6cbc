import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible
from .crawl import overflow
from .test_journeys import login

pytestmark = pytest.mark.browser
SLUG = "bassin-de-vie-de-cahors"


def test_an_operator_books_a_ride_by_phone_a_driver_accepts_and_it_is_confirmed(page, demo_password):
    login(page, "agent.franceservices@demo.carteblanche.fr", demo_password)
    page.goto(f"{page.base_url}/territoires/{SLUG}/")
    page.locator("#content").get_by_role("link", name="Transport solidaire").click()
    page.get_by_role("heading", level=1, name=re.compile("Transport solidaire")).wait_for()
    assert_accessible(page)

    # A new passenger calls: the operator registers her, with her consent read over the phone.
    page.get_by_role("link", name="Inscrire un passager").first.click()
    assert_accessible(page)
    page.locator("#id_first_name").fill("Odette")
    page.locator("#id_last_name").fill("Rigal")
    page.locator("#id_phone").fill("05 65 00 01 99")
    page.locator("#id_commune").select_option(label="Vaylats (46329)")
    page.locator("#id_consent_channel").select_option(label="Par téléphone")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Sans l'accord de la personne").first.wait_for()
    assert_accessible(page)
    page.locator("#id_consent").check(force=True)
    page.get_by_role("button", name="Enregistrer").click()

    # She books the ride: Tuesday 10:00 at the CAF in Cahors, the driver waits.
    page.get_by_role("heading", level=1, name="Réserver un trajet").wait_for()
    assert_accessible(page)
    page.locator("#id_destination").fill("Accueil CAF du Lot, 304 rue Victor Hugo")
    page.locator("#id_destination_commune").select_option(label="Cahors (46042)")
    page.locator("#id_purpose").select_option(value="demarche")
    page.locator("#id_time").fill("10:00")
    today = timezone.localdate()  # Paris: the frozen instant may be another day in UTC
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    page.locator("#id_date").fill(tuesday.isoformat())
    page.get_by_role("button", name="Enregistrer et chercher un chauffeur").click()
    page.get_by_text("les chauffeurs les mieux placés ont reçu la proposition").wait_for()
    expect(page.get_by_text("Proposée aux chauffeurs").first).to_be_visible()
    assert_accessible(page)

    # The first driver asked opens the link from his e-mail and accepts.
    message = next(m for m in mail.outbox if "un trajet vous est proposé" in m.subject)
    link = re.search(r"https?://\S+/trajets/reponse/\S+/", message.body).group(0)
    link = page.base_url + link[link.index("/trajets/") :]
    ride_url = page.url
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_role("button", name="J'accepte ce trajet").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="J'accepte ce trajet").click()
    page.get_by_text("Le trajet est à vous").wait_for()
    assert page.get_by_text("05 65 00 01 99").count() + page.get_by_text("0565000199").count() >= 1
    assert_accessible(page)

    # The operator sees the ride confirmed, with its log.
    login(page, "agent.franceservices@demo.carteblanche.fr", demo_password)
    page.goto(ride_url)
    expect(page.get_by_text("Confirmée").first).to_be_visible()
    assert page.get_by_text("Acceptée par le chauffeur").count() >= 1
    assert_accessible(page)

    # The ride is cancelled: the driver's link no longer shows the passenger, on a computer or a phone.
    page.get_by_label("Motif de l'annulation").fill("Rendez-vous reporté par la CAF")
    page.get_by_role("button", name=re.compile("Annuler le trajet")).click()
    page.get_by_text("Annulée").first.wait_for()
    page.context.clear_cookies()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(link)
        page.get_by_role("heading", level=1, name="Ce lien n'est plus valable").wait_for()
        assert page.get_by_text("Rigal").count() == 0 and page.get_by_text("05 65 00 01 99").count() == 0
        assert overflow(page) is None
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "agent.franceservices@demo.carteblanche.fr", demo_password)
    for path in ("chauffeurs/", "passagers/", "chauffeurs/inscrire/", "bilan/2026/", "arrets-sur-le-pouce/ajouter/"):
        page.goto(f"{page.base_url}/trajets/{SLUG}/{path}")
        assert_accessible(page)
    assert page.csp_violations == []
