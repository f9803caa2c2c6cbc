"""The demo's bookings in the Cahors living area: the teleconsultation booth of the France services of Catus, job
coaching and a CV workshop there, and the CAF's help with a procedure at Saint-Géry; three months of past
appointments (seen, « lapins », cancelled) and the next days' ones, a person on the waiting list.

Every date derives from ``today``; the people are fictitious; the figures come from a seeded generator."""

import datetime
import random

from django.contrib.auth import get_user_model

from carteblanche.core.demo import demo_now
from carteblanche.territories.models import Organisation, ServiceSite

from . import services, slots
from .enums import Audience, BookedVia, Recurrence, ResourceKind, Status
from .models import Appointment, Motif, Resource, Schedule, WaitlistEntry

GRAND_CAHORS = "Grand Cahors (communauté d'agglomération)"
FIRST_NAMES = ["Sarah", "Lucie", "Marc", "Nadia", "Jean", "Odile", "Karim", "Léa", "Bernard", "Inès", "Paul", "Yvette"]
LAST_NAMES = ["Martin", "Delpech", "Lacombe", "Bouzid", "Vidal", "Roques", "Maury", "Lafon", "Cassagne", "Pélissié"]
CHECKLIST = [
    "Écran, caméra et micro allumés, connexion testée",
    "Tensiomètre, thermomètre, otoscope et oxymètre chargés",
    "Cabine nettoyée et désinfectée, lingettes en place",
    "Affiche « aucune donnée de santé » visible",
]


def _site(external_id):
    return ServiceSite.objects.filter(external_id=external_id).first()


def load_demo_bookings(territory, *, today: datetime.date) -> bool:
    if Motif.objects.filter(territory=territory).exists():
        return False
    catus, saint_gery = _site("fs-582"), _site("fs-606")
    if catus is None or saint_gery is None:
        return False
    from carteblanche.quality.models import Structure

    users = get_user_model().objects
    france_services = users.filter(email="agent.franceservices@demo.carteblanche.fr").first()
    caf_agent = users.filter(email="agent.caf@demo.carteblanche.fr").first()
    grand_cahors = Organisation.objects.get(territory=territory, name=GRAND_CAHORS)
    caf = Organisation.objects.get(territory=territory, name="CAF du Lot")
    catus_results = Structure.objects.filter(territory=territory, site=catus).first()
    saint_gery_results = Structure.objects.filter(territory=territory, site=saint_gery).first()
    start = today - datetime.timedelta(days=today.weekday() + 7 * 20)

    booth = Resource.objects.create(
        territory=territory,
        organisation=grand_cahors,
        name="Cabine de téléconsultation de Catus",
        kind=ResourceKind.BOOTH,
        site=catus,
        checklist=CHECKLIST,
    )
    teleconsultation = Motif.objects.create(
        territory=territory,
        organisation=grand_cahors,
        name="Téléconsultation médicale en cabine",
        description="Un médecin vous reçoit en vidéo dans la cabine ; un agent vous installe si vous le souhaitez. "
        "Apportez votre carte Vitale.",
        duration_minutes=30,
        buffer_minutes=10,
        audience=Audience.RESIDENTS,
        min_notice_hours=2,
        max_notice_days=28,
        no_health_data=True,
        structure=catus_results,
    )
    coaching = Motif.objects.create(
        territory=territory,
        organisation=grand_cahors,
        name="Coaching emploi — premier entretien",
        description="Quatre rendez-vous d'une heure, une semaine sur l'autre, pour préparer une reprise d'emploi.",
        duration_minutes=45,
        buffer_minutes=15,
        audience=Audience.PARTNERS,
        min_notice_hours=0,
        max_notice_days=42,
        sessions=4,
        session_interval_days=7,
        structure=catus_results,
    )
    workshop = Motif.objects.create(
        territory=territory,
        organisation=grand_cahors,
        name="Atelier CV",
        description="Deux heures en petit groupe pour écrire ou refaire son CV ; un ordinateur vous est prêté.",
        duration_minutes=120,
        audience=Audience.RESIDENTS,
        capacity=8,
        max_notice_days=56,
        structure=catus_results,
    )
    caf_help = Motif.objects.create(
        territory=territory,
        organisation=caf,
        name="Aide à une démarche CAF",
        description="Un conseiller de la CAF vous aide pour une déclaration, un changement de situation ou un "
        "dossier. Apportez votre numéro d'allocataire.",
        duration_minutes=30,
        audience=Audience.RESIDENTS,
        structure=saint_gery_results,
    )

    def schedule(
        motifs, *, weekday, opens, closes, agent=None, resource=None, site, organisation, recurrence=Recurrence.WEEKLY
    ):
        item = Schedule.objects.create(
            territory=territory,
            organisation=organisation,
            agent=agent,
            resource=resource,
            site=site,
            weekday=weekday,
            start=datetime.time(*opens),
            end=datetime.time(*closes),
            recurrence=recurrence,
            first_date=start + datetime.timedelta(days=weekday),
        )
        item.motifs.set(motifs)

    for weekday in (1, 3):  # the booth: Tuesday and Thursday, all day
        schedule(
            [teleconsultation],
            weekday=weekday,
            opens=(9, 0),
            closes=(12, 0),
            resource=booth,
            site=catus,
            organisation=grand_cahors,
        )
        schedule(
            [teleconsultation],
            weekday=weekday,
            opens=(14, 0),
            closes=(17, 0),
            resource=booth,
            site=catus,
            organisation=grand_cahors,
        )
    if france_services is not None:
        schedule(
            [coaching],
            weekday=0,
            opens=(9, 0),
            closes=(12, 0),
            agent=france_services,
            site=catus,
            organisation=grand_cahors,
        )
        schedule(
            [coaching],
            weekday=2,
            opens=(14, 0),
            closes=(17, 0),
            agent=france_services,
            site=catus,
            organisation=grand_cahors,
        )
        schedule(
            [workshop],
            weekday=3,
            opens=(14, 0),
            closes=(16, 0),
            agent=france_services,
            site=catus,
            organisation=grand_cahors,
            recurrence=Recurrence.FORTNIGHTLY,
        )
    if caf_agent is not None:
        schedule(
            [caf_help], weekday=4, opens=(9, 0), closes=(12, 0), agent=caf_agent, site=saint_gery, organisation=caf
        )

    _history(territory, [teleconsultation, caf_help], today=today)
    now = demo_now(today)
    rng = random.Random(17)
    upcoming = [(teleconsultation, 2), (teleconsultation, 5), (caf_help, 3), (workshop, 9)]
    for motif, days in upcoming:
        found = slots.free_slots(
            motif,
            first=today + datetime.timedelta(days=days - 1),
            last=today + datetime.timedelta(days=days + 7),
            now=now,
        )
        if found:
            slot = found[rng.randrange(min(3, len(found)))]
            services.appointment_book(
                motif=motif,
                start=slot.starts_at,
                site_id=slot.site_id,
                who=_person(rng, with_contact=True),
                via=BookedVia.ONLINE,
                now=now,
                confirm=False,
            )
    WaitlistEntry.objects.create(
        territory=territory,
        motif=teleconsultation,
        site=catus,
        first_name="Odile",
        last_name="Cassagne",
        phone="06 00 00 00 17",
        created_at=now - datetime.timedelta(days=3),
    )
    return True


def _person(rng, *, with_contact: bool) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return {
        "first_name": first,
        "last_name": last,
        "phone": f"06 00 00 {rng.randrange(100):02d} {rng.randrange(100):02d}" if with_contact else "",
        "email": "",
    }


def _history(territory, motifs, *, today):
    """Thirteen weeks of past appointments, a few « lapins » and cancellations among them (no holds: past)."""
    rng = random.Random(2018)
    rows = []
    for motif in motifs:
        for schedule in motif.schedules.all():
            day = today - datetime.timedelta(days=7 * 13)
            while day < today:
                if schedule.occurs_on(day):
                    at = slots.wall(day, schedule.start)
                    close = slots.wall(day, schedule.end)
                    step = datetime.timedelta(minutes=motif.held_minutes)
                    while at is not None and at + datetime.timedelta(minutes=motif.duration_minutes) <= close:
                        if rng.random() < 0.6:
                            roll = rng.random()
                            status = (
                                Status.NO_SHOW if roll < 0.08 else Status.CANCELLED if roll < 0.15 else Status.SEEN
                            )
                            booked = at - datetime.timedelta(days=rng.randint(1, 12))
                            rows.append(
                                Appointment(
                                    territory=territory,
                                    motif=motif,
                                    agent=schedule.agent,
                                    resource=schedule.resource,
                                    site=schedule.site,
                                    starts_at=at,
                                    ends_at=at + datetime.timedelta(minutes=motif.duration_minutes),
                                    quarter=datetime.date(at.year, 3 * ((at.month - 1) // 3) + 1, 1),
                                    status=status,
                                    status_changed_at=at,
                                    booked_via=rng.choice(
                                        [BookedVia.ONLINE, BookedVia.ONLINE, BookedVia.COUNTER, BookedVia.PHONE]
                                    ),
                                    created_at=booked,
                                    first_free_days=rng.choice([1, 2, 2, 3, 5, 7]),
                                    **_person(rng, with_contact=False),
                                )
                            )
                        at = at + step
                day += datetime.timedelta(days=1)
    Appointment.objects.bulk_create(rows, batch_size=1000)
