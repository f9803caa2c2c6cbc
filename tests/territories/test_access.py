import math

import pytest

from carteblanche.territories import access
from carteblanche.territories.selectors import territory_access
from tests.factories import CommuneFactory, OpeningPeriodFactory, ServiceSiteFactory, TerritoryFactory


def test_haversine_matches_a_hand_computed_distance():
    # One degree of latitude along a meridian: 2πR / 360 = 111.19 km.
    assert access.haversine_km(44.0, 1.0, 45.0, 1.0) == pytest.approx(2 * math.pi * 6371 / 360, rel=1e-9)
    # Cahors (44.4475, 1.4410) to Figeac (44.6086, 2.0317), by hand: Δφ = 0.1611° → 17.91 km,
    # Δλ·cos φ̄ = 0.5907° × 0.7128 → 46.82 km, √(17.91² + 46.82²) = 50.13 km.
    assert access.haversine_km(44.4475, 1.4410, 44.6086, 2.0317) == pytest.approx(50.135, abs=0.001)


def test_nearest_site_open_that_day_with_road_estimate():
    """Hand-computed case: a commune 0.1° north of one site and 0.2° north of another.

    d = 0.1° of meridian = 11.119 km ; road = 1.3 × d = 14.455 km ; time = road / 50 km/h = 17.3 min.
    On Monday both sites are open: the nearer one wins. On Tuesday only the far one opens.
    On Sunday none: the commune has no site.
    """
    village = CommuneFactory(name="Village", latitude=44.3, longitude=1.5, population=800)
    near = ServiceSiteFactory(name="Proche", commune__latitude=44.2, commune__longitude=1.5)
    far = ServiceSiteFactory(name="Lointain", commune__latitude=44.1, commune__longitude=1.5)
    OpeningPeriodFactory(site=near, weekday=0)
    OpeningPeriodFactory(site=far, weekday=0)
    OpeningPeriodFactory(site=far, weekday=1)
    sites = [near, far]

    monday = access.compute_access([village], sites, 0)[0]
    assert monday.site == near
    assert monday.straight_km == pytest.approx(11.119, abs=0.001)
    assert monday.road_km == pytest.approx(14.455, abs=0.001)
    assert monday.minutes == pytest.approx(17.35, abs=0.01)
    assert monday.band.label == "10 à 20 km"

    tuesday = access.compute_access([village], sites, 1)[0]
    assert tuesday.site == far
    assert tuesday.road_km == pytest.approx(28.910, abs=0.001)
    assert tuesday.band.label == "20 à 30 km"

    sunday = access.compute_access([village], sites, 6)[0]
    assert sunday.site is None and sunday.road_km is None
    assert access.population_beyond([monday], 20) == 0
    assert access.population_beyond([tuesday], 20) == 800
    assert access.population_beyond([sunday], 20) == 800


def test_territory_table_sorts_by_every_column():
    a = CommuneFactory(name="Aubrac", latitude=44.30, longitude=1.5, population=10)
    b = CommuneFactory(name="Bélaye", latitude=44.25, longitude=1.5, population=30)
    c = CommuneFactory(name="Cénevières", latitude=44.50, longitude=1.5, population=20)
    territory = TerritoryFactory(communes=[a, b, c])
    site = ServiceSiteFactory(commune__latitude=44.2, commune__longitude=1.5, commune__population=5)
    OpeningPeriodFactory(site=site, weekday=2)
    names = lambda result: [r.commune.name for r in result.rows]  # noqa: E731
    assert names(territory_access(territory, 2, "route")) == ["Bélaye", "Aubrac", "Cénevières"]
    assert names(territory_access(territory, 2, "route", descending=True)) == ["Cénevières", "Aubrac", "Bélaye"]
    assert names(territory_access(territory, 2, "population")) == ["Aubrac", "Cénevières", "Bélaye"]
    assert names(territory_access(territory, 2, "commune", descending=True)) == ["Cénevières", "Bélaye", "Aubrac"]
    assert territory_access(territory, 2).population == 60


def test_a_bus_at_its_base_does_not_count_as_a_site_nearby():
    village = CommuneFactory(latitude=44.3, longitude=1.5)
    bus = ServiceSiteFactory(is_mobile=True, commune__latitude=44.3, commune__longitude=1.5)
    fixed = ServiceSiteFactory(commune__latitude=44.2, commune__longitude=1.5)
    OpeningPeriodFactory(site=bus, weekday=0)
    OpeningPeriodFactory(site=fixed, weekday=0)
    assert access.compute_access([village], [bus, fixed], 0)[0].site == fixed


def test_communes_without_an_open_site_stay_last_in_both_directions():
    near = CommuneFactory(name="Proche", latitude=44.21, longitude=1.5)
    far = CommuneFactory(name="Loin", latitude=44.5, longitude=1.5)
    territory = TerritoryFactory(communes=[near, far])
    site = ServiceSiteFactory(commune__latitude=44.2, commune__longitude=1.5)
    OpeningPeriodFactory(site=site, weekday=3)
    # On Thursday both have a site; on Sunday none does: the order then keeps them all, none first.
    assert [r.commune.name for r in territory_access(territory, 3, "route", descending=True).rows] == [
        "Loin",
        "Proche",
    ]
    sunday = territory_access(territory, 6, "route", descending=True).rows
    assert all(r.site is None for r in sunday) and len(sunday) == 2
