"""The territory's childcare coverage, for advisers and the project team: the communes on a map and in a table, a
day × hour grid, every half-hour in a CSV, and the link that starts an experiment from what nobody covers. Counts
only, small counts of needs hidden (``coverage``)."""

import datetime
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import french, spreadsheets
from carteblanche.core.permissions import territory_for
from carteblanche.exploration.selectors import as_int
from carteblanche.operations.models import Operation
from carteblanche.operations.permissions import can_manage_territory

from . import coverage as figures
from .views import ADVISERS

PAST_DAYS, FUTURE_DAYS = 366, 731  # the dates a page may be asked about, around today


def _on(request) -> datetime.date:
    """``?le=AAAA-MM-JJ``, within a year before and two years after today; today otherwise."""
    today = timezone.localdate()
    try:
        on = datetime.date.fromisoformat(request.GET.get("le", ""))
    except ValueError:
        return today
    if not today - datetime.timedelta(days=PAST_DAYS) <= on <= today + datetime.timedelta(days=FUTURE_DAYS):
        return today
    return on


def _launch(user, territory, found: figures.Coverage, commune) -> str:
    """The codesign's new experiment of the territory's latest operation, prefilled; for who may create one."""
    if not can_manage_territory(user, territory):
        return ""
    operation = Operation.objects.filter(territory=territory).order_by("-start_date", "pk").first()
    if operation is None:
        return ""
    query = urlencode(found.experiment(commune.pk if commune else None))
    return f"{reverse('codesign:experiments', kwargs={'slug': operation.slug})}?{query}#nouvelle"


def coverage(request, slug):
    territory = territory_for(request, slug, ADVISERS)
    on = _on(request)
    found = figures.compute(territory, on=on)
    commune = found.commune(as_int(request.GET.get("commune")))
    return render(
        request,
        "childcare/coverage.html",
        {
            "title": "Garde d'enfants : couverture du territoire",
            "territory": territory,
            "coverage": found,
            "on": on,
            "commune": commune,
            "grid": found.grid(commune.pk if commune else None),
            "weekdays": french.WEEKDAYS,
            "legend": found.legend(),
            "minimum": figures.minimum(),
            "needs": figures.needs_phrase(found.need_count),
            "uncovered": len(found.uncovered_slots),
            "query": urlencode({"le": on.isoformat()}),
            "launch": _launch(request.user, territory, found, commune),
        },
    )


def coverage_csv(request, slug):
    territory = territory_for(request, slug, ADVISERS)
    on = _on(request)
    rows = figures.compute(territory, on=on).csv_rows()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="couverture-garde-{territory.slug}-{on.isoformat()}.csv"'
    response.write("\ufeff")
    spreadsheets.writer(response, delimiter=";").writerows(rows)
    return response


def coverage_geojson(request, slug):
    territory = territory_for(request, slug, ADVISERS)
    body = figures.compute(territory, on=_on(request)).feature_collection()
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response
