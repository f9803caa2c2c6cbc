import re

import pytest

from carteblanche.exploration.demo import SLUG

from .conftest import assert_accessible
from .test_journeys import login

pytestmark = pytest.mark.browser

SELECT_PASSAGE = """(passage) => {
  const notes = document.querySelector('[data-cb-notes]');
  const walker = document.createTreeWalker(notes, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const index = node.textContent.indexOf(passage);
    if (index >= 0) {
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + passage.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      notes.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def test_from_a_residents_phone_to_a_renamed_theme(browser, live_server, reload_demo, demo_password):
    # 1. A resident, on a phone, without an account.
    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR", is_mobile=True)
    resident = phone.new_page()
    resident.goto(f"{live_server.url}/participer/{SLUG}/")
    assert_accessible(resident)
    resident.get_by_label("Qu'est-ce qui s'est mal passé ?").fill(
        "Je dois aller à la CAF de Cahors mais il n'y a aucun bus depuis Catus le matin."
    )
    resident.get_by_label("Où ?").select_option(label="Catus")
    resident.get_by_label("Quel service ?").fill("CAF")
    resident.get_by_role("button", name="Envoyer").click()
    resident.get_by_role("heading", name="Merci !").wait_for()
    assert_accessible(resident)
    phone.close()

    # 2. The team sees it in the irritant list.
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "equipe@demo.carteblanche.fr", demo_password)
    page.goto(f"{live_server.url}/operations/{SLUG}/irritants/")
    link = page.get_by_role("link", name=re.compile("Je dois aller à la CAF de Cahors"))
    link.wait_for()
    resident_irritant = link.get_attribute("href").rstrip("/").split("/")[-1]
    assert_accessible(page)

    # 3. It codes an excerpt of an interview by selecting it in the notes.
    page.goto(f"{live_server.url}/operations/{SLUG}/terrain/")
    page.get_by_role("link", name="Entretien collectif avec les agents d'accueil de la CAF").click()
    page.wait_for_url(re.compile(r".*/terrain/\d+/$"))
    page.wait_for_load_state("load")  # the coding script is attached
    passage = "Les agents aimeraient voir la situation complète d'une personne"
    assert page.evaluate(SELECT_PASSAGE, passage)
    assert page.locator("#passage").input_value() == passage
    assert page.locator("#passage-start").input_value() != ""
    page.locator("label", has_text=re.compile(r"^Orientation")).click()
    page.get_by_role("button", name="Coder ce passage").click()
    page.get_by_text("Extrait codé : Relation au service › Orientation.").wait_for()
    assert page.locator("mark.cb-mark", has_text=passage).count() == 1
    assert_accessible(page)

    # 4. It links the excerpt to the resident's irritant: one irritant, two kinds of evidence.
    page.goto(f"{live_server.url}/operations/{SLUG}/extraits/")
    assert_accessible(page)
    page.locator("label", has_text=passage).click()
    page.get_by_label("ou numéro d'un irritant existant").fill(resident_irritant)
    page.get_by_role("button", name="Rattacher les extraits").click()
    page.wait_for_url(re.compile(rf".*/irritants/{resident_irritant}/$"))
    assert page.get_by_text("Message d'un usager").count() >= 1
    assert page.get_by_text("Extrait de notes de terrain").count() >= 1
    assert_accessible(page)

    # 5. It runs the theme analysis (progress bar, then the result) and renames a theme.
    page.goto(f"{live_server.url}/operations/{SLUG}/themes/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("analyse thématique")).click()
    page.wait_for_url(re.compile(r".*/taches/.*"))
    assert page.locator("progress").count() == 1
    page.get_by_role("link", name="Revoir les thèmes").wait_for(timeout=60_000)
    assert_accessible(page)
    page.get_by_role("link", name="Revoir les thèmes").click()
    page.locator(".fr-card__title a").first.click()
    page.get_by_label("Nom du thème").fill("Se déplacer pour ses démarches")
    page.get_by_role("button", name="Renommer le thème").click()
    page.get_by_role("heading", level=1, name="Se déplacer pour ses démarches").wait_for()
    assert_accessible(page)
    page.goto(f"{live_server.url}/operations/{SLUG}/themes/")
    assert page.get_by_text("Se déplacer pour ses démarches").count() == 1
    assert_accessible(page)
    # The other pages of the exploration phase pass the same accessibility rules.
    for path in (
        "",
        "terrain/",
        "codes/",
        "irritants/nouveau/",
        "irritants/guichet/",
        "irritants/importer/",
        "priorites/",
    ):
        page.goto(f"{live_server.url}/operations/{SLUG}/{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/operations/")
    assert_accessible(page)
    context.close()
