"""Vigies solidaires, as the people of a signal see it (issue 19).

Thierry Cavaillé, a postman of the « Vigies du Grand Cahors », signals from his phone (320 pixels, his personal link,
no account) a letterbox that overflows in Cahors: the emergency numbers come first, then the form; his page then
lists his signal as « reçu ». The structure's agent (France services) opens « Vigies », the queue, the signal; she
qualifies it and hands it to the CAF du Lot. The CAF's agent finds it under « Confiés à votre organisation »,
accepts it, notes the contact, closes it with « Aide mise en place ». Thierry is told, by SMS, that it was taken in
charge and then closed; his page reads « clos », without the place or his words. axe-core finds no violation and
nothing scrolls sideways, on a desktop and on a 320-pixel phone."""

import re

import pytest
from playwright.sync_api import expect

from carteblanche.core.enums import MessageChannel
from carteblanche.core.models import OutgoingMessage
from carteblanche.vigies import services
from carteblanche.vigies.enums import Outcome, Seen, SignalStatus, Urgency
from carteblanche.vigies.models import Signal, Vigie

from .conftest import assert_accessible
from .crawl import hidden_content, overflow, settle
from .test_journeys import login

pytestmark = pytest.mark.browser
TRIAGER = "agent.franceservices@demo.carteblanche.fr"
PARTNER = "agent.caf@demo.carteblanche.fr"
PLACE = "Rue du Château du Roi, la porte bleue"
WORDS = "Le courrier s'accumule dans la boîte depuis une semaine, les volets restent fermés."
STRUCTURE = "Grand Cahors (communauté d'agglomération)"


def check_widths(page, widths=(1280, 320)):
    """At each width: nothing wider than the screen, no table or button that hides part of itself, nothing
    axe-core objects to; back to the width the page had."""
    before = page.viewport_size
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        assert overflow(page) is None, f"la page défile horizontalement à {width} px : {page.url} — {overflow(page)}"
        assert hidden_content(page) == [], f"{page.url} à {width} px : {hidden_content(page)}"
        assert_accessible(page)
    page.set_viewport_size(before)


def new_page(browser, base_url, width):
    """A fresh browser (no cookie, no session) at this width, its CSP violations collected."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.base_url = base_url
    page.csp_violations = []
    page.on(
        "console", lambda msg: page.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    return context, page


def open_signal(page, section: str, signal: Signal):
    """From the queue, the signal's row in one of its sections, then its file."""
    region = page.get_by_role("region", name=section)
    row = region.locator("tr").filter(has=page.locator(f'a[href$="/signalements/{signal.pk}/"]'))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Cahors")
    expect(row).to_contain_text(Seen.MAIL.label)
    expect(row).to_contain_text(Urgency.DAY.label)
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Signalement du .* — Cahors$"))).to_be_visible()


def his_signal(phone):
    """The postman's signal of today in Cahors, in the list of his page (his demo signal is in Pradines)."""
    signals = phone.locator("ul.cb-signals li").filter(has_text="Cahors")
    expect(signals).to_have_count(1)
    return signals


def test_a_postman_signals_from_his_phone_the_caf_takes_it_and_closes_it(browser, page, demo_password):
    postman = Vigie.objects.get(first_name="Thierry", last_name="Cavaillé")
    link = "/vigies/v/" + services.vigie_link_issue(vigie=postman) + "/"
    before = set(Signal.objects.values_list("pk", flat=True))
    contexts = []
    try:
        # 1. Thierry opens his link on his phone, without an account: the emergency numbers first, then the form.
        context, phone = new_page(browser, page.base_url, 320)
        contexts.append(context)
        phone.goto(phone.base_url + link)
        expect(phone.get_by_role("heading", level=1, name="Signaler une personne fragile")).to_be_visible()
        expect(phone.get_by_text("Bonjour Thierry.")).to_be_visible()
        for number in ("15", "17", "18", "112"):
            expect(phone.locator(f'.cb-emergency a[href="tel:{number}"]')).to_have_text(number)
            expect(phone.locator(f'.cb-emergency a[href="tel:{number}"]')).to_be_visible()
        check_widths(phone, widths=(320, 1280))
        phone.get_by_label("Commune").select_option(label="Cahors")
        phone.get_by_label("Adresse ou lieu").fill(PLACE)
        phone.get_by_label(Seen.MAIL.label).check(force=True)
        phone.get_by_label(Urgency.DAY.label).check(force=True)
        phone.get_by_label("En quelques mots").fill(WORDS)
        phone.get_by_role("button", name="Envoyer le signalement").click()
        expect(phone.get_by_text(f"Merci, votre signalement est envoyé à {STRUCTURE}.")).to_be_visible()
        expect(his_signal(phone).locator(".fr-badge")).to_have_text("reçu")
        check_widths(phone, widths=(320,))
        (signal,) = Signal.objects.exclude(pk__in=before)
        assert (signal.vigie, signal.commune.name, signal.place, signal.words) == (postman, "Cahors", PLACE, WORDS)
        assert (signal.seen, signal.urgency, signal.status) == ([Seen.MAIL], Urgency.DAY, SignalStatus.NEW)

        # 2. The structure's agent opens « Vigies », the queue, the new signal: she qualifies it, hands it to the CAF.
        page.set_viewport_size({"width": 1280, "height": 900})
        login(page, TRIAGER, demo_password)
        page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Vigies").click()
        expect(page.get_by_role("heading", level=1, name="Signalements des vigies")).to_be_visible()
        assert re.search(r"/vigies/[\w-]+/file/$", page.url), page.url
        assert PLACE not in page.content() and "Château du Roi" not in page.content()  # the queue shows no place
        check_widths(page)
        open_signal(page, re.compile("^À trier"), signal)
        expect(page.get_by_text(PLACE)).to_be_visible()
        expect(page.get_by_text(f"« {WORDS} »")).to_be_visible()
        check_widths(page)
        page.locator("#qualifier_note").fill("Boîte aux lettres pleine, vue par le facteur")
        page.get_by_role("button", name="Qualifier", exact=True).click()
        expect(page.get_by_text("Signalement qualifié : confiez-le à un partenaire, ou closez-le.")).to_be_visible()
        page.get_by_label("Confier à").select_option(label="CAF du Lot")
        page.get_by_role("button", name="Confier", exact=True).click()
        expect(page.get_by_text("Signalement confié à CAF du Lot : ses agents le lisent")).to_be_visible()
        signal.refresh_from_db()
        assert (signal.status, signal.assigned_to.name) == (SignalStatus.ASSIGNED, "CAF du Lot")
        assert not OutgoingMessage.objects.filter(key__startswith=f"vigie-etat:{signal.pk}:").exists()

        # 3. The CAF's agent finds it handed to her organisation: she accepts, notes the contact, closes it.
        context, caf = new_page(browser, page.base_url, 1280)
        contexts.append(context)
        login(caf, PARTNER, demo_password)
        caf.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Vigies").click()
        expect(caf.get_by_role("heading", level=1, name="Signalements des vigies")).to_be_visible()
        check_widths(caf)
        open_signal(caf, "Confiés à votre organisation", signal)
        expect(caf.get_by_text(PLACE)).to_be_visible()
        check_widths(caf)
        caf.get_by_label("Nous le prenons en charge").check(force=True)
        caf.get_by_role("button", name="Répondre", exact=True).click()
        expect(caf.get_by_text("Vous prenez ce signalement en charge : la vigie en est prévenue")).to_be_visible()
        phone.reload()
        expect(his_signal(phone).locator(".fr-badge")).to_have_text("pris en charge")
        caf.locator("#contact_note").fill("Appel à sa porte, elle a accepté une visite")
        caf.get_by_role("button", name="Contact établi", exact=True).click()
        expect(caf.get_by_text("Contact établi : closez le signalement quand le suivi est terminé.")).to_be_visible()
        caf.locator("#clore_outcome").select_option(label=Outcome.HELP.label)
        caf.get_by_role("button", name="Clore", exact=True).click()
        expect(caf.get_by_text("Signalement clos : la vigie en est prévenue, sans détail.")).to_be_visible()
        expect(caf.locator("main .fr-badges-group")).to_contain_text("Clos")
        expect(caf.get_by_text(f": {Outcome.HELP.label.lower()}")).to_be_visible()
        signal.refresh_from_db()
        assert (signal.status, signal.outcome) == (SignalStatus.CLOSED, Outcome.HELP)
        steps = list(signal.events.order_by("at", "pk").values_list("status", flat=True))
        assert steps == ["nouveau", "qualifie", "confie", "accepte", "contact", "clos"]

        # 4. Thierry's page: « clos », without the place or his words; he was told twice, by SMS, without detail.
        phone.reload()
        expect(his_signal(phone).locator(".fr-badge")).to_have_text("clos")
        shown = phone.content()
        assert PLACE not in shown and "Château du Roi" not in shown
        assert WORDS not in shown and "volets" not in shown and "accumule dans" not in shown
        check_widths(phone, widths=(320,))
        told = OutgoingMessage.objects.filter(key__startswith=f"vigie-etat:{signal.pk}:").order_by("pk")
        assert [m.key for m in told] == [f"vigie-etat:{signal.pk}:pris en charge", f"vigie-etat:{signal.pk}:clos"]
        assert {m.channel for m in told} == {MessageChannel.SMS}  # he has no address: his phone

        assert page.csp_violations == [] and phone.csp_violations == [] and caf.csp_violations == []
    finally:
        for context in contexts:
            context.close()
