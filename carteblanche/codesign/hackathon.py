"""Hackathon rules: schedule of pitches, juror ballots, fair aggregation, laureates.

Aggregation (stated on the results page):
- a juror's score for a team is the weighted mean of their marks over the criteria (Σ weight × mark / Σ weight),
  and counts only when the juror marked every criterion (an incomplete ballot is left out, not read as zeros);
- a juror who declared a conflict of interest with a team never scores it;
- a team's score is the mean of the complete ballots it received, so a team is neither helped nor hurt by how
  many jurors could score it;
- ties: the higher mean mark on the heaviest criterion, then more complete ballots, then the pitch order.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from carteblanche.core.errors import ServiceError

from .models import Challenge, ConflictOfInterest, Criterion, Experiment, Hackathon, HackathonTeam, Score


def schedule(hackathon: Hackathon) -> list[dict]:
    slot = datetime.timedelta(minutes=hackathon.pitch_minutes + hackathon.questions_minutes)
    start = datetime.datetime.combine(hackathon.date, hackathon.start_time)
    rows = []
    for index, team in enumerate(hackathon.teams.select_related("challenge").order_by("pitch_order")):
        pitch = start + index * slot
        rows.append(
            {
                "team": team,
                "pitch": pitch.time(),
                "questions": (pitch + datetime.timedelta(minutes=hackathon.pitch_minutes)).time(),
                "end": (pitch + slot).time(),
            }
        )
    return rows


def is_juror(user, hackathon) -> bool:
    return hackathon.jurors.filter(pk=user.pk).exists()


@transaction.atomic
def score_team(*, hackathon: Hackathon, juror, team: HackathonTeam, marks: dict[int, int]) -> None:
    """Record a juror's marks for a team (criterion id → mark 0..10), replacing earlier ones."""
    if not is_juror(juror, hackathon):
        raise ServiceError("Seuls les jurés de ce hackathon notent les équipes.")
    if team.hackathon_id != hackathon.pk:
        raise ServiceError("Cette équipe ne participe pas à ce hackathon.")
    if hackathon.announced_at:
        raise ServiceError("Les lauréats sont annoncés : les notes sont closes.")
    if ConflictOfInterest.objects.filter(team=team, juror=juror).exists():
        raise ServiceError("Vous avez déclaré un lien avec cette équipe : vous ne la notez pas.")
    criteria = {c.pk: c for c in hackathon.criteria.all()}
    for criterion_id, mark in marks.items():
        if criterion_id not in criteria:
            raise ServiceError("Critère inconnu.")
        if not 0 <= mark <= 10:
            raise ServiceError("Chaque note va de 0 à 10.")
        Score.objects.update_or_create(team=team, juror=juror, criterion_id=criterion_id, defaults={"value": mark})


@transaction.atomic
def declare_conflict(*, hackathon, juror, team, reason: str) -> None:
    if not is_juror(juror, hackathon):
        raise ServiceError("Seuls les jurés déclarent un conflit d'intérêts.")
    if not reason.strip():
        raise ServiceError("Précisez la nature du lien avec l'équipe.")
    ConflictOfInterest.objects.update_or_create(team=team, juror=juror, defaults={"reason": reason.strip()[:200]})
    Score.objects.filter(team=team, juror=juror).delete()  # a mark given before the declaration no longer counts


@dataclass
class Result:
    team: HackathonTeam
    score: float | None
    ballots: int
    heaviest: float
    excluded: list[str] = field(default_factory=list)
    rank: int = 0
    laureate: bool = False


def results(hackathon: Hackathon) -> list[Result]:
    criteria = list(Criterion.objects.filter(hackathon=hackathon).order_by("-weight", "pk"))
    total_weight = sum(c.weight for c in criteria) or 1
    heaviest = criteria[0].pk if criteria else None
    conflicts = {(c.team_id, c.juror_id) for c in ConflictOfInterest.objects.filter(team__hackathon=hackathon)}
    marks: dict[tuple[int, int], dict[int, int]] = {}
    for score in Score.objects.filter(team__hackathon=hackathon):
        marks.setdefault((score.team_id, score.juror_id), {})[score.criterion_id] = score.value
    rows = []
    for team in hackathon.teams.order_by("pitch_order"):
        ballots, heavy, excluded = [], [], []
        for juror in hackathon.jurors.all():
            if (team.pk, juror.pk) in conflicts:
                excluded.append(f"{juror} (conflit d'intérêts)")
                continue
            ballot = marks.get((team.pk, juror.pk), {})
            if len(ballot) < len(criteria) or not criteria:
                if ballot:
                    excluded.append(f"{juror} (notes incomplètes)")
                continue
            ballots.append(sum(c.weight * ballot[c.pk] for c in criteria) / total_weight)
            heavy.append(ballot[heaviest])
        rows.append(
            Result(
                team=team,
                score=sum(ballots) / len(ballots) if ballots else None,
                ballots=len(ballots),
                heaviest=sum(heavy) / len(heavy) if heavy else 0.0,
                excluded=excluded,
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), -r.heaviest, -r.ballots, r.team.pitch_order))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
        row.laureate = row.score is not None and rank <= hackathon.laureates
    return rows


def announce(hackathon: Hackathon) -> list[Result]:
    rows = results(hackathon)
    if not any(r.score is not None for r in rows):
        raise ServiceError("Aucune équipe n'a encore de note complète.")
    hackathon.announced_at = timezone.now()
    hackathon.save(update_fields=["announced_at"])
    return rows


@transaction.atomic
def follow_as_experiment(*, team: HackathonTeam, actor=None) -> Experiment:
    """A laureate's project goes on as an experiment of the operation."""
    from .services import record

    hackathon = team.hackathon
    if not hackathon.announced_at or not any(r.laureate and r.team.pk == team.pk for r in results(hackathon)):
        raise ServiceError(
            "Seul le projet d'une équipe lauréate, une fois les lauréats annoncés, devient une expérimentation."
        )
    if team.experiment_id:
        raise ServiceError("Ce projet est déjà suivi comme expérimentation.")
    experiment = Experiment.objects.create(
        operation=hackathon.operation,
        title=f"{team.name} : {team.project[:150]}",
        prototype=team.project,
        prototype_partners=team.holder,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    team.experiment = experiment
    team.save(update_fields=["experiment"])
    record(experiment, f"Projet lauréat du hackathon « {hackathon.title} » (défi « {team.challenge.title} »)", actor)
    return experiment


DEFAULT_GRID = (("Utilité pour les usagers", 3), ("Faisabilité", 2), ("Originalité", 1))


@transaction.atomic
def hackathon_create(*, hackathon: Hackathon, operation) -> Hackathon:
    """A hackathon from its form (``form.save(commit=False)``; the form saves its juries after), with a default
    scoring grid the team may change."""
    hackathon.operation = operation
    hackathon.save()
    Criterion.objects.bulk_create(Criterion(hackathon=hackathon, name=n, weight=w) for n, w in DEFAULT_GRID)
    return hackathon


@transaction.atomic
def challenge_add(*, hackathon: Hackathon, title: str, description: str = ""):
    title = title.strip()
    if not title:
        raise ServiceError("Donnez un intitulé au défi.")
    return Challenge.objects.create(hackathon=hackathon, title=title[:200], description=description)


@transaction.atomic
def criterion_add(*, hackathon: Hackathon, name: str, weight: int | None) -> Criterion:
    name = name.strip()
    if not name or not weight or weight < 1:
        raise ServiceError("Un critère a un nom et un poids entier positif.")
    return Criterion.objects.create(hackathon=hackathon, name=name[:100], weight=weight)


@transaction.atomic
def team_add(*, hackathon: Hackathon, team: HackathonTeam) -> HackathonTeam:
    """A team from its form (``form.save(commit=False)``), pitching after those already registered."""
    Hackathon.objects.select_for_update().filter(pk=hackathon.pk).first()  # two registrations: distinct orders
    team.hackathon = hackathon
    team.pitch_order = hackathon.teams.count() + 1
    team.save()
    return team
