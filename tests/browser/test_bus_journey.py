import re
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_journeys import login

pytestmark = pytest.mark.browser
SLUG = "bassin-de-vie-de-cahors"


def test_the_team_edits_stops_plans_publishes_and_a_resident_downloads_the_calendar(page, demo_password):
    login(page, "equipe@demo.carteblanche.fr", demo_password)
    page.goto(f"{page.base_url}/territoires/{SLUG}/")
    page.get_by_role("link", name="Bus France services").first.click()
    page.get_by_role("heading", level=1, name=re.compile("Bus France services")).wait_for()
    assert_accessible(page)

    # The team adds a stop: a mistake first (no half-day), then the right one.
    page.get_by_role("link", name="Ajouter un arrêt possible").click()
    assert_accessible(page)
    page.get_by_label("Commune", exact=True).select_option(label="Gigouzac (46119)")
    page.locator("#id_place").fill("Parking du foirail")
    page.get_by_role("button", name="Enregistrer l'arrêt").click()
    page.get_by_text("Cochez au moins une demi-journée").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Mardi matin").check(force=True)
    page.get_by_label("Jeudi après-midi").check(force=True)
    page.locator("#id_frequency").select_option(label="Une semaine sur deux")
    page.get_by_role("button", name="Enregistrer l'arrêt").click()
    page.get_by_text("Arrêt « Gigouzac — Parking du foirail » enregistré").wait_for()

    # It edits the driver's Wednesday, then runs the plan and follows its progress.
    page.get_by_role("link", name="Modifier le mercredi").first.click()
    page.locator("#id_start").fill("08:00")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Journée du mercredi enregistrée.").wait_for()
    page.get_by_role("button", name="Calculer les tournées").click()
    page.wait_for_url(re.compile(r".*/taches/.*"))
    assert page.locator("progress").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Voir le plan et le publier").wait_for(timeout=60_000)
    page.get_by_role("link", name="Voir le plan et le publier").click()
    page.get_by_role("heading", name="Communes non desservies", exact=False).wait_for()
    expect(page.get_by_role("heading", name="Indicateur d'accès")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publier ce plan").click()
    page.get_by_text("Plan publié :").wait_for()
    assert_accessible(page)
    page.goto(f"{page.base_url}/bus/{SLUG}/reglages/")
    assert_accessible(page)
    page.goto(f"{page.base_url}/bus/{SLUG}/temps-routiers/")
    assert_accessible(page)

    # A resident, without an account, reads the week and her commune's page, and downloads the calendar.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/bus/{SLUG}/passages/")
    page.locator("#carte-bus[data-cb-drawn]").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Lalbenque").first.click()
    page.get_by_role("heading", level=1, name="Le bus France services à Lalbenque").wait_for()
    expect(page.get_by_text(re.compile(r"Le bus passe à Lalbenque le mardi"))).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (ICS)").click()
    content = Path(download.value.path()).read_bytes()
    events = list(Calendar.from_ical(content).walk("VEVENT"))
    assert events and "Lalbenque" in str(events[0]["SUMMARY"])
    assert page.csp_violations == []
