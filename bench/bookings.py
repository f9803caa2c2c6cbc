#!/usr/bin/env python
"""Benchmark: free slots of a motif over 8 weeks across 20 agents and 5 sites, and 50 bookings of the last slot at
the same instant.

    .venv/bin/python bench/bookings.py [--repeat 30] [--agents 20] [--sites 5] [--attempts 50]
                                       [--database sqlite|postgresql|both]

On a fresh database with the demo, a motif « Aide à une démarche » is opened by ``--agents`` agents spread over
``--sites`` sites, each on two half-days a week, a third of their slots already booked. Measured: the free slots of
8 weeks (``slots.free_slots``, three queries and the arithmetic), ``--repeat`` times. Then a motif with a single
slot left is booked by ``--attempts`` threads released at once, each through ``services.appointment_book`` on its
own connection: the database's unique holds must let exactly one through. Last line:
``slots_p95_ms=P concurrent_attempts=N concurrent_winners=W``.
"""

import argparse
import datetime
import random
import sys
import threading
import time

from common import percentile, run_per_database, setup_django

WHO = {"first_name": "Camille", "last_name": "Banc", "phone": "06 00 00 00 00", "email": ""}


def _setup(agents: int, sites: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from carteblanche.bookings import slots
    from carteblanche.bookings.enums import Audience
    from carteblanche.bookings.models import Appointment, Motif, Schedule, SlotHold
    from carteblanche.territories.models import Organisation, ServiceSite, Territory

    territory = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    organisation = Organisation.objects.get(territory=territory, name="CAF du Lot")
    places = list(ServiceSite.objects.in_territory(territory).order_by("pk")[:sites])
    motif = Motif.objects.create(
        territory=territory,
        organisation=organisation,
        name="Aide à une démarche (banc)",
        duration_minutes=30,
        audience=Audience.RESIDENTS,
        min_notice_hours=0,
    )
    users = get_user_model().objects
    today = timezone.localdate()
    rng = random.Random(17)
    for i in range(agents):
        agent = users.create_user(email=f"agent{i}@banc.carteblanche.fr", password="x")
        for weekday in rng.sample(range(5), 2):
            schedule = Schedule.objects.create(
                territory=territory,
                organisation=organisation,
                agent=agent,
                site=places[i % len(places)],
                weekday=weekday,
                start=datetime.time(9),
                end=datetime.time(12),
                first_date=today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=weekday),
            )
            schedule.motifs.add(motif)
    now = timezone.now()
    found = slots.free_slots(motif, first=today, last=today + datetime.timedelta(days=55), now=now)
    holds = []
    for slot in rng.sample(found, len(found) // 3):
        appointment = Appointment.objects.create(
            territory=territory,
            motif=motif,
            agent_id=slot.agent_id,
            site_id=slot.site_id,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            booked_via="en_ligne",
            **WHO,
        )
        holds += [
            SlotHold(appointment=appointment, calendar=slot.calendar, at=at)
            for at in slots.blocks(slot.starts_at, slot.ends_at)
        ]
    SlotHold.objects.bulk_create(holds)
    return motif, territory, organisation, places[0], len(found)


def _race(territory, organisation, site, attempts: int) -> int:
    from django.db import connection
    from django.utils import timezone

    from carteblanche.bookings import services, slots
    from carteblanche.bookings.enums import Audience, BookedVia
    from carteblanche.bookings.models import Motif, Resource, Schedule

    resource = Resource.objects.create(territory=territory, organisation=organisation, name="Cabine (banc)", site=site)
    motif = Motif.objects.create(
        territory=territory,
        organisation=organisation,
        name="Dernier créneau (banc)",
        duration_minutes=30,
        audience=Audience.RESIDENTS,
        min_notice_hours=0,
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    schedule = Schedule.objects.create(
        territory=territory,
        organisation=organisation,
        resource=resource,
        site=site,
        weekday=tomorrow.weekday(),
        start=datetime.time(9),
        end=datetime.time(9, 30),
        first_date=tomorrow,
    )
    schedule.motifs.add(motif)
    (slot,) = slots.free_slots(motif, first=tomorrow, last=tomorrow, now=timezone.now())
    winners, errors, barrier = [], [], threading.Barrier(attempts)

    def book():
        try:
            barrier.wait()
            services.appointment_book(motif=motif, start=slot.starts_at, who=WHO, via=BookedVia.ONLINE, confirm=False)
            winners.append(1)
        except services.BookingError as error:
            errors.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = set(errors)
    print(f"refus : {len(errors)} ({' / '.join(sorted(messages))})")
    return len(winners)


def child(repeat: int, agents: int, sites: int, attempts: int) -> None:
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from carteblanche.bookings import slots

    motif, territory, organisation, site, offered = _setup(agents, sites)
    print(f"base : {connection.vendor} — {agents} agents, {sites} lieux, {offered} créneaux en 8 semaines, 1/3 pris")
    today = timezone.localdate()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        found = slots.free_slots(motif, first=today, last=today + datetime.timedelta(days=55), now=timezone.now())
        timings.append((time.perf_counter() - start) * 1000)
    print(f"créneaux libres trouvés : {len(found)} ; médiane {sorted(timings)[len(timings) // 2]:.1f} ms")
    winners = _race(territory, organisation, site, attempts)
    print(f"slots_p95_ms={percentile(timings, 95):.1f} concurrent_attempts={attempts} concurrent_winners={winners}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--sites", type=int, default=5)
    parser.add_argument("--attempts", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.repeat, args.agents, args.sites, args.attempts)
        return 0
    extra = ["--repeat", str(args.repeat), "--agents", str(args.agents), "--sites", str(args.sites)]
    return run_per_database(__file__, args.database, [*extra, "--attempts", str(args.attempts)])


if __name__ == "__main__":
    sys.exit(main())
