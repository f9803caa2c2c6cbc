"""A solidarity ride done: its passenger gets the link to say how it went (the ride is the token's target; the
answer keeps no trace of who gave it). Bookings will do the same through ``services.survey_invite``. And every
write of what the results count forgets the memorised results of its quarter (``selectors.forget``)."""

import datetime

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from carteblanche.core.messaging import is_mobile
from carteblanche.mobility.models import Trip

RECENT = datetime.timedelta(days=7)  # a ride recorded later than this is not asked about any more


@receiver(post_save, sender=Trip, dispatch_uid="quality-survey-after-trip")
def survey_after_trip(sender, instance: Trip, created: bool, raw: bool = False, **kwargs):
    if not created or raw or instance.date < timezone.localdate() - RECENT:
        return
    transaction.on_commit(lambda: _invite(instance.pk))


def _invite(trip_pk: int) -> None:
    from carteblanche.mobility import rides

    from .services import survey_invite

    trip = Trip.objects.select_related("ride__territory", "passenger").filter(pk=trip_pk).first()
    if trip is None:
        return
    passenger = trip.passenger
    phone = passenger.phone if is_mobile(passenger.phone) else ""
    if survey_invite(target=trip.ride, email=passenger.email, phone=phone):
        rides.journal_contact(
            passenger, reason="Lien d'avis anonyme après un trajet solidaire", fields=["téléphone", "courriel"]
        )


def _forget(structure_id, quarter) -> None:
    from .selectors import forget

    forget(structure_id, quarter)
    transaction.on_commit(lambda: forget(structure_id, quarter))  # a reader in between memorised the old counts


def _written(sender, instance, **kwargs):
    from .models import CallTally, Experience, quarter_of

    if isinstance(instance, CallTally):
        quarter = quarter_of(instance.date)
    elif isinstance(instance, Experience):
        quarter = quarter_of(instance.told_at)
    else:
        quarter = instance.quarter
    _forget(instance.structure_id, quarter)


def forget_on(model, where) -> None:
    """Another app's rows that the results count (the bookings' appointments): each write forgets the memorised
    results of ``where(instance)``, a (structure id, quarter) or None."""

    def written(sender, instance, **kwargs):
        found = where(instance)
        if found is not None and found[0] is not None:
            _forget(*found)

    label = model._meta.label_lower
    post_save.connect(written, sender=model, dispatch_uid=f"quality-results-{label}-save", weak=False)
    post_delete.connect(written, sender=model, dispatch_uid=f"quality-results-{label}-delete", weak=False)


def connect_results() -> None:
    """Every write of what the results count forgets the memorised results of its structure and quarter."""
    from .models import Answer, CallTally, Experience, Visit

    for model in (Answer, Visit, CallTally, Experience):
        label = model._meta.label_lower
        post_save.connect(_written, sender=model, dispatch_uid=f"quality-results-{label}-save")
        post_delete.connect(_written, sender=model, dispatch_uid=f"quality-results-{label}-delete")
