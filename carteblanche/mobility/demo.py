"""The demo bus of the Cahors living area: the France services bus based in Cahors, sixteen candidate stops in the
communes farthest from a fixed site, and a published plan computed by the solver."""

import datetime

from django.utils import timezone

from carteblanche.territories.models import Commune, ServiceSite

from . import services
from .enums import HALF_DAYS, Frequency
from .models import Bus, CandidateStop, Shift

ALL_HALF_DAYS = [code for code, _, _ in HALF_DAYS]
# (INSEE code, place, frequency, allowed half-days or None for all)
DEMO_STOPS = [
    ("46148", "Place du marché", Frequency.WEEKLY, ["1-am", "1-pm"]),
    ("46064", "Place de la mairie", Frequency.WEEKLY, ["1-am", "3-am"]),
    ("46103", "Place de l'église", Frequency.WEEKLY, None),
    ("46073", "Place de la mairie", Frequency.WEEKLY, None),
    ("46329", "Parking de la salle des fêtes", Frequency.WEEKLY, ["0-am", "0-pm", "2-am", "2-pm", "4-am"]),
    ("46205", "Place de la mairie", Frequency.WEEKLY, None),
    ("46256", "Place du Sombral", Frequency.FORTNIGHTLY, ["2-am", "2-pm", "4-am", "4-pm"]),
    ("46252", "Mairie de Saint-Martin-de-Vers", Frequency.FORTNIGHTLY, None),
    ("46320", "Place de la mairie", Frequency.FORTNIGHTLY, None),
    ("46316", "Place de la halle", Frequency.FORTNIGHTLY, None),
    ("46013", "Place de la mairie", Frequency.FORTNIGHTLY, None),
    ("46276", "Place de la mairie", Frequency.FORTNIGHTLY, None),
    ("46119", "Place de la mairie", Frequency.FORTNIGHTLY, None),
    ("46040", "Place de la mairie", Frequency.FORTNIGHTLY, None),
    ("46091", "Place de la mairie", Frequency.FORTNIGHTLY, None),
    ("46162", "Place de la mairie", Frequency.FORTNIGHTLY, None),
]


def load_demo_bus(territory, *, team_member=None, today: datetime.date) -> bool:
    if Bus.objects.filter(territory=territory).exists():
        return False
    config = services.settings_for(territory)
    config.solve_seconds = 3
    # The real bus's phone, from the France services register (site fs-262), when the sites are loaded.
    real_bus = ServiceSite.objects.filter(external_id="fs-262").first()
    config.contact_phone = real_bus.phone if real_bus else ""
    config.save()
    bus = Bus.objects.create(
        territory=territory,
        name="Bus France services du Grand Cahors",
        depot="Hôtel Wilson, 72 rue du Président Wilson, Cahors",
        depot_latitude=44.44622,
        depot_longitude=1.439927,
    )
    for weekday in range(5):
        Shift.objects.create(
            bus=bus,
            weekday=weekday,
            start=datetime.time(8, 30),
            end=datetime.time(17, 45),
            break_start=datetime.time(12, 30),
            break_end=datetime.time(13, 30),
            max_hours=8.5,
        )
    communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=[s[0] for s in DEMO_STOPS])}
    for code, place, frequency, half_days in DEMO_STOPS:
        commune = communes[code]
        CandidateStop.objects.create(
            territory=territory,
            commune=commune,
            place=place,
            latitude=commune.latitude,
            longitude=commune.longitude,
            frequency=frequency,
            half_days=half_days or ALL_HALF_DAYS,
        )
    # One second finds this plan (20 half-days for 22 groups) on every seed tried; the team's runs take 3.
    plan = services.make_plan(
        territory, period_start=today - datetime.timedelta(days=today.weekday()), user=team_member, seconds=1
    )
    services.publish(plan, team_member)
    return True


# (first name, last name, INSEE code of home, vehicle, perimeter km, availability, wheelchair, checked)
DEMO_DRIVERS = [
    ("Jean-Pierre", "Delmas", "46148", "Peugeot 308 grise", 30, ["0-am", "1-am", "1-pm", "3-am", "3-pm"], False, True),
    ("Monique", "Bessières", "46064", "Renault Clio bleue", 25, ["0-am", "0-pm", "2-am", "4-am"], False, True),
    ("Alain", "Vayssière", "46042", "Berlingo blanc (rampe)", 35, ["1-am", "2-am", "2-pm", "4-pm"], True, True),
    ("Françoise", "Lacombe", "46103", "Dacia Sandero rouge", 20, ["1-am", "3-am", "4-am", "4-pm"], False, True),
    ("Gérard", "Pélissié", "46073", "Toyota Yaris noire", 30, ["0-pm", "1-pm", "2-pm", "3-pm"], False, True),
    ("Nadia", "Bouzid", "46205", "Fiat Panda verte", 25, ["0-am", "2-am", "5-am"], False, False),
]
# (first name, last name, INSEE code, address, phone, wheelchair, needs help)
DEMO_PASSENGERS = [
    ("Germaine", "Lafon", "46329", "2 rue du Causse", "0565000101", False, True),
    ("Robert", "Cayla", "46013", "Le Bourg", "0565000102", True, False),
    ("Yvette", "Marty", "46162", "8 chemin des Pechs", "0565000103", False, False),
    ("Marcel", "Fourès", "46276", "La Plaine", "0565000104", False, True),
]
DEMO_HITCHHIKING = [
    ("46148", "Parking de la salle des fêtes", 44.3375, 1.5396, "Cahors, Cahors-Sud"),
    ("46064", "Rond-point de la route de Cahors", 44.5547, 1.3330, "Cahors, Mercuès"),
    ("46073", "Place de l'église", 44.3978, 1.6612, "Cahors, Lalbenque"),
]


def load_demo_rides(territory, *, operator=None, today: datetime.date) -> bool:
    """Volunteer drivers, passengers registered by phone, the trips of last year and of this year so far, and one
    ride still without a driver."""
    import datetime as dt
    from decimal import Decimal

    from carteblanche.core.demo import demo_now

    from . import rides
    from .enums import Channel, ReturnKind, RidePurpose, RideStatus
    from .models import Driver, HitchhikingStop, Passenger, RideRequest, Trip

    if Driver.objects.filter(territory=territory).exists():
        return False
    desk = rides.settings_for(territory)
    desk.operator_name = "Transport solidaire du Grand Cahors"
    desk.operator_phone = "05 36 49 12 34"  # a number ARCEP reserves for fiction: the demo's desk is not real
    desk.save()
    now = demo_now(today)
    communes = {c.insee_code: c for c in Commune.objects.filter(territories=territory)}
    drivers = [
        Driver.objects.create(
            territory=territory,
            first_name=first,
            last_name=last,
            phone=f"06120000{i:02d}",
            email=f"{first.lower().replace('-', '')}.{last.lower()}@exemple.fr".replace("è", "e").replace("é", "e"),
            commune=communes[code],
            vehicle=vehicle,
            perimeter_km=perimeter,
            availability=availability,
            wheelchair=wheelchair,
            identity_checked_at=now if checked else None,
            identity_checked_by=operator if checked else None,
            consent_at=now,
            consent_channel=Channel.COUNTER,
            registered_by=operator,
        )
        for i, (first, last, code, vehicle, perimeter, availability, wheelchair, checked) in enumerate(DEMO_DRIVERS)
    ]
    passengers = [
        Passenger.objects.create(
            territory=territory,
            first_name=first,
            last_name=last,
            phone=phone,
            commune=communes[code],
            address=address,
            wheelchair=wheelchair,
            needs_help=help_,
            consent_at=now,
            consent_channel=Channel.PHONE,
            registered_by=operator,
        )
        for first, last, code, address, phone, wheelchair, help_ in DEMO_PASSENGERS
    ]
    passengers[0].preferred_driver = drivers[0]
    passengers[0].save(update_fields=["preferred_driver"])
    for code, name, lat, lon, directions in DEMO_HITCHHIKING:
        HitchhikingStop.objects.create(
            territory=territory, commune=communes[code], name=name, latitude=lat, longitude=lon, directions=directions
        )
    cahors = communes["46042"]
    caf = "Accueil CAF du Lot, 304 rue Victor Hugo"
    # Trips since the first days of last year (a whole year of figures, whatever today is): one every ten days or
    # so, spread over the volunteers.
    start = timezone.make_aware(dt.datetime(today.year - 1, 1, 6, 10, 0))
    purposes = [RidePurpose.SERVICES, RidePurpose.HEALTH, RidePurpose.SERVICES, RidePurpose.SHOPPING]
    index = 0
    moment = start
    while moment < now - dt.timedelta(days=3):
        passenger = passengers[index % len(passengers)]
        driver = drivers[2] if passenger.wheelchair else drivers[index % 5]
        ride = RideRequest.objects.create(
            territory=territory,
            passenger=passenger,
            origin=f"{passenger.address}, {passenger.commune.name}",
            origin_latitude=passenger.commune.latitude,
            origin_longitude=passenger.commune.longitude,
            destination=f"{caf}, Cahors",
            destination_latitude=cahors.latitude,
            destination_longitude=cahors.longitude,
            purpose=purposes[index % len(purposes)],
            appointment_at=moment,
            return_kind=ReturnKind.WAIT,
            wheelchair=passenger.wheelchair,
            needs_help=passenger.needs_help,
            channel=Channel.PHONE,
            status=RideStatus.CONFIRMED,
            driver=driver,
            created_by=operator,
        )
        km = rides.passenger_km(ride)
        Trip.objects.create(
            ride=ride,
            driver=driver,
            passenger=passenger,
            date=timezone.localtime(moment).date(),
            km=km,
            participation=(km * Decimal("0.20")).quantize(Decimal("0.01")),
            recorded_by=operator,
        )
        ride.status = RideStatus.DONE
        ride.save(update_fields=["status"])
        rides.log(ride, "effectuee", user=operator, note=f"{km} km")
        index += 1
        moment += dt.timedelta(days=10, hours=(index % 3) * 2)
    # A wheelchair ride on a Saturday afternoon: no volunteer is free, the operator must handle it.
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    rides.ride_create(
        territory=territory,
        data={
            "passenger": passengers[1],
            "from_home": True,
            "destination_site": None,
            "destination": caf,
            "destination_commune": cahors,
            "purpose": RidePurpose.HEALTH,
            "appointment_at": timezone.make_aware(dt.datetime.combine(saturday, dt.time(15, 0))),
            "margin_minutes": 20,
            "return_kind": ReturnKind.WAIT,
            "duration_minutes": 45,
            "wheelchair": True,
            "needs_help": False,
            "channel": Channel.PHONE,
        },
        user=operator,
    )
    return True
