"""Writes that touch several rows: each is one transaction, and each leaves a trace in the history."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carteblanche.core.errors import ServiceError

from .enums import (
    DEFAULT_AFFECTED_GROUPS,
    EvidenceKind,
    IrritantEventKind,
    IrritantSource,
    IrritantStatus,
)
from .models import (
    AffectedGroup,
    Attachment,
    Code,
    Evidence,
    Excerpt,
    FieldVisit,
    Irritant,
    IrritantEvent,
    PendingImport,
    PriorityExpectation,
    ResidentContact,
    ResidentReport,
    Theme,
    VisitParticipants,
    title_from,
)

CONTACT_FIELDS = ("first_name", "email", "phone")


def _actor_label(user) -> str:
    return user.email if user is not None and user.is_authenticated else ""


def record_event(irritant: Irritant, *, kind: str, message: str, actor=None, changes: dict | None = None):
    actor = actor if actor is not None and actor.is_authenticated else None
    return IrritantEvent.objects.create(
        irritant=irritant,
        kind=kind,
        actor=actor,
        actor_label=_actor_label(actor),
        message=message[:300],
        changes=changes or {},
    )


def seed_operation(*, operation, **_) -> None:
    """What a new operation starts with in exploration: the usual groups of people affected."""
    AffectedGroup.objects.bulk_create(AffectedGroup(operation=operation, name=n) for n in DEFAULT_AFFECTED_GROUPS)


@transaction.atomic
def irritant_create(
    *,
    operation,
    actor=None,
    source=IrritantSource.TEAM,
    communes=(),
    organisations=(),
    affected_groups=(),
    evidence: list[dict] | None = None,
    **fields,
) -> Irritant:
    irritant = Irritant.objects.create(operation=operation, source=source, created_by=_user_or_none(actor), **fields)
    if communes:
        irritant.communes.set(communes)
    if organisations:
        irritant.organisations.set(organisations)
    if affected_groups:
        irritant.affected_groups.set(affected_groups)
    record_event(
        irritant, kind=IrritantEventKind.CREATED, actor=actor, message=f"Créé ({IrritantSource(source).label.lower()})"
    )
    for item in evidence or []:
        evidence_add(irritant, actor=actor, record=False, **item)
    from .duplicates import flag_if_duplicate

    flag_if_duplicate(irritant)
    return irritant


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


def evidence_add(irritant: Irritant, *, kind: str, actor=None, record=True, **fields) -> Evidence:
    evidence = Evidence.objects.create(irritant=irritant, kind=kind, added_by=_user_or_none(actor), **fields)
    Irritant.objects.filter(pk=irritant.pk).update(evidence_count=F("evidence_count") + 1)
    irritant.evidence_count += 1
    if record:
        record_event(
            irritant,
            kind=IrritantEventKind.EVIDENCE,
            actor=actor,
            message=f"Preuve ajoutée : {EvidenceKind(kind).label.lower()}",
        )
    return evidence


@transaction.atomic
def evidence_remove(evidence: Evidence, *, actor=None) -> None:
    irritant = evidence.irritant
    label = f"{evidence.get_kind_display().lower()} « {evidence.text[:80]} »"
    evidence.delete()
    Irritant.objects.filter(pk=irritant.pk).update(evidence_count=irritant.evidence.count())
    record_event(irritant, kind=IrritantEventKind.EVIDENCE, actor=actor, message=f"Preuve retirée : {label}")


@transaction.atomic
def report_submit(
    *,
    operation,
    what_happened: str,
    commune=None,
    service: str = "",
    organisation=None,
    contact: dict | None = None,
    captured_by=None,
    client_hash: str = "",
    session_hash: str = "",
) -> Irritant:
    """A resident's report (public form, or an agent at a counter on their behalf) becomes an irritant,
    with the report as its first evidence. Contact details go to a separate table."""
    report = ResidentReport.objects.create(
        operation=operation,
        what_happened=what_happened,
        commune=commune,
        service=service,
        organisation=organisation,
        captured_by=_user_or_none(captured_by),
        client_hash=client_hash,
        session_hash=session_hash,
    )
    # Contact details are kept only to re-contact someone who agreed to it.
    if contact and contact.get("consent_recontact") and any(contact.get(k) for k in CONTACT_FIELDS):
        ResidentContact.objects.create(
            report=report,
            first_name=contact.get("first_name", ""),
            email=contact.get("email", ""),
            phone=contact.get("phone", ""),
            consent_recontact=True,
            consented_at=timezone.now(),
        )
    on_behalf = captured_by is not None and captured_by.is_authenticated
    title = title_from(what_happened)
    return irritant_create(
        operation=operation,
        actor=captured_by if on_behalf else None,
        source=IrritantSource.COUNTER if on_behalf else IrritantSource.RESIDENT,
        title=title,
        description=what_happened.strip(),
        services=service,
        captured_on_behalf=on_behalf,
        communes=[commune] if commune else [],
        organisations=[organisation] if organisation else [],
        evidence=[
            {
                "kind": EvidenceKind.RESIDENT_MESSAGE,
                "report": report,
                "text": what_happened.strip(),
                "source_label": "Recueilli au guichet" if on_behalf else "Formulaire public",
            }
        ],
    )


@transaction.atomic
def irritants_merge(*, target: Irritant, sources: list[Irritant], actor=None) -> Irritant:
    """Merge ``sources`` into ``target``: every piece of evidence, commune, organisation and group moves
    over; the sources stay, marked merged, with a link to the target and a line in both histories.

    All rows are locked, in a fixed order, and re-read: two people merging A into B and B into A at the
    same moment cannot both succeed."""
    ids = sorted({target.pk, *(s.pk for s in sources)})
    locked = {i.pk: i for i in Irritant.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    target = locked[target.pk]
    if target.status == IrritantStatus.MERGED:
        raise ServiceError(f"L'irritant n° {target.pk} est lui-même fusionné : choisissez celui qui l'a reçu.")
    already = set(target.evidence.exclude(excerpt=None).values_list("excerpt_id", flat=True))
    for given in sources:
        source = locked[given.pk]
        if source.pk == target.pk:
            raise ServiceError("Un irritant ne peut pas être fusionné avec lui-même.")
        if source.operation_id != target.operation_id:
            raise ServiceError("Seuls les irritants d'une même opération peuvent être fusionnés.")
        if source.status == IrritantStatus.MERGED:
            raise ServiceError(f"« {source.title} » est déjà fusionné.")
        for evidence in source.evidence.all():
            if evidence.excerpt_id and evidence.excerpt_id in already:
                evidence.delete()  # the same excerpt already supports the target
                continue
            evidence.irritant = target
            evidence.save(update_fields=["irritant"])
            if evidence.excerpt_id:
                already.add(evidence.excerpt_id)
        target.communes.add(*source.communes.all())
        target.organisations.add(*source.organisations.all())
        target.affected_groups.add(*source.affected_groups.all())
        # Irritants merged earlier into the source, or flagged as its duplicates, now point at the target.
        Irritant.objects.filter(merged_into=source).update(merged_into=target)
        Irritant.objects.filter(possible_duplicate_of=source).exclude(pk=target.pk).update(
            possible_duplicate_of=target
        )
        Irritant.objects.filter(pk=target.pk, possible_duplicate_of=source).update(possible_duplicate_of=None)
        source.status = IrritantStatus.MERGED
        source.merged_into = target
        source.possible_duplicate_of = None
        source.evidence_count = 0
        source.save(
            update_fields=[
                "status",
                "merged_into",
                "possible_duplicate_of",
                "evidence_count",
                "updated_at",
                "fingerprint",
            ]
        )
        record_event(
            source,
            kind=IrritantEventKind.MERGED_INTO,
            actor=actor,
            message=f"Fusionné dans « {target.title} » (n° {target.pk})",
            changes={"cible": target.pk},
        )
        record_event(
            target,
            kind=IrritantEventKind.ABSORBED,
            actor=actor,
            message=f"A reçu « {source.title} » (n° {source.pk}) et ses preuves",
            changes={"source": source.pk},
        )
        if target.severity is None or (source.severity or 0) > target.severity:
            target.severity = source.severity
        if target.frequency is None or (source.frequency or 0) > target.frequency:
            target.frequency = source.frequency
    target.refresh_from_db(fields=["possible_duplicate_of"])
    target.evidence_count = target.evidence.count()
    target.save()
    return target


def irritant_update(irritant: Irritant, *, actor, changed: dict) -> None:
    """Record what an edit changed, field by field, in French."""
    if not changed:
        return
    labels = ", ".join(sorted(changed))
    kind = IrritantEventKind.STATUS if list(changed) == ["Statut"] else IrritantEventKind.EDITED
    record_event(irritant, kind=kind, actor=actor, message=f"Modifié : {labels}", changes=changed)
    if "Statut" in changed:
        from .notifications import notify_residents

        notify_residents(
            irritant, news=f"votre signalement est maintenant « {irritant.get_status_display().lower()} »", actor=actor
        )


# --- Codebook -------------------------------------------------------------------------------------


def _code_name(operation_id, parent_id, name: str, exclude_pk=None) -> str:
    """A code's name: not empty, and unique among its siblings (case ignored)."""
    name = name.strip()
    if not name:
        raise ServiceError("Donnez un nom au code.")
    siblings = Code.objects.filter(operation_id=operation_id, parent_id=parent_id, name__iexact=name)
    if siblings.exclude(pk=exclude_pk).exists():
        raise ServiceError(f"Le code « {name} » existe déjà à cet endroit du livre de codes.")
    return name


def code_create(*, operation, name: str, parent: Code | None = None, description: str = "") -> Code:
    if parent is not None and parent.operation_id != operation.pk:
        raise ServiceError("Le code parent appartient à une autre opération.")
    name = _code_name(operation.pk, parent.pk if parent else None, name)
    return Code.objects.create(operation=operation, parent=parent, name=name, description=description)


def code_rename(code: Code, name: str) -> Code:
    name = _code_name(code.operation_id, code.parent_id, name, exclude_pk=code.pk)
    code.name = name
    code.save(update_fields=["name"])
    return code


@transaction.atomic
def code_merge(*, source: Code, target: Code) -> Code:
    """Every excerpt tagged ``source`` is tagged ``target``; children move under ``target``; ``source`` goes."""
    if source.pk == target.pk:
        raise ServiceError("Un code ne peut pas être fusionné avec lui-même.")
    if source.operation_id != target.operation_id:
        raise ServiceError("Les deux codes doivent appartenir à la même opération.")
    if source in target.ancestors():
        raise ServiceError("Un code ne peut pas être fusionné dans l'un de ses sous-codes.")
    for excerpt in source.excerpts.all():
        excerpt.codes.add(target)
    source.children.update(parent=target)
    source.delete()
    return target


@transaction.atomic
def excerpt_create(*, visit, start: int, end: int, text: str, codes=(), memo: str = "", actor=None) -> Excerpt:
    """The browser sends the offsets and the text it saw; both must match the stored notes."""
    notes = visit.notes.replace("\r\n", "\n")
    if not (0 <= start < end <= len(notes)):
        raise ServiceError("La sélection dépasse les notes : rechargez la page et sélectionnez à nouveau.")
    if notes[start:end] != text.replace("\r\n", "\n"):
        raise ServiceError("Les notes ont changé depuis l'affichage : rechargez la page et sélectionnez à nouveau.")
    if not text.strip():
        raise ServiceError("Sélectionnez un passage non vide des notes.")
    codes = list(codes)
    if any(code.operation_id != visit.operation_id for code in codes):
        raise ServiceError("Un des codes appartient à une autre opération.")
    excerpt = Excerpt.objects.create(
        visit=visit, start=start, end=end, text=notes[start:end], memo=memo, created_by=_user_or_none(actor)
    )
    excerpt.codes.set(codes)
    return excerpt


@transaction.atomic
def excerpts_to_irritant(
    *, excerpts: list[Excerpt], actor=None, irritant: Irritant | None = None, title: str = "", operation=None
) -> Irritant:
    """Turn excerpts into a new irritant, or attach them as evidence to an existing one."""
    if not excerpts:
        raise ServiceError("Choisissez au moins un extrait.")
    if irritant is None:
        if not title.strip():
            raise ServiceError("Donnez un intitulé au nouvel irritant.")
        communes = {e.visit.commune_id or e.visit.site.commune_id for e in excerpts}
        irritant = irritant_create(
            operation=operation or excerpts[0].visit.operation,
            actor=actor,
            source=IrritantSource.FIELD,
            title=title.strip(),
            description="\n\n".join(f"« {e.text} »" for e in excerpts),
            communes=[c for c in communes if c],
        )
    for excerpt in excerpts:
        if excerpt.visit.operation_id != irritant.operation_id:
            raise ServiceError("Un extrait vient d'une autre opération.")
        if irritant.evidence.filter(excerpt=excerpt).exists():
            continue
        evidence_add(
            irritant,
            kind=EvidenceKind.EXCERPT,
            actor=actor,
            excerpt=excerpt,
            text=excerpt.text,
            source_label=str(excerpt.visit),
        )
    return irritant


# --- Field work, imports and priorities -----------------------------------------------------------------------


@transaction.atomic
def visit_save(*, visit: FieldVisit, operation, actor, participant_counts: dict[str, int]) -> FieldVisit:
    """A visit from its form (``form.save(commit=False)``; the form saves its many-to-many after) and how many people
    of each kind took part: a count of 0 removes the line."""
    visit.operation = operation
    if not visit.pk:
        visit.created_by = actor
    visit.save()
    for kind, count in participant_counts.items():
        if count:
            VisitParticipants.objects.update_or_create(visit=visit, kind=kind, defaults={"count": count})
        else:
            VisitParticipants.objects.filter(visit=visit, kind=kind).delete()
    return visit


@transaction.atomic
def attachment_add(*, visit: FieldVisit, upload, actor) -> Attachment:
    """A file kept with a visit's notes (its type already checked against its first bytes by the form)."""
    return Attachment.objects.create(
        visit=visit,
        file=upload,
        name=upload.name[:200],
        content_type=upload.content_type.split(";")[0],
        size=upload.size,
        uploaded_by=actor,
    )


@transaction.atomic
def import_prepare(*, operation, upload, source_label: str, actor) -> PendingImport:
    """The uploaded file kept until the import job reads it (the job writes the irritants, all or none)."""
    return PendingImport.objects.create(
        operation=operation,
        file_name=upload.name[:200],
        source_label=source_label,
        content=upload.read(),
        created_by=actor,
    )


@transaction.atomic
def priority_create(*, operation, title: str, description: str = "", theme_ids=()) -> PriorityExpectation:
    """A priority expectation built on themes: those themes become the team's (reviewed)."""
    title = title.strip()
    if not title:
        raise ServiceError("Donnez un intitulé à l'attente prioritaire.")
    priority = PriorityExpectation.objects.create(
        operation=operation, title=title[:200], description=description, order=operation.priorities.count() + 1
    )
    chosen = Theme.objects.filter(operation=operation, pk__in=[n for n in theme_ids if n])
    priority.themes.set(chosen)
    chosen.update(reviewed=True)  # a theme the team built a priority on is theirs now
    return priority


@transaction.atomic
def priority_delete(*, operation, priority_id: int | None) -> None:
    PriorityExpectation.objects.filter(operation=operation, pk=priority_id).delete()


@transaction.atomic
def excerpt_code(
    *, visit, start: int, passage: str, codes: list, new_code: str = "", new_code_parent=None, memo="", actor=None
) -> Excerpt:
    """A passage of the notes tagged with codes, and a new code made on the way (under ``new_code_parent``)."""
    codes = list(codes)
    if new_code.strip():
        codes.append(code_create(operation=visit.operation, name=new_code.strip(), parent=new_code_parent))
    if not codes:
        raise ServiceError("Choisissez au moins un code, ou créez-en un.")
    return excerpt_create(
        visit=visit, start=start, end=start + len(passage), text=passage, codes=codes, memo=memo, actor=actor
    )


@transaction.atomic
def excerpt_delete(*, excerpt: Excerpt) -> None:
    """An excerpt that supports no irritant."""
    if excerpt.evidence.exists():
        raise ServiceError(
            "Cet extrait sert de preuve à un irritant : retirez d'abord cette preuve, depuis la page de l'irritant."
        )
    excerpt.delete()
