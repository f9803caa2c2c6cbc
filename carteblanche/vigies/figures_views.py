"""The vigies' figures for the territory: the communes on a map and in a table, commune × month, what was seen, the
delays and the outcomes, a CSV and the map's GeoJSON; for the project team, the link that starts an experiment from
them. Anonymised counts only, small counts hidden (``figures``); read by the project team, the prefecture and the
agents of the networks' structures and partners."""

import datetime
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import french, spreadsheets
from carteblanche.core.disclosure import minimum
from carteblanche.core.permissions import territory_for
from carteblanche.exploration.selectors import as_int
from carteblanche.operations.models import Operation
from carteblanche.operations.permissions import can_capture, can_manage_territory

from . import figures

NOT_A_READER = (
    "Les chiffres des vigies sont lus par l'équipe projet, la préfecture et les agents des structures des réseaux "
    "de vigies et de leurs partenaires."
)
CHOICE_MONTHS = 60  # the months a period may start or end in, up to this one
LONGEST = 36  # months at most in one period


def _territory(request, slug):
    """The member's territory (404 outside one's territories; 403, said why, for who may not read the figures)."""
    territory = territory_for(request, slug)
    if not figures.may_read(request.user, territory):
        raise PermissionDenied(NOT_A_READER)
    return territory


def _month(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(f"{value}-01")
    except ValueError:
        return None


def _period(request, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """``?du=AAAA-MM&au=AAAA-MM`` within the months offered, at most ``LONGEST`` months; the last twelve otherwise."""
    first, last = figures.last_months(today)
    oldest = figures.add_months(last, -(CHOICE_MONTHS - 1))
    asked_first, asked_last = _month(request.GET.get("du", "")), _month(request.GET.get("au", ""))
    if asked_last and oldest <= asked_last <= last:
        last = asked_last
        first = figures.add_months(last, -(figures.DEFAULT_MONTHS - 1))
    if asked_first and oldest <= asked_first <= figures.month_of(today):
        first = asked_first
    if first > last:
        first, last = last, first
    return max(first, oldest, figures.add_months(last, -(LONGEST - 1))), last


def _compute(request, slug):
    territory = _territory(request, slug)
    first, last = _period(request, timezone.localdate())
    return territory, figures.compute(territory, first=first, last=last, now=timezone.now())


def _launch(user, territory, found: figures.Figures, commune) -> str:
    """The codesign's new experiment of the territory's latest operation, prefilled; for who may create one."""
    if not can_manage_territory(user, territory):
        return ""
    operation = Operation.objects.filter(territory=territory).order_by("-start_date", "pk").first()
    if operation is None:
        return ""
    query = urlencode(found.experiment(commune.pk if commune else None))
    return f"{reverse('codesign:experiments', kwargs={'slug': operation.slug})}?{query}#nouvelle"


def _irritant(user, territory, found: figures.Figures, commune) -> str:
    """The exploration's new irritant of the territory's latest operation, prefilled; for who may write one."""
    operation = Operation.objects.filter(territory=territory).order_by("-start_date", "pk").first()
    if operation is None or not can_capture(user, operation):
        return ""
    query = urlencode(found.irritant(commune.pk if commune else None), doseq=True)
    return f"{reverse('exploration:irritant_create', kwargs={'slug': operation.slug})}?{query}"


def figures_page(request, slug):
    territory, found = _compute(request, slug)
    commune = found.commune(as_int(request.GET.get("commune")))
    commune_id = commune.pk if commune else None
    selection = found.summary(commune_id=commune_id)
    today = figures.month_of(timezone.localdate())
    period = {"du": found.first.strftime("%Y-%m"), "au": found.last.strftime("%Y-%m")}
    return render(
        request,
        "vigies/figures.html",
        {
            "title": "Vigies : chiffres du territoire",
            "breadcrumb_data": {"current": "Chiffres des vigies"},
            "territory": territory,
            "figures": found,
            "commune": commune,
            "selection": selection,
            "months": found.month_rows(commune_id),
            "cells": found.cell_rows(commune_id),
            "breakdowns": [
                ("Ce qui a été remarqué", selection.by_seen),
                ("Urgence", selection.by_urgency),
                ("Envoyés par", selection.by_origin),
                ("Issue des signalements clos", selection.by_outcome),
            ],
            "legend": found.legend(),
            "minimum": minimum(),
            "choices": [
                (month.strftime("%Y-%m"), french.month(month))
                for month in (figures.add_months(today, -i) for i in range(CHOICE_MONTHS))
            ],
            "period": period,
            "query": urlencode(period),
            "csv_query": urlencode({**period, **({"commune": commune.pk} if commune else {})}),
            "launch": _launch(request.user, territory, found, commune),
            "irritant": _irritant(request.user, territory, found, commune),
        },
    )


def figures_csv(request, slug):
    territory, found = _compute(request, slug)
    commune = found.commune(as_int(request.GET.get("commune")))
    rows = found.csv_rows(commune.pk if commune else None)
    name = f"chiffres-vigies-{territory.slug}-{found.first:%Y-%m}-{found.last:%Y-%m}"
    if commune:
        name += f"-{commune.insee_code}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    spreadsheets.writer(response, delimiter=";").writerows(rows)
    return response


def figures_geojson(request, slug):
    _, found = _compute(request, slug)
    response = HttpResponse(found.feature_collection(), content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response
