"""At the counter: the CAF agent corrects Sarah's incomes, registers her unemployment, sees her complementary
health cover become free, and refers her to France services, whose agent accepts. At 1280 and 320 px, axe-core
finds nothing and no page scrolls sideways."""

import re

import pytest
from django.core import mail

from carteblanche.rights.engine import month_add
from carteblanche.rights.services import current_month

from .conftest import assert_accessible
from .test_journeys import login

pytestmark = pytest.mark.browser


def check_widths(page):
    """The page at a desktop and at a small phone's width: accessible, and nothing wider than the screen."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), (
            f"la page défile horizontalement à {width} px : {page.url}"
        )
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def css_row(page) -> str:
    table = page.get_by_role("table", name="Droits examinés pour le mois en cours")
    return table.get_by_role("row").filter(has_text="Complémentaire santé solidaire gratuite").inner_text()


def test_the_agent_registers_sarahs_unemployment_and_a_partner_accepts_the_referral(page, demo_password):
    month = current_month()
    first, last = f"{month_add(month, -3):%Y-%m}", f"{month_add(month, -1):%Y-%m}"
    login(page, "agent.caf@demo.carteblanche.fr", demo_password)
    page.goto(page.base_url + "/droits/bassin-de-vie-de-cahors/")
    page.get_by_label("Nom, prénom ou numéro d'allocataire").fill("Sarah Martin")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Sarah Martin").first.click()
    page.get_by_role("heading", name="Dossier de Sarah Martin").wait_for()
    person_url = page.url
    assert "Droit probable" not in css_row(page)  # working, she pays a participation

    # Her last three months: no salary, 780 € of unemployment benefit a month.
    page.get_by_role("link", name="Corriger la situation").click()
    page.get_by_role("heading", name="Corriger la situation de Sarah Martin").wait_for()
    check_widths(page)
    incomes = page.locator("form", has=page.get_by_role("button", name="Enregistrer les revenus"))
    for kind, amount in (("salaire_net", "0"), ("chomage_net", "780")):
        if kind == "chomage_net":
            page.get_by_role("link", name="Corriger la situation").click()
        incomes.get_by_label("Nature du revenu").select_option(kind)
        incomes.get_by_label("Du mois de").fill(first)
        incomes.get_by_label("Au mois de (inclus)").fill(last)
        incomes.get_by_label("Montant de chaque mois (€)").fill(amount)
        page.get_by_role("button", name="Enregistrer les revenus").click()
        page.get_by_text("Revenus corrigés ; les droits sont réexaminés.").wait_for()
    # Registered at France Travail since the first of those months.
    page.get_by_role("link", name="Corriger la situation").click()
    sarah = page.locator("section", has=page.get_by_role("heading", name=re.compile(r"^Sarah — ")))
    sarah.get_by_label(re.compile(r"Inscription à France Travail\s\(Optionnel\)")).select_option("true")
    sarah.get_by_label(re.compile("Date d.inscription à France Travail")).fill(f"{month_add(month, -3):%Y-%m-%d}")
    sarah.get_by_role("button", name="Enregistrer la situation de Sarah").click()
    page.get_by_text("Situation de Sarah corrigée ; les droits sont réexaminés.").wait_for()
    assert page.url == person_url
    assert "Droit probable" in css_row(page)
    assert page.get_by_text(re.compile(r"Saisi au guichet par Nadia Roux \(CAF du Lot\)")).count() >= 1
    check_widths(page)

    # Referred to France services for the application, which the partner accepts.
    page.get_by_label("Partenaire").select_option(label="Grand Cahors (communauté d'agglomération)")
    page.get_by_label("Motif de l'orientation").fill("Aide à la demande de complémentaire santé solidaire")
    page.get_by_role("button", name="Orienter").click()
    page.get_by_text("est orientée vers Grand Cahors").wait_for()

    partner = page.context.browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    partner.base_url = page.base_url
    login(partner, "agent.franceservices@demo.carteblanche.fr", demo_password)
    partner.goto(page.base_url + "/droits/bassin-de-vie-de-cahors/")
    partner.get_by_role("link", name="Orientations reçues (1 à traiter)").click()
    partner.get_by_role("heading", name="Orientations reçues").wait_for()
    check_widths(partner)
    card = partner.locator("section", has=partner.get_by_role("heading", name="Sarah Martin"))
    assert "Aide à la demande de complémentaire santé solidaire" in card.inner_text()
    card.get_by_role("button", name=re.compile("^Accepter")).click()
    partner.get_by_text("Orientation acceptée ; l'agent qui l'a envoyée en est informé.").wait_for()
    answered = partner.locator("section", has=partner.get_by_role("heading", name="Sarah Martin")).inner_text()
    assert "acceptée" in answered.lower() and "Réponse le" in answered
    check_widths(partner)
    partner.context.close()
    assert any("acceptée" in m.subject and m.to == ["agent.caf@demo.carteblanche.fr"] for m in mail.outbox)

    page.reload()
    assert "(acceptée" in page.get_by_role("heading", name="Orienter vers un partenaire").locator("..").inner_text()


def test_a_person_without_e_mail_enters_her_space_with_a_code_by_sms(page, settings):
    from carteblanche.core.messaging import LocmemSmsBackend
    from carteblanche.rights.demo import SARAH_EMAIL
    from carteblanche.rights.models import Person

    settings.SMS_BACKEND = "carteblanche.core.messaging.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    sarah = Person.objects.get(email=SARAH_EMAIL)
    sarah.email, sarah.phone = "", "06 12 34 56 78"
    sarah.save()
    page.goto(page.base_url + "/mon-espace/")
    page.get_by_label("Votre numéro de téléphone portable").fill("06 12 34 56 78")
    page.get_by_role("button", name="Recevoir un code par SMS").click()
    page.get_by_role("heading", name="Saisir le code reçu par SMS").wait_for()
    assert "06 ** ** ** 78" in page.locator("main").inner_text()
    check_widths(page)
    code = re.search(r"\b(\d{6})\b", LocmemSmsBackend.outbox[-1][1]).group(1)
    page.get_by_label("Code reçu par SMS").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Accéder à mon espace").click()
    page.get_by_text("Ce code n'est pas valable").wait_for()
    check_widths(page)
    page.get_by_label("Code reçu par SMS").fill(code)
    page.get_by_role("button", name="Accéder à mon espace").click()
    page.get_by_role("heading", name="Bonjour Sarah").wait_for()
