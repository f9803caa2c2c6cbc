"""Workshop rules: who may add ideas and votes, and how dots are counted."""

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from carteblanche.core import links
from carteblanche.core.errors import ServiceError

from .enums import DEFAULT_AGENDA, PERSONA_TEMPLATES, ExperimentStage, WorkshopStatus
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
        links.revoke_all(purpose=REJOIN_PURPOSE, targets=workshop.participants.all())  # their purpose is over
    return workshop


# --- Rejoining from another device ---------------------------------------------------------------------------

REJOIN_PURPOSE = "atelier-reprise"
REJOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or copied from a phone


def rejoin_code_issue(*, participant: Participant) -> str:
    """A code the participant types on another device to find her ideas and dots (``core.links``: only its hash
    is kept; her first device keeps the code itself, to show it). Earlier codes stop working."""
    return links.issue(
        purpose=REJOIN_PURPOSE, target=participant, single_use=False, alphabet=REJOIN_ALPHABET, length=8
    )


def participant_by_rejoin_code(*, workshop: Workshop, code: str) -> Participant | None:
    link = links.find(links.normalize(code, REJOIN_ALPHABET), purpose=REJOIN_PURPOSE)
    if link is None:
        return None
    return Participant.objects.filter(workshop=workshop, pk=link.object_id).first()


# --- Experiments ----------------------------------------------------------------------------------


def _label(user) -> str:
    return user.email if user is not None and user.is_authenticated else ""


def record(experiment, message: str, actor=None, changes: dict | None = None):
    from .models import ExperimentEvent

    return ExperimentEvent.objects.create(
        experiment=experiment,
        actor=actor if _label(actor) else None,
        actor_label=_label(actor),
        message=message[:300],
        changes=changes or {},
    )


@transaction.atomic
def experiment_from_idea(*, idea: Idea, actor=None):
    """A kept idea becomes an experiment; the irritants it answers are now addressed by a solution."""
    from carteblanche.exploration.enums import IrritantEventKind, IrritantStatus
    from carteblanche.exploration.notifications import notify_residents
    from carteblanche.exploration.services import record_event

    from .models import Experiment

    if not idea.kept:
        raise ServiceError("Seule une idée retenue en atelier devient une expérimentation.")
    if Experiment.objects.filter(idea=idea).exists():
        raise ServiceError("Cette idée est déjà une expérimentation.")
    experiment = Experiment.objects.create(
        operation=idea.workshop.operation,
        idea=idea,
        title=idea.text[:200],
        created_by=actor if _label(actor) else None,
    )
    if idea.persona_id:
        experiment.personas.add(idea.persona_id)
    irritants = list(idea.irritants.all())
    experiment.irritants.set(irritants)
    for irritant in irritants:
        if irritant.status != IrritantStatus.ADDRESSED:
            irritant.status = IrritantStatus.ADDRESSED
            irritant.save(update_fields=["status", "updated_at", "fingerprint"])
            record_event(
                irritant,
                kind=IrritantEventKind.STATUS,
                actor=actor,
                message=f"Traité par l'expérimentation « {experiment.title} »",
                changes={"expérimentation": experiment.pk},
            )
            notify_residents(irritant, news=f"une solution est mise à l'essai : « {experiment.title} »", actor=actor)
    record(experiment, f"Créée à partir de l'idée de l'atelier « {idea.workshop.title} »", actor)
    return experiment


@transaction.atomic
def experiment_create(*, operation, experiment, actor=None):
    """An experiment born of a finding rather than of a workshop's idea (the half-hours of childcare nobody covers,
    from its coverage map): its title and hypothesis as the team wrote them."""
    experiment.operation = operation
    experiment.created_by = actor if _label(actor) else None
    experiment.save()
    record(experiment, "Créée à partir d'un constat, sans idée d'atelier", actor)
    return experiment


def experiment_changed(experiment, *, before: dict, after: dict, actor=None, step: str = "") -> None:
    """Record an edit with the values before and after, field by field."""
    changes = {
        field: {"avant": before.get(field), "après": value}
        for field, value in after.items()
        if before.get(field) != value
    }
    if changes:
        record(experiment, f"{step or 'Modifiée'} : {', '.join(changes)}", actor, changes)


@transaction.atomic
def measurement_add(*, indicator, date, value, note: str = "", actor=None):
    """A measure of an indicator; the first one takes an experiment still being prepared to its results."""
    from .models import Measurement

    measurement = Measurement.objects.create(
        indicator=indicator, date=date, value=value, note=note, entered_by=actor if _label(actor) else None
    )
    record(
        indicator.experiment,
        f"Mesure de « {indicator.name} » : {value} {indicator.unit} au {date:%d/%m/%Y}",
        actor,
        {"indicateur": indicator.pk, "valeur": str(value), "date": date.isoformat()},
    )
    experiment = indicator.experiment
    if experiment.stage in {ExperimentStage.HYPOTHESIS, ExperimentStage.PROTOTYPE, ExperimentStage.PROTOCOL}:
        experiment.stage = ExperimentStage.RESULTS
        experiment.save(update_fields=["stage"])
    return measurement


# --- Derogations ----------------------------------------------------------------------------------


def _journal(derogation, actor, reason: str) -> None:
    from carteblanche.audit.enums import Action
    from carteblanche.audit.models import JournalEntry

    JournalEntry.log(
        action=Action.DEROGATION,
        actor=actor,
        target=derogation,
        territory=derogation.operation.territory,
        reason=reason,
    )


@transaction.atomic
def derogation_draft(*, derogation, operation, experiment, actor):
    """A request for derogation from its form (``form.save(commit=False)``), kept as a draft."""
    derogation.operation, derogation.experiment, derogation.created_by = operation, experiment, actor
    derogation.save()
    record(experiment, f"Demande de dérogation rédigée : {derogation.rule_reference}", actor)
    return derogation


@transaction.atomic
def derogation_submit(derogation, *, actor):
    from .enums import DerogationStatus

    if derogation.status != DerogationStatus.DRAFT:
        raise ServiceError("Seul un brouillon peut être soumis au préfet.")
    derogation.status = DerogationStatus.SUBMITTED
    derogation.submitted_at = timezone.now()
    derogation.save(update_fields=["status", "submitted_at"])
    record(derogation.experiment, f"Dérogation à {derogation.rule_reference} soumise au préfet", actor)
    _journal(derogation, actor, "Demande de dérogation soumise")


@transaction.atomic
def derogation_decide(derogation, *, granted: bool, reasons: str, actor, reference: str = "", pdf=None):
    """Only the prefecture decides; a granted derogation carries the reference of its arrêté."""
    from carteblanche.accounts.enums import Role

    from .enums import DerogationStatus

    if not (actor.is_superuser or actor.has_role(derogation.operation.territory, Role.PREFECTURE)):
        raise ServiceError("Seule la préfecture décide d'une dérogation.")
    if derogation.status != DerogationStatus.SUBMITTED:
        raise ServiceError("Seule une demande soumise peut être décidée.")
    if not reasons.strip():
        raise ServiceError("Motivez la décision.")
    if granted and not reference.strip():
        raise ServiceError("Indiquez la référence de l'arrêté préfectoral.")
    derogation.status = DerogationStatus.GRANTED if granted else DerogationStatus.REFUSED
    derogation.decided_by = actor
    derogation.decided_at = timezone.now()
    derogation.decision_reasons = reasons.strip()
    derogation.arrete_reference = reference.strip()
    if pdf is not None:
        derogation.arrete_pdf = pdf
    derogation.save()
    verdict = "accordée" if granted else "refusée"
    record(derogation.experiment, f"Dérogation à {derogation.rule_reference} {verdict} par la préfecture", actor)
    _journal(derogation, actor, f"Dérogation {verdict}")


@transaction.atomic
def derogation_evaluate(derogation, *, evaluation: str, actor):
    from .enums import DerogationStatus

    if derogation.status != DerogationStatus.GRANTED:
        raise ServiceError("Seule une dérogation accordée s'évalue.")
    if not evaluation.strip():
        raise ServiceError("Écrivez l'évaluation.")
    derogation.status = DerogationStatus.EVALUATED
    derogation.evaluation = evaluation.strip()
    derogation.save(update_fields=["status", "evaluation"])
    record(derogation.experiment, f"Dérogation à {derogation.rule_reference} évaluée", actor)
    _journal(derogation, actor, "Dérogation évaluée")


# --- Replication ----------------------------------------------------------------------------------


@transaction.atomic
def operation_from_template(*, source, territory, name: str, slug: str, start_date, actor=None):
    """A new operation in another territory, built on an existing one: its phases, codebook, publics,
    workshop formats and personas (as templates) are copied; irritants, people and results are not."""
    from carteblanche.exploration.models import AffectedGroup, Code
    from carteblanche.operations.enums import PhaseStatus
    from carteblanche.operations.models import Operation, Phase

    if Operation.objects.filter(slug=slug).exists():
        raise ServiceError(f"L'identifiant « {slug} » est déjà pris.")
    operation = Operation.objects.create(
        territory=territory, name=name, slug=slug, start_date=start_date, description=source.description
    )
    for index, phase in enumerate(source.phases.order_by("order")):
        Phase.objects.create(
            operation=operation,
            kind=phase.kind,
            name=phase.name,
            order=phase.order,
            status=PhaseStatus.ONGOING if index == 0 else PhaseStatus.PLANNED,
            start_date=start_date if index == 0 else None,
        )
    AffectedGroup.objects.bulk_create(
        AffectedGroup(operation=operation, name=group.name) for group in source.affected_groups.all()
    )
    copies: dict[int, Code] = {}

    def copy_codes(parent_id, new_parent):
        for code in Code.objects.filter(operation=source, parent_id=parent_id).order_by("name"):
            copies[code.pk] = Code.objects.create(
                operation=operation, parent=new_parent, name=code.name, description=code.description
            )
            copy_codes(code.pk, copies[code.pk])

    copy_codes(None, None)
    personas = {}
    for persona in source.personas.all():
        personas[persona.pk] = Persona.objects.create(
            operation=operation,
            name=persona.name,
            age=persona.age,
            portrait=persona.portrait,
            situation=persona.situation,
            needs=persona.needs,
            journey=persona.journey,
            letter=persona.letter,
            template=f"copie de {source.slug}",
            created_by=actor if _label(actor) else None,
        )
    for workshop in source.workshops.prefetch_related("agenda", "personas"):
        copy = Workshop.objects.create(
            operation=operation,
            title=workshop.title,
            date=start_date,
            place="À préciser",
            rules=workshop.rules,
            dots_per_participant=workshop.dots_per_participant,
        )
        Sequence.objects.bulk_create(
            Sequence(workshop=copy, order=s.order, kind=s.kind, title=s.title, minutes=s.minutes)
            for s in workshop.agenda.all()
        )
        copy.personas.set([personas[p.pk] for p in workshop.personas.all() if p.pk in personas])
        if _label(actor):
            copy.facilitators.add(actor)
    return operation


@transaction.atomic
def participant_register(
    *,
    workshop: Workshop,
    kind: str,
    first_name: str,
    organisation=None,
    email: str = "",
    consent_recontact: bool = False,
    registered_by=None,
    user=None,
) -> Participant:
    """A participant, registered by the facilitator or joining by the invitation."""
    return Participant.objects.create(
        workshop=workshop,
        kind=kind,
        first_name=first_name,
        organisation=organisation,
        email=email,
        consent_recontact=consent_recontact,
        registered_by=registered_by,
        user=user,
    )


# --- What the facilitator and the team change on a workshop or an experiment ----------------------------------


@transaction.atomic
def workshop_status_set(*, workshop: Workshop, status: str) -> bool:
    """The workshop's round (preparation, ideas, dots…); False for a status that does not exist."""
    if status not in WorkshopStatus.values:
        return False
    workshop.status = status
    workshop.save(update_fields=["status"])
    return True


@transaction.atomic
def idea_group(*, idea: Idea, group: str) -> Idea:
    idea.group = group.strip()[:100]
    idea.save(update_fields=["group"])
    return idea


@transaction.atomic
def idea_link(*, idea: Idea, persona_id: int | None, irritant_ids: list[int]) -> Idea:
    """The persona an idea answers and the irritants it addresses, among the workshop's and the operation's."""
    workshop = idea.workshop
    idea.persona = workshop.personas.filter(pk=persona_id or 0).first()
    idea.save(update_fields=["persona"])
    idea.irritants.set(workshop.operation.irritants.visible().filter(pk__in=[n for n in irritant_ids if n]))
    return idea


def snapshot(instance, fields) -> dict:
    """The values of ``fields`` as the history keeps them (dates in ISO form, the rest as text)."""
    values = {}
    for name in fields:
        value = getattr(instance, name)
        values[name] = (
            value.isoformat() if hasattr(value, "isoformat") else (str(value) if value is not None else None)
        )
    return values


@transaction.atomic
def experiment_step_save(*, experiment, step: str, before: dict, fields: list[str], actor):
    """One step of the experiment from its form (``form.save(commit=False)``): the stage moves forward to the step
    reached (never back), and the change is told in the experiment's history."""
    stages = list(ExperimentStage.values)
    reached = "decision" if step == "decision" and experiment.decision else step
    if stages.index(reached) > stages.index(experiment.stage):
        experiment.stage = reached
    experiment.save()
    experiment_changed(
        experiment,
        before=before,
        after=snapshot(experiment, fields),
        actor=actor,
        step=ExperimentStage(step).label,
    )
    return experiment


@transaction.atomic
def indicator_add(*, experiment, indicator, actor):
    """An indicator from its form (``form.save(commit=False)``), told in the history."""
    indicator.experiment = experiment
    indicator.save()
    record(
        experiment,
        f"Indicateur ajouté : {indicator.name} (départ {indicator.baseline}, "
        f"cible {indicator.target} {indicator.unit})",
        actor,
    )
    return indicator
