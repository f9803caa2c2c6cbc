"""The demo bus of the Cahors living area: the France services bus based in Cahors, sixteen candidate stops in the
communes farthest from a fixed site, and a published plan computed by the solver."""

import datetime

from django.utils import timezone

from carteblanche.territories.models import Commune

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


def load_demo_bus(territory, *, team_member=None) -> bool:
    if Bus.objects.filter(territory=territory).exists():
        return False
    config = services.settings_for(territory)
    config.solve_seconds = 3
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
    today = timezone.localdate()
    plan = services.make_plan(
        territory, period_start=today - datetime.timedelta(days=today.weekday()), user=team_member
    )
    services.publish(plan, team_member)
    return True
