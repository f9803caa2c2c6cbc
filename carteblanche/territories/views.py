from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core.jobs import start_job
from carteblanche.core.permissions import MANAGERS, can_manage, require_role

from . import access, selectors
from .enums import Weekday
from .models import Territory
from .tasks import access_week

SORT_COLUMNS = [
    ("commune", "Commune"),
    ("population", "Population"),
    ("site", "Site le plus proche ouvert ce jour"),
    ("vol", "Distance à vol d'oiseau"),
    ("route", "Distance routière estimée"),
]


def _territory_for(request, slug) -> Territory:
    """404 for a territory the user does not belong to: its existence is not even confirmed."""
    return get_object_or_404(Territory.objects.for_user(request.user), slug=slug)


def _weekday(request) -> int:
    try:
        value = int(request.GET.get("jour", ""))
    except ValueError:
        return timezone.localdate().weekday()
    return value if value in Weekday.values else timezone.localdate().weekday()


def territory_list(request):
    territories = Territory.objects.for_user(request.user)
    return render(
        request,
        "territories/territory_list.html",
        {"title": "Territoires", "territories": territories, "breadcrumb_data": {"current": "Territoires"}},
    )


def territory_detail(request, slug):
    territory = _territory_for(request, slug)
    weekday = _weekday(request)
    sort = request.GET.get("tri", selectors.DEFAULT_SORT)
    if sort not in selectors.SORT_KEYS:
        sort = selectors.DEFAULT_SORT
    descending = request.GET.get("ordre") == "desc"
    result = selectors.territory_access(territory, weekday, sort, descending)
    columns = []
    for key, label in SORT_COLUMNS:
        is_current = key == sort
        next_order = "asc" if is_current and descending else ("desc" if is_current else "asc")
        columns.append(
            {
                "key": key,
                "label": label,
                "aria_sort": ("descending" if descending else "ascending") if is_current else None,
                "url": f"?jour={weekday}&tri={key}&ordre={next_order}#acces",
            }
        )
    context = {
        "title": territory.name,
        "territory": territory,
        "access": result,
        "weekday": weekday,
        "weekday_label": Weekday(weekday).label,
        "weekdays": Weekday.choices,
        "columns": columns,
        "sites_today": selectors.territory_sites_today(territory),
        "today_label": Weekday(timezone.localdate().weekday()).label,
        "formula": {
            "road_factor": str(access.ROAD_FACTOR).replace(".", ","),
            "speed": int(access.AVERAGE_SPEED_KMH),
        },
        "can_manage": can_manage(request.user, territory),
        "breadcrumb_data": {
            "links": [{"url": "/territoires/", "title": "Territoires"}],
            "current": territory.name,
        },
    }
    return render(request, "territories/territory_detail.html", context)


def territory_geojson(request, slug):
    territory = _territory_for(request, slug)
    body = selectors.communes_feature_collection(territory, _weekday(request))
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response


def territory_members(request, slug):
    territory = _territory_for(request, slug)
    require_role(request.user, territory, *MANAGERS)
    memberships = territory.memberships.select_related("user", "organisation").order_by("role", "user__last_name")
    return render(
        request,
        "territories/territory_members.html",
        {
            "title": f"Membres — {territory.name}",
            "territory": territory,
            "memberships": memberships,
            "organisations": territory.organisations.all(),
            "breadcrumb_data": {
                "links": [
                    {"url": "/territoires/", "title": "Territoires"},
                    {"url": territory.get_absolute_url(), "title": territory.name},
                ],
                "current": "Membres et organisations",
            },
        },
    )


@require_POST
def start_access_week(request, slug):
    territory = _territory_for(request, slug)
    require_role(request.user, territory, *MANAGERS)
    job = start_job(
        access_week,
        label=f"Accessibilité de la semaine — {territory.name}",
        user=request.user,
        territory=territory,
    )
    JournalEntry.log(action=Action.JOB_STARTED, actor=request.user, target=job, territory=territory)
    messages.info(request, "Le calcul est lancé : suivez son avancement ci-dessous.")
    return redirect(job)
