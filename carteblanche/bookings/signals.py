"""Appointments feed the published results of their motif's structure (quality): seen appointments, the share of
« lapins », the delay to the first free slot. Counted in grouped queries, like the rest of the results."""

import datetime

from django.db.models import Count, Q


def _where(appointment):
    from .models import Motif

    structure_id = Motif.objects.filter(pk=appointment.motif_id).values_list("structure_id", flat=True).first()
    return (structure_id, appointment.quarter) if structure_id else None


def count_appointments(found, ids, *, first: datetime.date, today: datetime.date) -> None:
    from carteblanche.quality.selectors import share

    from .enums import Status
    from .models import Appointment

    rows = (
        Appointment.objects.filter(motif__structure_id__in=ids, quarter__gte=first, quarter__lte=today)
        .filter(starts_at__date__lte=today)
        .values("motif__structure_id", "quarter")
        .annotate(
            seen=Count("id", filter=Q(status=Status.SEEN)),
            missed=Count("id", filter=Q(status=Status.NO_SHOW)),
        )
        .order_by()
    )
    for row in rows:
        quarter = found[row["motif__structure_id"]].quarter(row["quarter"])
        quarter["rendez_vous"].n += row["seen"]
        share(quarter["lapins"], row["missed"], row["seen"] + row["missed"])
    delays = (
        Appointment.objects.filter(
            motif__structure_id__in=ids, quarter__gte=first, quarter__lte=today, first_free_days__isnull=False
        )
        .values_list("motif__structure_id", "quarter", "first_free_days")
        .annotate(n=Count("id"))
        .order_by()
    )
    for structure_id, quarter, days, n in delays:
        indicator = found[structure_id].quarter(quarter)["premier_creneau"]
        indicator.histogram[days] += n
        indicator.n += n


def connect() -> None:
    from carteblanche.quality import selectors, signals

    from .models import Appointment

    selectors.add_counter(count_appointments)
    signals.forget_on(Appointment, _where)
