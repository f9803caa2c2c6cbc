"""Ranking volunteer drivers for a ride (pure functions)."""

import datetime
import math
import zoneinfo

import pytest

from carteblanche.mobility.matching import (
    FAIRNESS_KM,
    PREFERRED_KM,
    DriverInfo,
    RequestInfo,
    half_days,
    match_all,
    rank,
    road_km,
    why_not,
)

pytestmark = pytest.mark.no_database  # plain data: CI runs it on SQLite only

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CAHORS = (44.4475, 1.4419)
LALBENQUE = (44.3386, 1.5467)
VAYLATS = (44.3322, 1.6528)
FIGEAC = (44.6086, 2.0317)
TUESDAY = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)


def request(**kwargs):
    values = {
        "id": 1,
        "origin": VAYLATS,
        "destination": CAHORS,
        "start": TUESDAY,
        "end": TUESDAY + datetime.timedelta(hours=2),
    }
    values.update(kwargs)
    return RequestInfo(**values)


def driver(id, home, **kwargs):
    values = {"perimeter_km": 40, "availability": frozenset({"1-am", "1-pm"})}
    values.update(kwargs)
    return DriverInfo(id, home[0], home[1], **values)


def test_half_days_spanned_by_a_ride():
    assert half_days(TUESDAY, TUESDAY + datetime.timedelta(hours=1)) == {"1-am"}
    assert half_days(TUESDAY, TUESDAY + datetime.timedelta(hours=4)) == {"1-am", "1-pm"}
    afternoon = TUESDAY.replace(hour=14)
    assert half_days(afternoon, afternoon + datetime.timedelta(hours=2)) == {"1-pm"}


def test_a_ride_across_midnight_spans_the_evening_and_the_next_morning():
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    # Saturday 27 March 2027, 23:30, to Sunday 00:45: the night clocks go forward (local times, as the rides give).
    evening = datetime.datetime(2027, 3, 27, 23, 30, tzinfo=paris)
    assert half_days(evening, datetime.datetime(2027, 3, 28, 0, 45, tzinfo=paris)) == {"5-pm", "6-am"}
    # Thursday 31 December 2026 to Friday 1 January 2027: the weekday codes follow the calendar, not the year.
    new_year = datetime.datetime(2026, 12, 31, 22, 0, tzinfo=paris)
    assert half_days(new_year, datetime.datetime(2027, 1, 1, 9, 0, tzinfo=paris)) == {"3-pm", "4-am"}


def test_the_nearest_available_driver_comes_first():
    ranked = rank(request(destination=LALBENQUE), [driver(1, CAHORS), driver(2, VAYLATS)])
    assert [c.driver for c in ranked] == [2, 1]
    assert ranked[0].km < ranked[1].km


def test_availability_perimeter_wheelchair_and_overlap_exclude_drivers():
    drivers = [
        driver(1, LALBENQUE, availability=frozenset({"2-am"})),  # not on Tuesdays
        driver(2, FIGEAC),  # Vaylats and Cahors are beyond 40 km of Figeac
        driver(3, LALBENQUE, busy=[(TUESDAY + datetime.timedelta(hours=1), TUESDAY + datetime.timedelta(hours=3))]),
        driver(4, CAHORS),
    ]
    assert [c.driver for c in rank(request(), drivers)] == [4]
    assert rank(request(wheelchair=True), drivers) == []
    drivers.append(driver(5, CAHORS, wheelchair=True))
    assert [c.driver for c in rank(request(wheelchair=True), drivers)] == [5]


def test_fairness_spreads_the_load_between_volunteers():
    near, far = driver(1, VAYLATS), driver(2, CAHORS)
    first, second = rank(request(destination=LALBENQUE), [near, far])
    assert first.driver == 1
    # Enough rides this month to outweigh the extra kilometres: the other volunteer drives.
    near.recent_rides = math.ceil((second.km - first.km) / FAIRNESS_KM) + 1
    assert rank(request(destination=LALBENQUE), [near, far])[0].driver == 2


def test_the_passenger_preferred_driver_wins_between_close_candidates():
    a, b = driver(1, LALBENQUE), driver(2, (44.336, 1.60))  # two neighbours, the second a little closer
    ranked = rank(request(), [a, b])
    assert abs(ranked[0].km - ranked[1].km) < PREFERRED_KM
    for preferred in (1, 2):
        first = rank(request(preferred=preferred), [a, b])[0]
        assert first.driver == preferred and first.preferred


def test_drivers_already_asked_are_not_asked_again():
    assert [c.driver for c in rank(request(excluded=frozenset({2})), [driver(1, CAHORS), driver(2, LALBENQUE)])] == [1]


def test_a_batch_spreads_rides_over_volunteers_and_never_double_books():
    drivers = [driver(1, LALBENQUE), driver(2, CAHORS)]
    requests = [request(id=i) for i in range(1, 4)]  # three rides at the same time
    result = match_all(requests, drivers, limit=1)
    firsts = [result[i][0].driver if result[i] else None for i in (1, 2, 3)]
    assert set(firsts[:2]) == {1, 2} and firsts[2] is None


def test_a_return_trip_counts_the_legs_with_the_passenger_and_the_ways_there_and_back_once():
    # The driver lives at the departure: a 25-odd km trip there and back is about twice the leg, not four times.
    ride = request(origin=LALBENQUE, destination=CAHORS)
    leg = road_km(LALBENQUE, CAHORS)
    at_home = rank(ride, [driver(1, LALBENQUE)])[0]
    assert math.isclose(at_home.km, 2 * leg, abs_tol=0.1)
    one_way = rank(request(origin=LALBENQUE, destination=CAHORS, round_trip=False), [driver(1, LALBENQUE)])[0]
    assert math.isclose(one_way.km, 2 * leg, abs_tol=0.1)  # there, then back home alone
    # From Cahors: to Lalbenque, the two legs, back from Lalbenque.
    from_cahors = rank(ride, [driver(2, CAHORS)])[0]
    assert math.isclose(from_cahors.km, 4 * leg, abs_tol=0.1)


def test_each_driver_left_out_is_told_why():
    ride = request(wheelchair=False)
    assert why_not(ride, driver(1, FIGEAC)).startswith("Le départ est à ")
    assert "au-delà de son périmètre (40 km)" in why_not(ride, driver(1, FIGEAC))
    assert why_not(ride, driver(1, CAHORS, availability=frozenset({"2-am"}))) == "Pas disponible le mardi matin."
    assert why_not(request(wheelchair=True), driver(1, CAHORS)) == "Son véhicule ne prend pas de fauteuil roulant."
    busy = driver(1, CAHORS, busy=[(TUESDAY, TUESDAY + datetime.timedelta(hours=1))])
    assert why_not(ride, busy) == "Déjà pris par un autre trajet de 9 h 30 à 10 h 30."
    assert why_not(request(excluded=frozenset({1})), driver(1, CAHORS)) == "Déjà sollicité pour ce trajet."
    assert why_not(ride, driver(1, CAHORS)) == ""
