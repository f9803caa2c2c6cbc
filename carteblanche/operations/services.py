"""Writes of the lab's shell: keyword-only arguments, one transaction each."""

import datetime

from django.db import transaction

from carteblanche.core.errors import ServiceError

from .enums import DEFAULT_PHASES, PhaseStatus
from .models import Operation, Phase
from .signals import operation_created


@transaction.atomic
def operation_create(
    *,
    territory,
    name: str,
    slug: str,
    start_date: datetime.date,
    description: str = "",
    end_date: datetime.date | None = None,
    public_form_open: bool = False,
    published: bool = False,
) -> Operation:
    """A new operation with the method's five phases, the first one started; each phase's app seeds the rest."""
    operation = Operation.objects.create(
        territory=territory,
        name=name,
        slug=slug,
        start_date=start_date,
        end_date=end_date,
        description=description,
        public_form_open=public_form_open,
        published=published,
    )
    Phase.objects.bulk_create(
        Phase(
            operation=operation,
            kind=kind,
            name=kind.label,
            order=order,
            status=PhaseStatus.ONGOING if order == 1 else PhaseStatus.PLANNED,
            start_date=start_date if order == 1 else None,
        )
        for order, kind in enumerate(DEFAULT_PHASES, start=1)
    )
    operation_created.send(sender=Operation, operation=operation)
    return operation


@transaction.atomic
def phase_add(*, operation: Operation, phase: Phase) -> Phase:
    """A phase the team adds (its fields from the form), of kind « autre » unless said."""
    phase.operation = operation
    phase.kind = phase.kind or "autre"
    phase.save()
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase) -> None:
    """An operation keeps at least one phase."""
    operation = Operation.objects.select_for_update().get(pk=phase.operation_id)
    if operation.phases.count() == 1:
        raise ServiceError("Une opération garde au moins une phase.")
    phase.delete()
