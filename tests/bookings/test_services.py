"""Around the slot: series all or nothing, the waiting list (three offers, first to accept wins), reminders sent
once and never late, absences and the people they concern, the survey after a seen appointment, and the last slot
taken by exactly one of many at the same instant."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from carteblanche.bookings import services, slots
from carteblanche.bookings.enums import Audience, BookedVia, OfferStatus, Status, WaitStatus
from carteblanche.bookings.models import Absence, Appointment, Motif, Resource, SlotOffer
from carteblanche.core import links
from carteblanche.core.models import OutgoingMessage
from carteblanche.quality.enums import StructureKind
from carteblanche.quality.models import Structure
from carteblanche.quality.selectors import results_for
from tests.demo import demo_territory

from .conftest import MONDAY, SARAH, at, opening

TUESDAY = MONDAY + datetime.timedelta(days=1)
NOW = at(MONDAY, 8)


def test_a_series_is_booked_whole_or_not_at_all(place):
    territory, organisation, _ = place
    agent = get_user_model().objects.get(email="agent.franceservices@demo.carteblanche.fr")
    coaching = Motif.objects.create(
        territory=territory,
        organisation=organisation,
        name="Coaching (test)",
        duration_minutes=45,
        audience=Audience.PARTNERS,
        sessions=3,
        session_interval_days=7,
        min_notice_hours=0,
    )
    opening(coaching, agent=agent, weekday=0, opens=(9, 0), closes=(10, 0))
    # Someone's series holds the Mondays 21, 28 and 35 days away: a series from day 7 would need day 21.
    third = at(MONDAY + datetime.timedelta(days=21), 9)
    services.appointment_book(motif=coaching, start=third, who=SARAH, via=BookedVia.COUNTER, by=agent, now=NOW)
    with pytest.raises(services.BookingError, match="La séance 3"):
        services.appointment_book(
            motif=coaching,
            start=at(MONDAY + datetime.timedelta(days=7), 9),
            who=SARAH,
            via=BookedVia.COUNTER,
            by=agent,
            now=NOW,
        )
    assert Appointment.objects.filter(motif=coaching).count() == 3  # the first series, nothing of the second
    first = services.appointment_book(
        motif=coaching,
        start=at(MONDAY + datetime.timedelta(days=42), 9),
        who=SARAH,
        via=BookedVia.COUNTER,
        by=agent,
        now=NOW,
    )
    series = Appointment.objects.filter(series=first.series).order_by("starts_at")
    assert [a.series_index for a in series] == [1, 2, 3]
    assert [a.starts_at.date() for a in series] == [MONDAY + datetime.timedelta(days=d) for d in (42, 49, 56)]


def test_a_freed_slot_goes_to_three_people_and_the_first_to_accept_gets_it(booth):
    taken = services.appointment_book(motif=booth, start=at(TUESDAY, 9), who=SARAH, via=BookedVia.ONLINE, now=NOW)
    entries = [
        services.waitlist_join(motif=booth, who={**SARAH, "first_name": name, "phone": f"06 00 00 00 0{i}"}, now=NOW)
        for i, name in enumerate(["Ana", "Bea", "Cid", "Dan"])
    ]
    services.appointment_cancel(appointment=taken, reason="empêchée", now=NOW)
    offers = list(SlotOffer.objects.filter(freed=taken).order_by("entry__created_at", "pk"))
    assert [o.entry.first_name for o in offers] == ["Ana", "Bea", "Cid"]  # three at most, oldest first
    sent = list(OutgoingMessage.objects.filter(key__startswith="rdv-offre:"))
    assert len(sent) == 3
    second = services.offer_accept(offer=offers[1], now=NOW)
    assert (
        second.starts_at == at(TUESDAY, 9) and second.first_name == "Bea" and second.booked_via == BookedVia.WAITLIST
    )
    with pytest.raises(services.BookingError, match="avant vous"):
        services.offer_accept(offer=SlotOffer.objects.get(pk=offers[0].pk), now=NOW)
    statuses = dict(SlotOffer.objects.filter(freed=taken).values_list("entry__first_name", "status"))
    assert statuses == {"Ana": OfferStatus.TAKEN, "Bea": OfferStatus.ACCEPTED, "Cid": OfferStatus.TAKEN}
    assert [e.status for e in entries] == [WaitStatus.WAITING] * 4  # (as loaded)
    entries[1].refresh_from_db()
    assert entries[1].status == WaitStatus.BOOKED
    assert not links.usable_for(offers[2], services.OFFER_PURPOSE).exists()


def test_reminders_two_days_and_two_hours_before_once_never_late(booth, clock):
    early = services.appointment_book(
        motif=booth, start=at(TUESDAY + datetime.timedelta(days=7), 9), who=SARAH, via=BookedVia.ONLINE, now=NOW
    )
    soon = services.appointment_book(motif=booth, start=at(TUESDAY, 11), who=SARAH, via=BookedVia.ONLINE, now=NOW)
    keys = lambda: sorted(OutgoingMessage.objects.filter(key__startswith="rdv-rappel:").values_list("key", flat=True))  # noqa: E731
    # Monday 8 h: the appointment of tomorrow was booked within two days: the confirmation was its reminder.
    assert services.send_reminders(now=NOW) == 0
    # Two days before next Tuesday's 9 h: its early reminder, once.
    sunday = at(TUESDAY + datetime.timedelta(days=5), 9, 5)
    assert services.send_reminders(now=sunday) == 1
    assert services.send_reminders(now=sunday + datetime.timedelta(minutes=10)) == 0
    # Tuesday 7 h 10: the two-hour reminder of 9 h; Tuesday 11 h (booked on Monday 8 h, more than two hours before).
    assert services.send_reminders(now=at(TUESDAY, 9, 10)) == 1  # 11 h
    assert services.send_reminders(now=at(TUESDAY + datetime.timedelta(days=7), 7, 10)) == 1
    assert keys() == [
        f"rdv-rappel:{early.pk}:reminded_early_at:sms",
        f"rdv-rappel:{early.pk}:reminded_late_at:sms",
        f"rdv-rappel:{soon.pk}:reminded_late_at:sms",
    ]
    # Never after the appointment: a reminder due but sent late (a worker down) expires instead.
    late = OutgoingMessage.objects.get(key=f"rdv-rappel:{soon.pk}:reminded_late_at:sms")
    assert late.send_before == soon.starts_at


def test_an_absence_cancels_what_it_covers_and_offers_a_new_slot(booth):
    team = get_user_model().objects.get(email="agent.franceservices@demo.carteblanche.fr")
    kept = services.appointment_book(motif=booth, start=at(TUESDAY, 11), who=SARAH, via=BookedVia.ONLINE, now=NOW)
    covered = services.appointment_book(
        motif=booth, start=at(TUESDAY, 9), who={**SARAH, "phone": "06 98 76 54 32"}, via=BookedVia.ONLINE, now=NOW
    )
    resource = Resource.objects.get(name="Cabine test")
    absence = Absence(
        territory=booth.territory,
        resource=resource,
        starts_at=at(TUESDAY, 8),
        ends_at=at(TUESDAY, 10),
        reason="Réparation",
    )
    assert list(
        services.covered_by(calendar=resource.calendar, starts_at=absence.starts_at, ends_at=absence.ends_at)
    ) == [covered]
    _, concerned = services.absence_add(absence=absence, by=team, now=NOW)
    assert concerned == [covered]
    covered.refresh_from_db()
    kept.refresh_from_db()
    assert (covered.status, kept.status) == (Status.CANCELLED, Status.BOOKED)
    message = OutgoingMessage.objects.get(key=f"rdv-absence:{covered.pk}:sms")
    assert message.status == "envoye" or message.recipient == ""
    # Her link opens the slots of the same motif; she takes 10 h 20.
    token = links.issue(
        purpose=services.MANAGE_PURPOSE, target=covered, lifetime=datetime.timedelta(days=2), single_use=False
    )
    assert services.appointment_for(token) == covered
    new = services.appointment_rebook(appointment=covered, start=at(TUESDAY, 10, 20), now=NOW)
    assert new.is_open and new.phone == covered.phone
    assert services.appointment_for(token) is None


def test_a_seen_appointment_sends_the_survey_and_feeds_the_published_results(
    booth, django_capture_on_commit_callbacks
):
    structure = Structure.objects.create(territory=demo_territory(), name="Cabine (test)", kind=StructureKind.BOOTH)
    booth.structure = structure
    booth.save()
    agent = get_user_model().objects.get(email="agent.franceservices@demo.carteblanche.fr")
    seen = services.appointment_book(motif=booth, start=at(TUESDAY, 9), who=SARAH, via=BookedVia.ONLINE, now=NOW)
    missed = services.appointment_book(motif=booth, start=at(TUESDAY, 9, 40), who=SARAH, via=BookedVia.ONLINE, now=NOW)
    with pytest.raises(services.BookingError, match="le jour venu"):
        services.appointment_mark(appointment=seen, status=Status.SEEN, by=agent, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_mark(appointment=seen, status=Status.SEEN, by=agent, now=at(TUESDAY, 9, 35))
    services.appointment_mark(appointment=missed, status=Status.NO_SHOW, by=agent, now=at(TUESDAY, 10, 30))
    assert OutgoingMessage.objects.filter(key=f"avis:bookings.appointment:{seen.pk}").exists()
    result = results_for([structure], today=TUESDAY)[structure.pk].current
    assert (result["rendez_vous"].n, result["lapins"].hits, result["lapins"].n) == (1, 1, 2)
    assert result["premier_creneau"].n == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("sqlite" in connection.settings_dict["ENGINE"], reason="connexions simultanées : PostgreSQL")
def test_the_last_slot_goes_to_exactly_one_of_many_at_once(reload_demo, place):
    territory, organisation, site = place
    resource = Resource.objects.create(
        territory=territory, organisation=organisation, name="Cabine (course)", site=site
    )
    motif = Motif.objects.create(
        territory=territory,
        organisation=organisation,
        name="Course",
        duration_minutes=30,
        audience=Audience.RESIDENTS,
        min_notice_hours=0,
    )
    opening(motif, resource=resource, weekday=1, opens=(9, 0), closes=(9, 30))
    (slot,) = slots.free_slots(motif, first=TUESDAY, last=TUESDAY, now=NOW)
    outcomes, barrier = [], threading.Barrier(10)

    def book():
        barrier.wait()
        try:
            services.appointment_book(
                motif=motif, start=slot.starts_at, who=SARAH, via=BookedVia.ONLINE, now=NOW, confirm=False
            )
            outcomes.append("pris")
        except services.BookingError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["pris"] + [services.TAKEN] * 9)
    assert Appointment.objects.filter(motif=motif, status=Status.BOOKED).count() == 1
