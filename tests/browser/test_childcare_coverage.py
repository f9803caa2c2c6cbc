"""The childcare coverage map in Chromium: the 59 communes drawn, nothing scrolls sideways at 320 px, axe-core finds
no violation, and « Lancer une expérimentation » opens the codesign's form prefilled with what nobody covers."""

import re

import pytest
from playwright.sync_api import expect

from carteblanche.childcare.models import Need

from .crawl import check, install_axe
from .test_journeys import login

pytestmark = pytest.mark.browser
SLUG = "bassin-de-vie-de-cahors"


def test_the_coverage_map_fits_reads_and_starts_an_experiment(page, demo_password):
    on = Need.objects.get(parent_first_name="Sarah", territory__slug=SLUG).start_date  # her need is open then
    path = f"/garde/{SLUG}/couverture/?le={on.isoformat()}"
    login(page, "equipe@demo.carteblanche.fr", demo_password)
    install_axe(page.context)
    page.goto(page.base_url + path)
    page.wait_for_selector("#carte-couverture[data-cb-drawn='59']", timeout=10_000)
    report = check(page, page.base_url, [path], axe_seen=set())
    assert report.problems == [], "\n".join(report.problems)
    expect(page.locator("#communes")).to_be_visible()
    page.get_by_role("link", name="Lancer une expérimentation").click()
    title = page.get_by_label("Intitulé")
    expect(title).to_have_value(re.compile(r"^Garde d'enfants en horaires décalés (à|sur) "))
    prefilled = title.input_value()  # where nobody is covered: « … à Catus, Lalbenque, Cahors et Pradines »
    page.get_by_role("button", name="Créer l'expérimentation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(prefilled)
    assert page.csp_violations == []
