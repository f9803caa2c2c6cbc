import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def login(page, email, password):
    page.goto(page.base_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_url(lambda url: "/connexion/" not in url)  # home, or a role's landing page


def test_home_and_login_pages_are_accessible(page):
    page.goto(page.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte blanche")
    expect(page.get_by_text("equipe@demo.carteblanche.fr").first).to_be_visible()
    assert_accessible(page)
    page.goto(page.base_url + "/connexion/")
    assert_accessible(page)
    assert page.csp_violations == []


def test_wrong_password_shows_a_french_error(page, demo_password):
    page.goto(page.base_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill("equipe@demo.carteblanche.fr")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").last.click()
    expect(page.get_by_text("Adresse e-mail ou mot de passe incorrect")).to_be_visible()
    assert_accessible(page)


def test_log_in_open_the_territory_see_the_map_and_sort_the_table(page, demo_password):
    login(page, "equipe@demo.carteblanche.fr", demo_password)
    page.get_by_role("link", name="Bassin de vie de Cahors").first.click()
    page.wait_for_url(re.compile(r".*/territoires/bassin-de-vie-de-cahors/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bassin de vie de Cahors")

    # The map is drawn from the GeoJSON, with no tile server: 59 commune polygons.
    page.wait_for_selector("#carte[data-cb-drawn='59']", timeout=10_000)
    assert page.locator("#carte path.leaflet-interactive").count() >= 59
    assert page.locator("#carte img.leaflet-tile").count() == 0
    assert_accessible(page)

    # Choose Wednesday, then sort by population, largest first.
    page.get_by_label("Jour de la semaine").select_option("2")
    page.get_by_role("button", name="Afficher ce jour").click()
    page.wait_for_url(re.compile(r".*jour=2.*"))
    assert "le mercredi" in page.get_by_role("heading", level=2, name=re.compile("Accès au site")).inner_text()
    page.get_by_role("link", name="Population").click()
    page.wait_for_url(re.compile(r".*tri=population&ordre=asc.*"))
    page.get_by_role("link", name=re.compile("^Population")).click()
    page.wait_for_url(re.compile(r".*tri=population&ordre=desc.*"))
    first_row = page.locator("#table-acces tbody tr").first
    assert first_row.locator("td").first.inner_text() == "Cahors"
    assert page.locator("th[aria-sort='descending']").inner_text().startswith("Population")
    page.wait_for_selector("#carte[data-cb-drawn='59']", timeout=10_000)
    assert page.csp_violations == []


def test_account_page_is_accessible(page, demo_password):
    login(page, "agent.caf@demo.carteblanche.fr", demo_password)
    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_role("cell", name="CAF du Lot")).to_be_visible()
    assert_accessible(page)


def test_weekly_job_shows_a_progress_bar_until_done(page, demo_password):
    login(page, "equipe@demo.carteblanche.fr", demo_password)
    page.goto(page.base_url + "/territoires/bassin-de-vie-de-cahors/")
    page.get_by_role("button", name="Calculer l'accessibilité de toute la semaine").click()
    page.wait_for_url(re.compile(r".*/taches/.*"))
    assert page.locator("progress").count() == 1
    page.get_by_text("Habitants à 20 km ou plus").wait_for(timeout=15_000)
    assert page.locator("progress").get_attribute("value") == "100"
    assert_accessible(page)
