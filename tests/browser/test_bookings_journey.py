"""Appointments, as the people who take them see them (issue 17).

On a 320-pixel phone, a resident without an account books the teleconsultation booth, gets her link by SMS and
cancels; the person waiting for that motif is offered the freed slot by SMS, accepts it and gets it. On a desktop,
the France services agent books a job-coaching series for someone on the phone, finds it in her day's list and,
once the first session has begun, marks it « Venu » in one click. axe-core finds no violation on any page, and no
phone page scrolls sideways."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carteblanche.bookings.enums import BookedVia, Status
from carteblanche.bookings.models import Appointment, WaitlistEntry
from carteblanche.core.messaging import LocmemSmsBackend

from .conftest import assert_accessible
from .crawl import overflow, settle
from .test_journeys import login

pytestmark = pytest.mark.browser
SLUG = "bassin-de-vie-de-cahors"
BOOTH = "Téléconsultation médicale en cabine"
COACHING = "Coaching emploi — premier entretien"
AGENT = "agent.franceservices@demo.carteblanche.fr"
SLOT = re.compile(r"^\d{1,2} h \d\d")  # a slot's button: « 9 h 30 », then the day for screen readers


def check_phone(page):
    """At the phone's width: nothing wider than the screen, and nothing axe-core objects to."""
    settle(page)
    assert overflow(page) is None, f"la page défile horizontalement : {page.url}"
    assert_accessible(page)


def sms_to(phone: str, contains: str) -> str:
    found = [text for to, text in LocmemSmsBackend.outbox if to.replace(" ", "") == phone.replace(" ", "")]
    found = [text for text in found if contains in text]
    assert found, f"aucun SMS « {contains} » pour {phone} : {LocmemSmsBackend.outbox}"
    return found[-1]


def link_in(text: str, path: str) -> str:
    return re.search(rf"https?://\S+{re.escape(path)}\S+/", text).group(0)


@pytest.fixture
def sms(settings, live_server):
    """SMS kept in memory; links in messages point at the live server (a booking redirects to its link)."""
    settings.SMS_BACKEND = "carteblanche.core.messaging.LocmemSmsBackend"
    settings.PLATFORM_URL = live_server.url
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


def test_a_resident_books_the_booth_on_her_phone_cancels_and_the_waiting_list_gets_the_slot(page, sms):
    waiting = WaitlistEntry.objects.get(motif__name=BOOTH, last_name="Cassagne")  # the demo's, with a mobile
    page.set_viewport_size({"width": 320, "height": 740})

    # She chooses the booth among what is bookable online.
    page.goto(f"{page.base_url}/rendez-vous/{SLUG}/")
    expect(page.get_by_role("heading", level=1, name="Prendre rendez-vous")).to_be_visible()
    check_phone(page)
    page.get_by_role("link", name=BOOTH).click()
    expect(page.get_by_role("heading", level=1, name=BOOTH)).to_be_visible()
    expect(page.get_by_text("Le motif médical ne vous est jamais demandé")).to_be_visible()
    check_phone(page)

    # The first free slot, then the short form: who she is and how to reach her, never why she comes.
    page.get_by_role("link", name=SLOT).first.click()
    expect(page.get_by_role("button", name="Confirmer le rendez-vous")).to_be_visible()
    expect(page.get_by_text("Le motif médical ne vous est jamais demandé")).to_be_visible()
    check_phone(page)
    page.locator("#id_first_name").fill("Josiane")
    page.locator("#id_last_name").fill("Lafarguette")
    page.locator("#id_phone").fill("06 11 22 33 44")
    page.get_by_text("Je souhaite qu'un agent m'aide à utiliser le matériel").click()
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.get_by_text("Confirmé", exact=True)).to_be_visible()
    check_phone(page)
    booked = Appointment.objects.get(last_name="Lafarguette")
    assert (booked.status, booked.booked_via, booked.equipment_help) == (Status.BOOKED, BookedVia.ONLINE, True)

    # The confirmation SMS, with her personal link: she opens it later, on the same phone, and cancels.
    confirmation = sms_to("06 11 22 33 44", "RDV Téléconsultation")
    link = link_in(confirmation, "/rendez-vous/mon-rendez-vous/")
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name=BOOTH)).to_be_visible()
    assert page.get_by_text("Lafarguette").count() == 0  # the link shows no name
    check_phone(page)
    page.get_by_role("button", name="Annuler ce rendez-vous").click()
    expect(page.get_by_text("Votre rendez-vous est annulé.")).to_be_visible()
    expect(page.get_by_role("button", name="Annuler ce rendez-vous")).to_have_count(0)
    check_phone(page)
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED

    # The person waiting for the booth is offered the freed slot by SMS; she takes it from her phone.
    offer = sms_to(waiting.phone, "s'est libéré")
    page.context.clear_cookies()
    page.goto(link_in(offer, "/rendez-vous/creneau-libere/"))
    expect(page.get_by_role("heading", level=1, name="Un créneau s'est libéré")).to_be_visible()
    check_phone(page)
    page.get_by_role("button", name="Je prends ce créneau").click()
    expect(page.get_by_text("Confirmé", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=BOOTH)).to_be_visible()
    check_phone(page)
    taken = Appointment.objects.get(last_name="Cassagne", status=Status.BOOKED, booked_via=BookedVia.WAITLIST)
    assert (taken.starts_at, taken.site_id, taken.calendar) == (booked.starts_at, booked.site_id, booked.calendar)
    waiting.refresh_from_db()
    assert waiting.appointment == taken
    sms_to(waiting.phone, "RDV Téléconsultation")  # her own confirmation, with her own link
    assert page.csp_violations == []


def test_an_agent_books_a_coaching_series_by_phone_and_marks_the_first_session_seen(page, sms, clock, demo_password):
    login(page, AGENT, demo_password)
    page.goto(f"{page.base_url}/rendez-vous/{SLUG}/guichet/")
    expect(page.get_by_role("heading", level=1, name="Prendre un rendez-vous pour une personne")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=COACHING).click()
    expect(page.get_by_role("heading", level=1, name=COACHING)).to_be_visible()
    assert_accessible(page)

    # A woman calls: the agent takes the first free slot, her name and her number.
    page.get_by_role("link", name=SLOT).first.click()
    expect(page.get_by_role("button", name="Réserver pour cette personne")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_first_name").fill("Mireille")
    page.locator("#id_last_name").fill("Carrendier")
    page.locator("#id_phone").fill("06 98 76 54 32")
    page.get_by_text("Par téléphone", exact=True).click()
    page.get_by_role("button", name="Réserver pour cette personne").click()
    expect(page.get_by_text("Rendez-vous pris")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=f"Mireille Carrendier — {COACHING}")).to_be_visible()
    assert_accessible(page)
    sessions = list(Appointment.objects.filter(last_name="Carrendier").order_by("starts_at"))
    assert len(sessions) == 4 and len({s.series for s in sessions}) == 1
    assert all(s.booked_via == BookedVia.PHONE and s.status == Status.BOOKED for s in sessions)
    first = sessions[0]
    assert len({timezone.localtime(s.starts_at).time() for s in sessions}) == 1  # one a week, at the same hour
    sms_to("06 98 76 54 32", "RDV Coaching emploi")

    # Her day's list shows the first session.
    day_url = f"{page.base_url}/rendez-vous/{SLUG}/agenda/?jour={timezone.localdate(first.starts_at).isoformat()}"
    page.goto(day_url)
    row = page.get_by_role("row").filter(has_text="Mireille Carrendier")
    expect(row).to_have_count(1)
    expect(row.get_by_role("button", name="Venu : Mireille Carrendier", exact=True)).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 740})
    settle(page)
    assert overflow(page) is None, "la liste du jour défile horizontalement à 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})

    # The session has begun: she came, the agent marks it in one click.
    clock.move_to(timezone.localtime(first.starts_at) + datetime.timedelta(minutes=5))
    page.goto(day_url)
    if "/connexion/" in page.url:  # the session did not survive the days in between
        login(page, AGENT, demo_password)
        page.goto(day_url)
    row = page.get_by_role("row").filter(has_text="Mireille Carrendier")
    row.get_by_role("button", name="Venu : Mireille Carrendier", exact=True).click()
    expect(page.get_by_text("Mireille Carrendier : honoré.")).to_be_visible()
    expect(row.get_by_role("button", name="Venu : Mireille Carrendier", exact=True)).to_have_count(0)
    expect(row).to_contain_text("Honoré")
    assert_accessible(page)
    first.refresh_from_db()
    assert first.status == Status.SEEN == "honore"
    assert Appointment.objects.filter(series=first.series, status=Status.BOOKED).count() == 3
    assert page.csp_violations == []
