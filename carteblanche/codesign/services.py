"""Workshop rules: who may add ideas and votes, and how dots are counted."""

from django.db import IntegrityError, transaction
from django.db.models import Count

from carteblanche.exploration.services import ServiceError

from .enums import DEFAULT_AGENDA, PERSONA_TEMPLATES, WorkshopStatus
from .models import Idea, Participant, Persona, Sequence, Vote, Workshop


def persona_from_template(*, operation, template: str, actor=None) -> Persona:
    data = PERSONA_TEMPLATES.get(template)
    if data is None:
        raise ServiceError("Modèle de persona inconnu.")
    fields = {k: v for k, v in data.items() if k != "label"}
    return Persona.objects.create(operation=operation, template=template, created_by=actor, **fields)


@transaction.atomic
def workshop_create(*, operation, title: str, date, place: str, actor=None, **fields) -> Workshop:
    workshop = Workshop.objects.create(operation=operation, title=title, date=date, place=place, **fields)
    Sequence.objects.bulk_create(
        Sequence(workshop=workshop, order=order, kind=kind, title=label, minutes=minutes)
        for order, (kind, label, minutes) in enumerate(DEFAULT_AGENDA, start=1)
    )
    if actor is not None and actor.is_authenticated:
        workshop.facilitators.add(actor)
    return workshop


def idea_add(*, workshop: Workshop, participant: Participant | None, text: str) -> Idea:
    text = text.strip()
    if not workshop.accepts_ideas:
        raise ServiceError("L'atelier ne reçoit pas d'idées en ce moment.")
    if len(text) < 3:
        raise ServiceError("Écrivez votre idée en quelques mots.")
    if participant is not None and participant.workshop_id != workshop.pk:
        raise ServiceError("Vous ne participez pas à cet atelier.")
    return Idea.objects.create(workshop=workshop, author=participant, text=text[:1000])


@transaction.atomic
def vote_toggle(*, participant: Participant, idea: Idea) -> bool:
    """Put a dot on an idea, or take it back. Returns True when the dot is now on the idea.

    The participant row is locked: two taps at once cannot spend more dots than allowed, and a participant
    never puts two dots on one idea (database constraint)."""
    participant = Participant.objects.select_for_update().select_related("workshop").get(pk=participant.pk)
    workshop = participant.workshop
    if idea.workshop_id != workshop.pk:
        raise ServiceError("Cette idée appartient à un autre atelier.")
    if not workshop.accepts_votes:
        raise ServiceError("Le vote n'est pas ouvert.")
    existing = Vote.objects.filter(participant=participant, idea=idea).first()
    if existing:
        existing.delete()
        return False
    if participant.votes.count() >= workshop.dots_per_participant:
        raise ServiceError(
            f"Vous avez déjà posé vos {workshop.dots_per_participant} gommettes : retirez-en une d'abord."
        )
    try:
        with transaction.atomic():
            Vote.objects.create(participant=participant, idea=idea)
    except IntegrityError as exc:  # the same dot, sent twice
        raise ServiceError("Votre gommette est déjà sur cette idée.") from exc
    return True


def results(workshop: Workshop):
    """Ideas with their dots, most voted first; groups as the facilitator named them."""
    return workshop.ideas.annotate(dots=Count("votes")).select_related("author").order_by("-dots", "created_at")


def workshop_close(*, workshop: Workshop, minutes: str, kept_ids: list[int]) -> Workshop:
    with transaction.atomic():
        workshop.ideas.update(kept=False)
        workshop.ideas.filter(pk__in=kept_ids).update(kept=True)
        workshop.minutes = minutes
        workshop.status = WorkshopStatus.CLOSED
        workshop.save(update_fields=["minutes", "status"])
    return workshop
