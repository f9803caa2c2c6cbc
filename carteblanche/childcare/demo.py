"""Demo childcare offers around Cahors and one need: Sarah's week of shifts (6 h 30 – 14 h some days, 12 h – 20 h
others), recorded by the France services adviser with her consent, its solutions computed. Every date derives
from ``today``; the people are fictitious."""

import datetime

from django.contrib.auth import get_user_model

from carteblanche.core.demo import demo_now
from carteblanche.territories.models import Commune

from . import services
from .enums import ProviderKind
from .models import KeptChild, Need, Provider


def _weekdays(ranges, days=range(5)):
    return {str(d): [list(r) for r in ranges] for d in days}


# name, commune INSEE, kind, capacity, night, hourly cost, opening, kept children (months old, ranges, own)
OFFERS = [
    (
        "Mme Delpech",
        "46042",
        ProviderKind.CHILDMINDER,
        4,
        False,
        "4.60",
        _weekdays([(15, 37)]),
        [(30, [(16, 34)], False)],
    ),
    ("Mme Lacroix", "46042", ProviderKind.CHILDMINDER, 3, False, "4.90", _weekdays([(12, 18), (34, 42)]), []),
    (
        "Mme Bouzou",
        "46224",
        ProviderKind.CHILDMINDER,
        4,
        True,
        "5.10",
        _weekdays([(12, 44)]),
        [(14, [(16, 36)], False), (96, [(33, 40)], True)],
    ),
    (
        "Mme Vidal",
        "46156",
        ProviderKind.CHILDMINDER,
        2,
        False,
        "4.40",
        _weekdays([(16, 36)]),
        [(20, [(16, 36)], False)],
    ),
    (
        "MAM Les Petits Pas",
        "46042",
        ProviderKind.MAM,
        4,
        False,
        "4.80",
        _weekdays([(14, 39)]),
        [(18, [(15, 35)], False)],
    ),
    (
        "Crèche AVIP Les Capucins",
        "46042",
        ProviderKind.CRECHE,
        12,
        False,
        "1.40",
        _weekdays([(15, 37)]),
        [(12 + i, [(15, 37)], False) for i in range(10)],  # ten children: the last two places are AVIP's
    ),
    ("Micro-crèche Les Lutins", "46042", ProviderKind.MICRO_CRECHE, 10, False, "2.90", _weekdays([(15, 37)]), []),
    (
        "Périscolaire de Pradines",
        "46224",
        ProviderKind.AFTER_SCHOOL,
        40,
        False,
        "1.20",
        _weekdays([(14, 17), (33, 37)]),
        [],
    ),
]


# Other families of the living area, so that the coverage map shows where and when nobody keeps a child: hospital
# and home-help shifts, evenings, Saturdays. (commune INSEE, week, child's age in months, weeks after Sarah's start)
OTHER_NEEDS = [
    ("46042", _weekdays([(12, 29)]), 14, 0),
    ("46042", _weekdays([(28, 45)], days=range(3)), 30, 1),
    ("46042", {"5": [[16, 36]]}, 40, 2),
    ("46224", _weekdays([(12, 30)]), 20, 0),
    ("46224", _weekdays([(30, 46)], days=(0, 2, 4)), 50, 3),
    ("46148", _weekdays([(14, 36)]), 10, 1),
    ("46148", _weekdays([(13, 28)], days=(1, 3)), 26, 4),
    ("46191", _weekdays([(26, 44)]), 36, 2),
    ("46064", _weekdays([(15, 38)]), 18, 0),
    ("46064", _weekdays([(12, 20), (34, 42)]), 60, 5),
]


def load_demo_childcare(territory, *, today: datetime.date) -> bool:
    if Provider.objects.filter(territory=territory).exists():
        return False
    communes = {c.insee_code: c for c in Commune.objects.filter(territories=territory)}
    for name, insee, kind, capacity, night, cost, opening, kept in OFFERS:
        commune = communes.get(insee) or communes["46042"]
        provider = Provider.objects.create(
            territory=territory,
            kind=kind,
            name=name,
            commune=commune,
            email=f"{name.split()[-1].lower()}@demo.carteblanche.fr",
            capacity=capacity,
            night=night,
            avip_places=2 if "AVIP" in name else 0,
            hourly_cost=cost,
            opening=opening,
            availability_updated_on=today - datetime.timedelta(days=40),
            min_age_months=36 if kind == ProviderKind.AFTER_SCHOOL else 2,
            max_age_months=36 if kind in (ProviderKind.MICRO_CRECHE, ProviderKind.CRECHE) else 132,
        )
        for months, ranges, own in kept:
            KeptChild.objects.create(
                provider=provider,
                birth_date=today - datetime.timedelta(days=months * 30),
                own=own,
                schedule=_weekdays(ranges),
                first_date=today - datetime.timedelta(days=120),
            )
    adviser = get_user_model().objects.filter(email="agent.franceservices@demo.carteblanche.fr").first()
    monday = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7) + datetime.timedelta(days=14)
    from carteblanche.rights.models import Person

    need = services.need_save(
        need=Need(
            territory=territory,
            person=Person.objects.filter(territory=territory, first_name="Sarah", last_name="Martin").first(),
            parent_first_name="Sarah",
            parent_last_name="Martin",
            phone="06 12 00 00 01",
            consent_at=demo_now(today),
            child_birth_date=today - datetime.timedelta(days=26 * 30),
            start_date=monday,
            schedule={"0": [[13, 28]], "1": [[24, 40]], "3": [[13, 28]], "4": [[24, 40]]},
            commune=communes["46042"],
            single_parent=True,
            job_seeker_promise=True,
            created_at=demo_now(today),
        ),
        by=adviser,
    )
    services.proposals_compute(need=need, by=adviser)
    for i, (insee, schedule, months, weeks_ahead) in enumerate(OTHER_NEEDS, start=1):
        commune = communes.get(insee)
        if commune is None:
            continue
        services.need_save(
            need=Need(
                territory=territory,
                parent_first_name="Parent",
                parent_last_name=f"de démonstration {i}",
                consent_at=demo_now(today),
                child_birth_date=today - datetime.timedelta(days=months * 30),
                start_date=monday + datetime.timedelta(weeks=weeks_ahead),
                schedule=schedule,
                commune=commune,
                max_travel_minutes=15,
                created_at=demo_now(today),
            ),
            by=adviser,
        )
    return True
