"""Free slots: recurrence, buffers, absences, collective capacity, booking delays, the change of time."""

import datetime

import pytest

from carteblanche.bookings import services, slots
from carteblanche.bookings.enums import Audience, BookedVia, Recurrence
from carteblanche.bookings.models import Absence, Motif, Resource

from .conftest import MONDAY, SARAH, at, opening

TUESDAY = MONDAY + datetime.timedelta(days=1)
NOW = at(MONDAY, 8)


def starts(found):
    return [s.local.strftime("%d %H:%M") for s in found]


def test_a_morning_is_cut_into_slots_of_the_duration_plus_the_buffer(booth):
    found = slots.free_slots(booth, first=TUESDAY, last=TUESDAY, now=NOW)
    # 30 minutes and 10 of cleaning: 9 h, 9 h 40, 10 h 20, 11 h; 11 h 40 would end after noon.
    assert starts(found) == ["12 09:00", "12 09:40", "12 10:20", "12 11:00"]
    assert all(s.ends_at - s.starts_at == datetime.timedelta(minutes=30) for s in found)


def test_a_booked_slot_holds_its_buffer_and_nothing_else(booth):
    services.appointment_book(motif=booth, start=at(TUESDAY, 9, 40), who=SARAH, via=BookedVia.ONLINE, now=NOW)
    assert starts(slots.free_slots(booth, first=TUESDAY, last=TUESDAY, now=NOW)) == [
        "12 09:00",
        "12 10:20",
        "12 11:00",
    ]
    # Another motif of the same booth cannot overlap the booked slot or its cleaning (9 h 40 – 10 h 20).
    other = Motif.objects.create(
        territory=booth.territory,
        organisation=booth.organisation,
        name="Bilan numérique",
        duration_minutes=15,
        audience=Audience.RESIDENTS,
        min_notice_hours=0,
    )
    resource = Resource.objects.get(name="Cabine test")
    opening(other, resource=resource, weekday=1, opens=(9, 20), closes=(10, 40))
    assert starts(slots.free_slots(other, first=TUESDAY, last=TUESDAY, now=NOW)) == ["12 09:20", "12 10:20"]


def test_every_two_weeks_means_one_week_out_of_two(booth):
    schedule = booth.schedules.get()
    schedule.recurrence = Recurrence.FORTNIGHTLY
    schedule.first_date = TUESDAY
    schedule.save()
    found = slots.free_slots(booth, first=MONDAY, last=MONDAY + datetime.timedelta(days=27), now=NOW)
    assert sorted({s.local.date() for s in found}) == [TUESDAY, TUESDAY + datetime.timedelta(days=14)]


def test_a_schedule_ends_on_its_last_date(booth):
    schedule = booth.schedules.get()
    schedule.last_date = TUESDAY + datetime.timedelta(days=7)
    schedule.save()
    found = slots.free_slots(booth, first=MONDAY, last=MONDAY + datetime.timedelta(days=27), now=NOW)
    assert sorted({s.local.date() for s in found}) == [TUESDAY, TUESDAY + datetime.timedelta(days=7)]


def test_an_absence_closes_the_slots_it_overlaps(booth):
    resource = Resource.objects.get(name="Cabine test")
    Absence.objects.create(
        territory=booth.territory,
        resource=resource,
        starts_at=at(TUESDAY, 9, 30),
        ends_at=at(TUESDAY, 10, 30),
        reason="Réparation",
    )
    # 9 h – 9 h 30 ends as the absence starts; 9 h 40 and 10 h 20 fall in it.
    assert starts(slots.free_slots(booth, first=TUESDAY, last=TUESDAY, now=NOW)) == ["12 09:00", "12 11:00"]


def test_the_booking_delays_of_the_motif(booth):
    # At 8 h 30 on Tuesday, two hours' notice leaves 11 h only; an agent at the counter may still book 9 h 00.
    morning = at(TUESDAY, 8, 30)
    assert starts(slots.free_slots(booth, first=TUESDAY, last=TUESDAY, now=morning)) == ["12 11:00"]
    assert (
        starts(slots.free_slots(booth, first=TUESDAY, last=TUESDAY, now=morning, respect_notice=False))[0]
        == "12 09:00"
    )
    # Four weeks ahead at most for residents.
    far = slots.free_slots(booth, first=MONDAY, last=MONDAY + datetime.timedelta(days=60), now=NOW)
    assert max(s.local.date() for s in far) <= MONDAY + datetime.timedelta(days=28)


def test_a_collective_slot_counts_its_seats(place):
    territory, organisation, _ = place
    workshop = Motif.objects.create(
        territory=territory,
        organisation=organisation,
        name="Atelier (test)",
        duration_minutes=120,
        capacity=3,
        audience=Audience.RESIDENTS,
    )
    from django.contrib.auth import get_user_model

    agent = get_user_model().objects.get(email="agent.franceservices@demo.carteblanche.fr")
    opening(workshop, agent=agent, weekday=3, opens=(14, 0), closes=(16, 0))
    thursday = MONDAY + datetime.timedelta(days=3)
    for left in (3, 2, 1):
        (slot,) = slots.free_slots(workshop, first=thursday, last=thursday, now=NOW)
        assert slot.seats_left == left
        services.appointment_book(motif=workshop, start=slot.starts_at, who=SARAH, via=BookedVia.ONLINE, now=NOW)
    assert slots.free_slots(workshop, first=thursday, last=thursday, now=NOW) == []
    with pytest.raises(services.BookingError, match="vient d'être pris"):
        services.appointment_book(motif=workshop, start=at(thursday, 14), who=SARAH, via=BookedVia.ONLINE, now=NOW)


def test_slots_keep_their_wall_clock_time_across_the_change_of_time(booth):
    # Clocks go forward on Sunday 28 March 2027: 9 h is 8 h UTC before, 7 h UTC after.
    before, after = datetime.date(2027, 3, 23), datetime.date(2027, 3, 30)
    now = at(datetime.date(2027, 3, 15), 8)
    found = slots.free_slots(booth, first=before, last=after, now=now)
    firsts = [s for s in found if s.local.strftime("%H:%M") == "09:00"]
    assert [s.starts_at.strftime("%d %H:%M") for s in firsts] == ["23 08:00", "30 07:00"]


def test_a_time_that_does_not_exist_has_no_slot(booth):
    sunday = datetime.date(2027, 3, 28)
    resource = Resource.objects.get(name="Cabine test")
    opening(booth, resource=resource, weekday=6, opens=(1, 0), closes=(4, 0))
    found = slots.free_slots(booth, first=sunday, last=sunday, now=at(datetime.date(2027, 3, 20), 8))
    # 1 h, 1 h 40, then 2 h 20 does not exist that night (2 h → 3 h): the next is 3 h 00 (the grid in real time).
    assert all(s.local.hour != 2 for s in found)
    assert len({s.starts_at for s in found}) == len(found)


def test_two_bookings_of_one_slot_one_wins(booth):
    services.appointment_book(motif=booth, start=at(TUESDAY, 9), who=SARAH, via=BookedVia.ONLINE, now=NOW)
    with pytest.raises(services.BookingError, match="vient d'être pris"):
        services.appointment_book(motif=booth, start=at(TUESDAY, 9), who=SARAH, via=BookedVia.ONLINE, now=NOW)
