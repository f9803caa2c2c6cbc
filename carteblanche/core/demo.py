"""The demo accounts, one per role, shown on the home and login pages in demo mode."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from carteblanche.accounts.enums import Role


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str | None
    territory_slug: str | None
    organisation: str | None
    description: str
    is_staff: bool = False


CAHORS = "bassin-de-vie-de-cahors"
FIGEAC = "bassin-de-vie-de-figeac"
LOT = "departement-du-lot"

DEMO_ACCOUNTS = (
    DemoAccount(
        "equipe@demo.carteblanche.fr",
        "Claire",
        "Martin",
        Role.PROJECT_TEAM,
        CAHORS,
        None,
        "Équipe projet de l'État sur le bassin de vie de Cahors",
    ),
    DemoAccount(
        "prefecture@demo.carteblanche.fr",
        "Hugo",
        "Bernard",
        Role.PREFECTURE,
        CAHORS,
        "Préfecture du Lot",
        "Cabinet du préfet du Lot",
    ),
    DemoAccount(
        "agent.caf@demo.carteblanche.fr",
        "Nadia",
        "Roux",
        Role.AGENT,
        CAHORS,
        "CAF du Lot",
        "Agente d'accueil de la CAF du Lot, à Cahors",
    ),
    DemoAccount(
        "agent.franceservices@demo.carteblanche.fr",
        "Julien",
        "Lacombe",
        Role.AGENT,
        CAHORS,
        "Grand Cahors (communauté d'agglomération)",
        "Agent du bus France services du Grand Cahors",
    ),
    DemoAccount(
        "jury@demo.carteblanche.fr",
        "Sophie",
        "Delmas",
        Role.JURY,
        CAHORS,
        None,
        "Membre du jury du hackathon mobilité",
    ),
    DemoAccount(
        "agent.figeac@demo.carteblanche.fr",
        "Marc",
        "Vidal",
        Role.AGENT,
        FIGEAC,
        "Grand-Figeac (communauté de communes)",
        "Agent d'un autre territoire (Figeac) : ne voit rien de Cahors",
    ),
    DemoAccount(
        "departement@demo.carteblanche.fr",
        "Anne",
        "Lafon",
        Role.PROJECT_TEAM,
        LOT,
        None,
        "Équipe projet à l'échelle du Lot entier (312 communes)",
    ),
    DemoAccount(
        "admin@demo.carteblanche.fr",
        "Louis",
        "Garrigues",
        None,
        None,
        None,
        "Administrateur de la plateforme (administration, journal)",
        is_staff=True,
    ),
)


DEMO_ORGANISATIONS = {
    CAHORS: [
        ("Préfecture du Lot", "etat"),
        ("CAF du Lot", "operateur"),
        ("France Travail Cahors", "operateur"),
        ("CPAM du Lot", "operateur"),
        ("Grand Cahors (communauté d'agglomération)", "collectivite"),
        ("Mairie de Cahors", "collectivite"),
        ("Département du Lot", "collectivite"),
        ("Mission locale du Lot", "association"),
    ],
    FIGEAC: [("Grand-Figeac (communauté de communes)", "collectivite"), ("CAF du Lot — Figeac", "operateur")],
    LOT: [("Préfecture du Lot", "etat"), ("Département du Lot", "collectivite")],
}
# Which organisation runs which imported site, where it is known.
SITE_OPERATORS = {"fs-262": (CAHORS, "Grand Cahors (communauté d'agglomération)")}


def demo_is_loaded() -> bool:
    from dsfr.models import DsfrConfig

    from carteblanche.accounts.models import User
    from carteblanche.exploration.demo import SLUG as OPERATION_SLUG
    from carteblanche.operations.models import Operation
    from carteblanche.territories.models import Territory

    return (
        Operation.objects.filter(slug=OPERATION_SLUG).exists()
        and DsfrConfig.objects.exists()
        and Territory.objects.filter(slug=CAHORS).exists()
        and User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).count() == len(DEMO_ACCOUNTS)
    )


def demo_now(today: datetime.date) -> datetime.datetime:
    """The demo's "now": the real moment on the real day, noon on another day the demo is built for."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(12, 0)))


def load_demo(*, password: str, today: datetime.date | None = None) -> list[str]:
    """Load the reference data, the demo territories, organisations and accounts. Safe to rerun:
    existing rows are kept (passwords and memberships changed since are left alone).

    Every date of the demo derives from one day, `today` (the current date unless given): consents, incomes and
    rights months, the bus plan's week, the year of solidarity rides."""
    from django.db import transaction
    from dsfr.models import DsfrConfig

    from carteblanche.accounts.models import Membership, User
    from carteblanche.territories.enums import TerritoryKind
    from carteblanche.territories.importers import build_territory, import_reference
    from carteblanche.territories.models import Commune, Organisation, ServiceSite

    from .site_config import ensure_site_config

    today = today or timezone.localdate()
    done = []
    with transaction.atomic():
        ensure_site_config(DsfrConfig)
        if not Commune.objects.exists():
            report = import_reference()
            done.append(f"Référentiel importé : {report.communes_created} communes, {report.sites_created} sites.")
        territories = {}
        for slug, kind, code, name in (
            (CAHORS, TerritoryKind.LIVING_AREA, "46042", "Bassin de vie de Cahors"),
            (FIGEAC, TerritoryKind.LIVING_AREA, "46102", "Bassin de vie de Figeac"),
            (LOT, TerritoryKind.DEPARTMENT, "46", "Département du Lot"),
        ):
            from carteblanche.territories.models import Territory

            existing = Territory.objects.filter(slug=slug).first()
            if existing is None:
                existing, _ = build_territory(kind=kind, code=code, name=name, slug=slug)
                done.append(f"Territoire créé : {existing.name} ({existing.communes.count()} communes).")
            territories[slug] = existing
        for slug, organisations in DEMO_ORGANISATIONS.items():
            for name, kind in organisations:
                Organisation.objects.get_or_create(territory=territories[slug], name=name, defaults={"kind": kind})
        for external_id, (slug, name) in SITE_OPERATORS.items():
            organisation = Organisation.objects.get(territory=territories[slug], name=name)
            ServiceSite.objects.filter(external_id=external_id, organisation__isnull=True).update(
                organisation=organisation
            )
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(email=account.email).first()
            if user is None:
                user = User.objects.create_user(
                    email=account.email,
                    password=password,
                    first_name=account.first_name,
                    last_name=account.last_name,
                    is_staff=account.is_staff,
                    is_superuser=account.is_staff,
                )
                done.append(f"Compte créé : {account.email}")
            if account.role:
                organisation = None
                if account.organisation:
                    organisation = Organisation.objects.get(
                        territory=territories[account.territory_slug], name=account.organisation
                    )
                Membership.objects.get_or_create(
                    user=user,
                    territory=territories[account.territory_slug],
                    role=account.role,
                    defaults={"organisation": organisation},
                )
        from carteblanche.exploration.demo import load_demo_operation

        operation = load_demo_operation(
            territories[CAHORS], team_member=User.objects.filter(email=DEMO_ACCOUNTS[0].email).first()
        )
        if operation:
            done.append(f"Opération de démonstration créée : {operation.name}.")
        from carteblanche.rights.demo import load_demo_persons

        persons = load_demo_persons(
            territories[CAHORS], agent=User.objects.filter(email="agent.caf@demo.carteblanche.fr").first(), today=today
        )
        if persons:
            done.append(f"{persons} dossiers d'usagers de démonstration, avec consentement, créés et examinés.")
        from carteblanche.mobility.demo import load_demo_bus

        team_member = User.objects.filter(email=DEMO_ACCOUNTS[0].email).first()
        if load_demo_bus(territories[CAHORS], team_member=team_member, today=today):
            done.append("Bus France services de démonstration : 16 arrêts possibles et un plan de tournées publié.")
        from carteblanche.mobility.demo import load_demo_rides

        operator = User.objects.filter(email="agent.franceservices@demo.carteblanche.fr").first()
        if load_demo_rides(territories[CAHORS], operator=operator, today=today):
            done.append("Transport solidaire de démonstration : 6 chauffeurs, 4 passagers et les trajets de l'année.")
        from carteblanche.quality.demo import load_demo_quality

        if load_demo_quality(territories[CAHORS], team_member=team_member, today=today):
            done.append(
                "Qualité de service de démonstration : 5 structures, deux ans d'avis, de passages et d'appels."
            )
        from carteblanche.bookings.demo import load_demo_bookings

        if load_demo_bookings(territories[CAHORS], today=today):
            done.append("Rendez-vous de démonstration : cabine de téléconsultation, coaching, atelier, CAF.")
        from carteblanche.childcare.demo import load_demo_childcare

        if load_demo_childcare(territories[CAHORS], today=today):
            done.append(
                "Garde d'enfants de démonstration : 7 accueillants et le besoin de Sarah, en horaires décalés."
            )
        from carteblanche.vigies.demo import load_demo_vigies

        if load_demo_vigies(territories[CAHORS], today=today):
            done.append("Vigies de démonstration : le réseau du Grand Cahors, 3 vigies et 4 signalements.")
    return done
