import datetime

import pytest

from carteblanche.bookings.enums import Audience, Recurrence
from carteblanche.bookings.models import PARIS, Motif, Resource, Schedule
from carteblanche.core.throttle import cache as throttle_cache
from carteblanche.territories.models import Organisation, ServiceSite
from tests.demo import demo_territory

# A Monday far from any change of time: every test of this folder sets its own clock.
MONDAY = datetime.date(2027, 1, 11)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    throttle_cache.clear()


@pytest.fixture
def place():
    territory = demo_territory()
    organisation = Organisation.objects.get(territory=territory, name="Grand Cahors (communauté d'agglomération)")
    site = ServiceSite.objects.get(external_id="fs-606")
    return territory, organisation, site


@pytest.fixture
def booth(place):
    territory, organisation, site = place
    resource = Resource.objects.create(territory=territory, organisation=organisation, name="Cabine test", site=site)
    motif = Motif.objects.create(
        territory=territory,
        organisation=organisation,
        name="Téléconsultation (test)",
        duration_minutes=30,
        buffer_minutes=10,
        audience=Audience.RESIDENTS,
        min_notice_hours=2,
        max_notice_days=28,
        no_health_data=True,
    )
    opening(motif, resource=resource, weekday=1, opens=(9, 0), closes=(12, 0))
    return motif


def opening(
    motif, *, weekday, opens, closes, resource=None, agent=None, recurrence=Recurrence.WEEKLY, first=None, last=None
):
    schedule = Schedule.objects.create(
        territory=motif.territory,
        organisation=motif.organisation,
        resource=resource,
        agent=agent,
        site=ServiceSite.objects.get(external_id="fs-606"),
        weekday=weekday,
        start=datetime.time(*opens),
        end=datetime.time(*closes),
        recurrence=recurrence,
        first_date=first or MONDAY - datetime.timedelta(days=14) + datetime.timedelta(days=weekday),
        last_date=last,
    )
    schedule.motifs.add(motif)
    return schedule


SARAH = {"first_name": "Sarah", "last_name": "Lacombe", "phone": "06 12 34 56 78", "email": ""}
