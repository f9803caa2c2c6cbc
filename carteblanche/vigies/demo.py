"""Demo vigies around Cahors: the Grand Cahors's network (its agents triage, the project team's member leads it),
three partners, three vigies (a postman, a home help, a town hall secretary) and four signals at every stage — one
left waiting past its day and told to the lead, one handed to the Département, one the CAF reached, one closed.
Every date derives from ``today``; the people are fictitious. Written directly (no message leaves the demo)."""

import datetime

from django.contrib.auth import get_user_model

from carteblanche.core.demo import demo_now
from carteblanche.territories.models import Commune, Organisation

from .enums import (
    URGENCY_DELAYS,
    CallOutcome,
    Origin,
    Outcome,
    PlanKind,
    RegisterCategory,
    RegisterSource,
    Seen,
    SignalStatus,
    Urgency,
    VigieRole,
)
from .models import Call, Campaign, Network, RegisterEntry, Signal, SignalEvent, Vigie

NAME = "Vigies du Grand Cahors"
STRUCTURE = "Grand Cahors (communauté d'agglomération)"
# The Département's social service, the commune's CCAS, the CAF's social workers (the CAF's demo agent answers).
PARTNERS = ("Département du Lot", "Mairie de Cahors", "CAF du Lot")
VIGIES = [
    ("Thierry", "Cavaillé", VigieRole.POSTMAN, "06 12 00 00 21", "", 120),
    ("Martine", "Lafage", VigieRole.HOME_HELP, "", "martine.lafage@demo.carteblanche.fr", 90),
    ("Sylvie", "Bach", VigieRole.TOWN_HALL, "05 65 00 00 22", "sylvie.bach@demo.carteblanche.fr", 60),
]
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def load_demo_vigies(territory, *, today: datetime.date) -> bool:
    if Network.objects.filter(territory=territory, name=NAME).exists():
        return False
    users = get_user_model().objects
    lead = users.filter(email="equipe@demo.carteblanche.fr").first()
    triager = users.filter(email="agent.franceservices@demo.carteblanche.fr").first()
    caf_agent = users.filter(email="agent.caf@demo.carteblanche.fr").first()
    organisations = {o.name: o for o in Organisation.objects.filter(territory=territory)}
    network = Network.objects.create(
        territory=territory,
        organisation=organisations[STRUCTURE],
        name=NAME,
        lead=lead,
        kept_months=24,  # the closed signal of the demo stays whole for two years
    )
    network.partners.set([organisations[name] for name in PARTNERS if name in organisations])
    vigies = [
        Vigie.objects.create(
            network=network,
            first_name=first,
            last_name=last,
            role=role,
            phone=phone,
            email=email,
            trained_on=today - datetime.timedelta(days=days),
        )
        for first, last, role, phone, email, days in VIGIES
    ]
    communes = {c.insee_code: c for c in Commune.objects.filter(territories=territory)}
    cahors = communes["46042"]
    now = demo_now(today)
    department, caf = organisations.get("Département du Lot"), organisations.get("CAF du Lot")
    town_hall = organisations.get("Mairie de Cahors")

    def signal(vigie, insee, received, urgency, seen, place, words, person_name="", steps=(), **extra):
        made = Signal.objects.create(
            network=network,
            origin=Origin.VIGIE if vigie else Origin.RESIDENT,
            vigie=vigie,
            commune=communes.get(insee, cahors),
            place=place,
            person_name=person_name,
            seen=seen,
            urgency=urgency,
            words=words,
            created_at=received,
            due_at=received + URGENCY_DELAYS[urgency],
            **extra,
        )
        SignalEvent.objects.create(signal=made, at=received, status=SignalStatus.NEW)
        for at, status, actor, partner, note in steps:
            SignalEvent.objects.create(signal=made, at=at, actor=actor, status=status, partner=partner, note=note)
        return made

    # Seen by the postman yesterday morning, nobody took it within the day: told to the lead.
    signal(
        vigies[0],
        "46224",
        now - 30 * HOUR,
        Urgency.DAY,
        [Seen.NOT_SEEN, Seen.MAIL],
        "Chemin de Labéraudie, la maison aux volets verts",
        "Les volets restent fermés depuis trois jours et la boîte aux lettres déborde.",
        escalated_at=now - 5 * HOUR,
    )
    # The home help's, qualified and handed to the Département's social service, which has not answered yet.
    received = now - 3 * DAY
    signal(
        vigies[1],
        "46042",
        received,
        Urgency.MONTH,
        [Seen.PAPERWORK, Seen.ISOLATION],
        "Rue Wilson, au deuxième étage",
        "Des courriers de relance non ouverts ; elle dit ne plus savoir à qui s'adresser.",
        person_name="Mme Rivière",
        steps=[
            (received + 2 * HOUR, SignalStatus.QUALIFIED, triager, None, "Confirmé par la gardienne"),
            (received + 3 * HOUR, SignalStatus.ASSIGNED, triager, department, ""),
        ],
        status=SignalStatus.ASSIGNED,
        assigned_to=department,
    )
    # The town hall secretary's, taken by the CAF's social workers, who reached him.
    received = now - 6 * DAY
    signal(
        vigies[2],
        "46042",
        received,
        Urgency.WEEK,
        [Seen.COLD],
        "Hameau de Saint-Henri",
        "Il n'allume plus le chauffage pour économiser.",
        person_name="M. Delpech",
        steps=[
            (received + 4 * HOUR, SignalStatus.QUALIFIED, triager, None, ""),
            (received + 5 * HOUR, SignalStatus.ASSIGNED, triager, caf, ""),
            (received + DAY, SignalStatus.ACCEPTED, caf_agent, caf, ""),
            (received + 3 * DAY, SignalStatus.CONTACTED, caf_agent, None, "Visite à domicile avec son accord"),
        ],
        status=SignalStatus.CONTACTED,
        assigned_to=caf,
    )
    # A neighbour's, without an account, closed: the CCAS set up a visit every week.
    received = now - 20 * DAY
    signal(
        None,
        "46042",
        received,
        Urgency.WEEK,
        [Seen.ISOLATION],
        "Quai Cavaignac",
        "Elle ne sort plus depuis l'hiver.",
        steps=[
            (received + 6 * HOUR, SignalStatus.QUALIFIED, triager, None, ""),
            (received + 7 * HOUR, SignalStatus.ASSIGNED, triager, town_hall, ""),
            (received + DAY, SignalStatus.ACCEPTED, None, town_hall, ""),
            (received + 2 * DAY, SignalStatus.CONTACTED, None, None, ""),
            (received + 10 * DAY, SignalStatus.CLOSED, None, None, "Visites hebdomadaires de l'association"),
        ],
        status=SignalStatus.CLOSED,
        assigned_to=town_hall,
        outcome=Outcome.HELP,
        closed_at=received + 10 * DAY,
    )
    _register(territory, today=today, caller=triager)
    return True


# The register of the Grand Cahors's communes (fictitious people), and a heat wave the prefect triggered yesterday:
# a few calls made, the rest to do.
REGISTER = [
    ("46042", "Jeanne", "Delmas", RegisterCategory.ELDERLY, "12 rue Foch", 1),
    ("46042", "Marcel", "Roques", RegisterCategory.ELDERLY, "3 place Rousseau", 1),
    ("46042", "Odette", "Calmels", RegisterCategory.DISABLED, "8 boulevard Gambetta", 2),
    ("46042", "René", "Vayssières", RegisterCategory.UNFIT, "21 rue du Château du Roi", 2),
    ("46224", "Lucienne", "Bouyssou", RegisterCategory.ELDERLY, "4 chemin de Labéraudie", 1),
    ("46224", "Henri", "Pélissié", RegisterCategory.ELDERLY, "10 route de Mercuès", 3),
    ("46148", "Yvette", "Mouly", RegisterCategory.ELDERLY, "1 place de la Halle", 1),
    ("46191", "Gaston", "Lacaze", RegisterCategory.DISABLED, "6 rue du Lot", 2),
]


def source_of(i: int) -> str:
    if not i % 3:
        return RegisterSource.DEPARTEMENT
    return RegisterSource.THIRD_PARTY if i == 1 else RegisterSource.SELF


def _register(territory, *, today, caller) -> None:
    communes = {c.insee_code: c for c in Commune.objects.filter(territories=territory)}
    now = demo_now(today)
    people = []
    for i, (insee, first, last, category, address, priority) in enumerate(REGISTER):
        if insee not in communes:
            continue
        people.append(
            RegisterEntry.objects.create(
                territory=territory,
                commune=communes[insee],
                first_name=first,
                last_name=last,
                category=category,
                address=address,
                phone=f"05 65 00 01 {i:02d}",
                contact_name="Sa fille" if i % 2 else "",
                contact_phone=f"06 12 00 01 {i:02d}" if i % 2 else "",
                birth_date=today - datetime.timedelta(days=365 * (76 + i) + 37 * i),
                source=RegisterSource.DEPARTEMENT
                if not i % 3
                else RegisterSource.THIRD_PARTY
                if i == 1
                else RegisterSource.SELF,
                third_party="Sa fille, par courrier" if i == 1 else "",
                requested_on=today - datetime.timedelta(days=203) if i % 3 else None,
                agreed_at=now - 200 * DAY if i % 3 else None,
                registered_at=now - 200 * DAY,
                acknowledged_at=now - 199 * DAY if i % 3 else None,
                informed_at=None if i % 3 else now - 199 * DAY,
                priority=priority,
            )
        )
    for first, last, address in (("Paulette", "Lafon", "5 rue Wilson"), ("Raymond", "Cassagnes", "2 rue Brives")):
        RegisterEntry.objects.create(  # a list the CARSAT sent last week: they are to be told before any call
            territory=territory,
            commune=communes["46042"],
            first_name=first,
            last_name=last,
            birth_date=today - datetime.timedelta(days=365 * 81 + len(last)),
            category=RegisterCategory.ELDERLY,
            address=address,
            source=RegisterSource.CARSAT,
            registered_at=now - 6 * DAY,
        )
    campaign = Campaign.objects.create(
        territory=territory, kind=PlanKind.HEAT, started_at=now - DAY, started_by=caller
    )
    campaign.communes.set({p.commune for p in people})
    for person, outcome in zip(
        people[:3], (CallOutcome.FINE, CallOutcome.NOT_REACHED, CallOutcome.VISIT), strict=False
    ):
        Call.objects.create(campaign=campaign, entry=person, attempt=1, outcome=outcome, at=now - 20 * HOUR, by=caller)
