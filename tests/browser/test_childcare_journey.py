"""Childcare at staggered hours, as the people who arrange it see it (issue 18).

The France services adviser records Sarah's week of shifts (6 h 30 – 14 h on Monday and Thursday, 12 h – 20 h on
Tuesday and Friday), computes the solutions and gets one that covers every half-hour by combining several providers,
each legal for them; the family agrees, she sends it. Each provider opens the link of her e-mail, without an
account, reads the child's age and her hours but not the family's name, accepts, and only then reads the name. The
adviser finds the solution confirmed. axe-core finds no violation and nothing scrolls sideways, on a desktop and on a
320-pixel phone."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from carteblanche.childcare.enums import NeedStatus, PartStatus, ProposalStatus
from carteblanche.childcare.models import Need

from .conftest import assert_accessible
from .crawl import overflow, settle
from .test_journeys import login

pytestmark = pytest.mark.browser
SLUG = "bassin-de-vie-de-cahors"
AGENT = "agent.franceservices@demo.carteblanche.fr"
FIRST, LAST = "Sarah", "Parcours-Test"
PHONE = "06 12 34 56 78"
# Sarah's week: day of the week (0 is Monday) → from, to.
WEEK = {0: ("06:30", "14:00"), 1: ("12:00", "20:00"), 3: ("06:30", "14:00"), 4: ("12:00", "20:00")}
SUBJECT = "Une famille vous propose un accueil"


def check_widths(page):
    """At a desktop's width and a small phone's: nothing wider than the screen, nothing axe-core objects to."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        assert overflow(page) is None, f"la page défile horizontalement à {width} px : {page.url}"
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def test_an_adviser_finds_a_legal_combination_for_sarah_and_the_providers_accept(browser, page, demo_password):
    today = timezone.localdate()  # Paris: the frozen instant may be another day in UTC
    birth = today - datetime.timedelta(days=2 * 365)
    monday = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7) + datetime.timedelta(days=14)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The adviser opens « Garde d'enfants » and records Sarah's need, with her consent.
    login(page, AGENT, demo_password)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Garde d'enfants").click()
    expect(page.get_by_role("heading", level=1, name="Garde d'enfants : besoins des familles")).to_be_visible()
    assert page.url.endswith(f"/garde/{SLUG}/besoins/")
    check_widths(page)
    page.get_by_role("link", name="Enregistrer un besoin").click()
    expect(page.get_by_role("heading", level=1, name="Enregistrer un besoin de garde")).to_be_visible()
    page.locator("#id_parent_first_name").fill(FIRST)
    page.locator("#id_parent_last_name").fill(LAST)
    page.locator("#id_phone").fill(PHONE)
    page.locator("#id_child_birth_date").fill(birth.isoformat())
    page.locator("#id_start_date").fill(monday.isoformat())
    page.locator("#id_commune").select_option(label="Cahors (46042)")
    for day, (start, end) in WEEK.items():
        page.locator(f"#id_j{day}_1_de").select_option(start)
        page.locator(f"#id_j{day}_1_a").select_option(end)
    page.locator("#id_consent").check(force=True)
    check_widths(page)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Besoin enregistré : calculez les solutions.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=f"{FIRST} {LAST} : garde de son enfant")).to_be_visible()
    need = Need.objects.get(parent_last_name=LAST)
    assert need.schedule == {"0": [[13, 28]], "1": [[24, 40]], "3": [[13, 28]], "4": [[24, 40]]}
    assert (need.start_date, need.child_birth_date, need.commune.name) == (monday, birth, "Cahors")

    # The solutions: one covers every half-hour, combining two providers or more, each legal for them.
    page.get_by_role("button", name="Calculer les solutions").click()
    expect(page.get_by_text("chacune conforme au droit pour ses accueillants")).to_be_visible()
    first = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile(r"^Solution 1 :")))
    expect(first).to_have_count(1)
    assert "100 % des demi-heures couvertes" in flat(first.inner_text())
    providers = first.locator("ul").first.locator("li")
    count = providers.count()
    assert count >= 2, flat(first.inner_text())
    check_widths(page)

    # The family agrees: the adviser sends solution 1 to its providers.
    mail.outbox.clear()
    first.get_by_role("button", name=re.compile("La famille est d'accord : envoyer aux accueillants")).click()
    expect(page.get_by_text("Envoyée aux accueillants : chacun répond par son lien.")).to_be_visible()
    proposal = need.proposals.get(rank=1)
    assert proposal.status == ProposalStatus.SENT
    parts = list(proposal.parts.select_related("provider"))
    assert len(parts) == count

    # Each provider opens the link of her e-mail, without an account: the child, her hours, no name; she accepts.
    provider_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    provider = provider_context.new_page()
    csp = []
    provider.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        for index, part in enumerate(parts):
            sent = [m for m in mail.outbox if m.subject == SUBJECT and m.to == [part.provider.email]]
            assert len(sent) == 1, [(m.subject, m.to) for m in mail.outbox]
            assert LAST not in sent[0].body and PHONE not in sent[0].body
            link = re.search(r"https?://\S+(/garde/reponse/[^/\s]+/)", sent[0].body).group(1)
            provider.set_viewport_size({"width": 1280, "height": 900})
            provider.goto(page.base_url + link)
            expect(provider.get_by_role("heading", level=1, name=SUBJECT)).to_be_visible()
            expect(provider.get_by_text("Cahors, à partir du")).to_be_visible()
            expect(provider.get_by_text("Les demi-heures qui vous sont demandées")).to_be_visible()
            shown = provider.content()
            assert LAST not in shown and PHONE not in flat(shown) and PHONE.replace(" ", "") not in shown
            if index == 0:
                check_widths(provider)
            provider.get_by_role("button", name="J'accepte cet accueil").click()
            expect(provider.get_by_text("Merci, vous avez accepté.")).to_be_visible()
            expect(provider.get_by_text(f"La famille : {FIRST} {LAST}")).to_be_visible()
            assert PHONE in flat(provider.locator("main").inner_text())
            if index == 0:
                check_widths(provider)
            part.refresh_from_db()
            assert part.status == PartStatus.ACCEPTED
        assert csp == []
    finally:
        provider_context.close()

    # Back to the adviser: the solution is confirmed by every provider, the need solved.
    page.reload()
    confirmed = ProposalStatus.CONFIRMED.label.lower()
    expect(page.get_by_role("heading", name=f"Solution 1 : {confirmed}")).to_be_visible()
    expect(first.locator("ul").first.locator("li").filter(has_text="— acceptée")).to_have_count(count)
    check_widths(page)
    proposal.refresh_from_db()
    need.refresh_from_db()
    assert (proposal.status, need.status) == (ProposalStatus.CONFIRMED, NeedStatus.SOLVED)
    assert page.csp_violations == []
