"""The demo's quality of service in the Cahors living area: two France services, the bus, the CAF's counter and the
solidarity rides, with two years of answers, visits and calls, and experiences at each step of moderation.

Every date derives from ``today``; the figures come from a seeded generator, so that two loads give the same pages.
One structure (Saint-Géry-Vers) has few answers: its page shows counts and intervals, not rates."""

import datetime
import random

from django.utils import timezone

from carteblanche.core.demo import demo_now
from carteblanche.territories.models import Organisation, ServiceSite

from .enums import (
    AnswerChannel,
    Engagement,
    ExperienceStatus,
    Feeling,
    HelpTried,
    Satisfaction,
    StructureKind,
    Subject,
    VisitOutcome,
)
from .models import Answer, CallTally, Experience, Recontact, Structure, Visit, quarter_of, week_of

GRAND_CAHORS = "Grand Cahors (communauté d'agglomération)"
# (name, kind, site, organisation, answers a quarter, P(« Très bien »), visits a quarter, calls a day)
STRUCTURES = [
    ("France services de Catus", StructureKind.FRANCE_SERVICES, "fs-582", GRAND_CAHORS, 40, 0.72, 150, 14),
    ("Accueil de la CAF du Lot à Cahors", StructureKind.COUNTER, None, "CAF du Lot", 30, 0.55, 110, 40),
    ("Bus France services du Grand Cahors", StructureKind.BUS, "fs-262", GRAND_CAHORS, 14, 0.8, 45, 6),
    ("Transport solidaire du Grand Cahors", StructureKind.RIDES, None, GRAND_CAHORS, 8, 0.85, 0, 0),
    ("France services Saint-Géry Vers", StructureKind.FRANCE_SERVICES, "fs-606", GRAND_CAHORS, 2, 0.6, 0, 0),
]
COMMENTS = [
    "L'agente a pris le temps de tout m'expliquer, merci.",
    "Trop d'attente le lundi matin.",
    "On m'a aidé à créer mon compte sur le site des impôts.",
    "Il faudrait plus de créneaux le samedi.",
    "Très bon accueil, ma demande est réglée.",
    "Je n'ai pas compris pourquoi il fallait revenir avec un autre papier.",
]
EXPERIENCES = [
    # (structure index, days ago, feeling, text, status, reply, reply after days)
    (
        0,
        120,
        Feeling.POSITIVE,
        "Je suis venue pour ma prime d'activité que je n'arrivais pas à déclarer. On a tout fait ensemble en vingt "
        "minutes et on m'a montré comment faire seule le trimestre suivant.",
        ExperienceStatus.PUBLISHED,
        "Merci pour votre retour. Nos conseillers proposent aussi un atelier collectif sur les démarches CAF un "
        "jeudi par mois.",
        4,
    ),
    (
        1,
        75,
        Feeling.NEGATIVE,
        "J'ai attendu plus d'une heure debout un lundi matin, pour m'entendre dire qu'il fallait prendre "
        "rendez-vous. Rien ne l'indiquait à l'entrée.",
        ExperienceStatus.PUBLISHED,
        "Vous avez raison : l'affichage à l'entrée indique désormais les jours sans rendez-vous, et un agent "
        "oriente les personnes dès leur arrivée le lundi.",
        9,
    ),
    (
        2,
        40,
        Feeling.NEUTRAL,
        "Le bus est pratique pour nous qui n'avons pas de voiture, mais il ne passe qu'une fois tous les quinze "
        "jours dans notre village.",
        ExperienceStatus.PUBLISHED,
        "",
        0,
    ),
    (
        3,
        20,
        Feeling.POSITIVE,
        "Le chauffeur bénévole m'a attendue pendant mon rendez-vous à l'hôpital et m'a ramenée chez moi. Sans ce "
        "service je n'y serais pas allée.",
        ExperienceStatus.PUBLISHED,
        "Merci, nous transmettons votre message aux chauffeurs bénévoles de l'association.",
        6,
    ),
    (
        0,
        3,
        Feeling.NEGATIVE,
        "Le site de la CAF ne marchait pas et personne au téléphone. Heureusement la France services m'a aidé, mais "
        "j'ai dû venir deux fois parce qu'il manquait un papier dont personne ne m'avait parlé.",
        ExperienceStatus.RECEIVED,
        "",
        0,
    ),
    (
        1,
        1,
        Feeling.POSITIVE,
        "Accueil rapide et agréable, mon dossier de logement a été réglé sur place.",
        ExperienceStatus.RECEIVED,
        "",
        0,
    ),
]


def _structures(territory):
    found = []
    for name, kind, site_id, organisation, *_ in STRUCTURES:
        structure = Structure.objects.create(
            territory=territory,
            name=name,
            kind=kind,
            site=ServiceSite.objects.filter(external_id=site_id).first() if site_id else None,
            organisation=Organisation.objects.filter(territory=territory, name=organisation).first(),
            engagements=[e.value for e in list(Engagement)[:6]],
            promised_days=10,
        )
        found.append(structure)
    return found


def _answers(structure, *, per_quarter, good, now, rng) -> list[Answer]:
    rows = []
    days = 2 * 365
    for _ in range(per_quarter * 8):
        at = now - datetime.timedelta(days=rng.uniform(0, days), hours=rng.uniform(0, 6))
        mood = rng.random()
        satisfaction = (
            Satisfaction.GOOD
            if mood < good
            else Satisfaction.MEDIUM
            if mood < good + (1 - good) / 2
            else Satisfaction.BAD
        )
        tried = rng.sample(
            [HelpTried.PHONE, HelpTried.ONLINE, HelpTried.COUNTER, HelpTried.RELATIVE], rng.randint(0, 2)
        )
        rows.append(
            Answer(
                structure=structure,
                channel=rng.choice(
                    [
                        AnswerChannel.POSTER,
                        AnswerChannel.KIOSK,
                        AnswerChannel.LINK_VISIT,
                        AnswerChannel.LINK_BOOKING
                        if structure.kind == StructureKind.BOOTH
                        else AnswerChannel.LINK_RIDE,
                        AnswerChannel.PAPER,
                    ]
                ),
                answered_at=at,
                quarter=quarter_of(at),
                satisfaction=satisfaction,
                comprehension=rng.choice([None, 3, 4, 4, 5, 5, 2]),
                help_tried=tried or [HelpTried.NONE],
                help_reached=(rng.random() < 0.7) if tried else None,
                help_quality=rng.choice([2, 3, 4, 4, 5]) if tried else None,
                comment=rng.choice(COMMENTS) if rng.random() < 0.15 else "",
            )
        )
    return rows


def _visits(structure, *, per_quarter, now, rng) -> list[Visit]:
    rows = []
    organisations = list(Organisation.objects.filter(territory=structure.territory))
    for _ in range(per_quarter * 8):
        day = timezone.localdate(now) - datetime.timedelta(days=rng.randint(1, 2 * 365))
        if day.weekday() > 4:
            day -= datetime.timedelta(days=day.weekday() - 4)
        arrived = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9, 0)) + datetime.timedelta(minutes=rng.randint(0, 420))
        )
        wait = int(rng.expovariate(1 / 12))
        outcome = rng.choices(
            [VisitOutcome.SOLVED, VisitOutcome.REFERRED, VisitOutcome.FOLLOW_UP, VisitOutcome.LEFT], [70, 15, 10, 5]
        )[0]
        seen = None if outcome == VisitOutcome.LEFT else arrived + datetime.timedelta(minutes=wait)
        visit = Visit(
            structure=structure,
            arrived_at=arrived,
            quarter=quarter_of(arrived),
            week=week_of(arrived),
            seen_at=seen,
            wait_minutes=wait if seen else None,
            done_at=(seen or arrived) + datetime.timedelta(minutes=rng.randint(5, 40)),
            subject=rng.choice(Subject.values),
            outcome=outcome,
        )
        if outcome == VisitOutcome.REFERRED:
            visit.referred_to = rng.choice(organisations)
            visit.answer_due_on = day + datetime.timedelta(days=structure.promised_days)
            if rng.random() < 0.85:
                visit.answered_on = day + datetime.timedelta(days=rng.randint(1, structure.promised_days + 6))
                visit.answered_on = min(visit.answered_on, timezone.localdate(now))
        rows.append(visit)
    return rows


def _calls(structure, *, per_day, today, rng) -> list[CallTally]:
    rows = []
    for back in range(1, 2 * 365):
        day = today - datetime.timedelta(days=back)
        if day.weekday() > 4:
            continue
        received = max(0, int(rng.gauss(per_day, per_day / 4)))
        rows.append(
            CallTally(
                structure=structure,
                date=day,
                quarter=quarter_of(day),
                received=received,
                answered=int(received * rng.uniform(0.6, 0.95)),
            )
        )
    return rows


def load_demo_quality(territory, *, team_member=None, today: datetime.date) -> bool:
    if Structure.objects.filter(territory=territory).exists():
        return False
    rng = random.Random(46042)
    now = demo_now(today)
    structures = _structures(territory)
    answers, visits, calls = [], [], []
    for structure, (*_, per_quarter, good, visits_per_quarter, calls_per_day) in zip(
        structures, STRUCTURES, strict=True
    ):
        answers += _answers(structure, per_quarter=per_quarter, good=good, now=now, rng=rng)
        visits += _visits(structure, per_quarter=visits_per_quarter, now=now, rng=rng)
        if calls_per_day:
            calls += _calls(structure, per_day=calls_per_day, today=today, rng=rng)
    Answer.objects.bulk_create(answers, batch_size=2000)
    # Two people at the CAF's counter asked to be recontacted about their answer (fictitious addresses).
    recent = Answer.objects.filter(structure=structures[1]).order_by("-answered_at")[:2]
    for answer, email in zip(recent, ("m.durand@exemple.fr", "famille.roques@exemple.fr"), strict=False):
        Recontact.objects.create(answer=answer, email=email, consented_at=answer.answered_at)
    Visit.objects.bulk_create(visits, batch_size=2000)
    CallTally.objects.bulk_create(calls, batch_size=2000)
    # Today at the France services of Catus: two people waiting, one with an agent.
    counter = structures[0]
    for minutes, seen in ((25, 5), (12, None), (4, None)):
        visit = Visit(
            structure=counter,
            arrived_at=now - datetime.timedelta(minutes=minutes),
            subject=Subject.FAMILY if seen else Subject.DIGITAL,
            seen_at=now - datetime.timedelta(minutes=seen) if seen else None,
        )
        visit.save()
    for index, days, feeling, text, status, reply, after in EXPERIENCES:
        told = now - datetime.timedelta(days=days, hours=3)
        experience = Experience.objects.create(
            structure=structures[index],
            told_at=told,
            feeling=feeling,
            description=text,
            status=status,
        )
        if status == ExperienceStatus.PUBLISHED:
            experience.published_text = text
            experience.moderated_at = told + datetime.timedelta(days=1)
            experience.moderated_by = team_member
            if reply:
                experience.reply = reply
                experience.replied_at = told + datetime.timedelta(days=after)
                experience.replied_by = team_member
            experience.save()
    return True
