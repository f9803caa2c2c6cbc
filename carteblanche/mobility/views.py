"""The bus: the team edits its inputs and plans (project team and prefecture); residents read the timetable."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import spreadsheets
from carteblanche.core.jobs import start_job
from carteblanche.core.permissions import MANAGERS, territory_for
from carteblanche.core.public_cache import public_page
from carteblanche.territories.enums import Weekday
from carteblanche.territories.models import Commune, Territory

from . import matrix, publication, services
from .enums import PlanStatus
from .forms import BusForm, PlanForm, RoadTimesForm, ShiftForm, StopForm, TourSettingsForm
from .models import Bus, CandidateStop, RoadTimes, Shift, TourPlan
from .tasks import plan_tours


def crumbs(territory, section_url: str, section: str, current: str) -> dict:
    links = [
        {"url": territory.get_absolute_url(), "title": territory.name},
        {"url": reverse(section_url, args=[territory.slug]), "title": section},
    ]
    return {"links": links, "current": current}


def _managed(request, slug) -> Territory:
    return territory_for(request, slug, MANAGERS)


def _crumbs(territory, current):
    return crumbs(territory, "mobility:dashboard", "Bus France services", current)


def render_form(request, form, heading: str, submit: str, breadcrumb_data: dict):
    context = {
        "title": heading,
        "heading": heading,
        "form": form,
        "submit": submit,
        "breadcrumb_data": breadcrumb_data,
    }
    return render(request, "layout/form_page.html", context)


def _form_page(request, territory, form, heading, submit, current):
    return render_form(request, form, heading, submit, _crumbs(territory, current))


def dashboard(request, slug):
    territory = _managed(request, slug)
    config = services.settings_for(territory)
    stops = list(CandidateStop.objects.filter(territory=territory).select_related("commune"))
    weights = services.stop_weights(territory, stops)
    published = services.previous_plan(territory)
    timetable = services.timetable(published) if published else {}
    rows = [{"stop": s, "weight": weights[s.pk], "timetable": timetable.get(s.pk, "")} for s in stops]
    return render(
        request,
        "mobility/dashboard.html",
        {
            "title": f"Bus France services — {territory.name}",
            "territory": territory,
            "config": config,
            "buses": Bus.objects.filter(territory=territory).prefetch_related("shifts"),
            "weekdays": list(Weekday)[:5],
            "rows": rows,
            "plans": TourPlan.objects.filter(territory=territory).select_related("created_by")[:10],
            "road_times": RoadTimes.objects.filter(territory=territory).first(),
            "plan_form": PlanForm(initial={"period_start": services.next_monday()}),
            "formula": {"scale": services.DISTANCE_SCALE_KM, "irritant": services.IRRITANT_WEIGHT},
            "breadcrumb_data": {
                "links": [{"url": territory.get_absolute_url(), "title": territory.name}],
                "current": "Bus France services",
            },
        },
    )


def _journal_change(request, territory, target, what: str):
    JournalEntry.log(
        action=Action.BUS_INPUT_CHANGED,
        actor=request.user,
        target=target,
        territory=territory,
        details={"objet": what},
    )


def settings_edit(request, slug):
    territory = _managed(request, slug)
    form = TourSettingsForm(request.POST or None, instance=services.settings_for(territory))
    if request.method == "POST" and form.is_valid():
        form.save()
        _journal_change(request, territory, form.instance, "réglages")
        messages.success(request, "Réglages des tournées enregistrés.")
        return redirect("mobility:dashboard", territory.slug)
    return _form_page(request, territory, form, "Réglages des tournées", "Enregistrer", "Réglages")


def bus_edit(request, slug, pk=None):
    territory = _managed(request, slug)
    bus = get_object_or_404(Bus, territory=territory, pk=pk) if pk else None
    form = BusForm(request.POST or None, instance=bus, territory=territory)
    if request.method == "POST" and form.is_valid():
        form.save()
        _journal_change(request, territory, form.instance, "bus")
        messages.success(request, f"Bus « {form.instance.name} » enregistré.")
        return redirect("mobility:dashboard", territory.slug)
    heading = f"Modifier le bus « {bus.name} »" if bus else "Ajouter un bus"
    return _form_page(request, territory, form, heading, "Enregistrer", heading)


def shift_edit(request, slug, pk, weekday):
    territory = _managed(request, slug)
    bus = get_object_or_404(Bus, territory=territory, pk=pk)
    if weekday not in Weekday.values:
        raise Http404
    shift = Shift.objects.filter(bus=bus, weekday=weekday).first() or Shift(bus=bus, weekday=weekday)
    form = ShiftForm(request.POST or None, instance=shift)
    if request.method == "POST" and form.is_valid():
        day = Weekday(weekday).label
        if form.cleaned_data["works"]:
            form.save()
            messages.success(request, f"Journée du {day} enregistrée.")
        elif shift.pk:
            services.shift_remove(shift=shift)
            messages.success(request, f"Le bus ne circule plus le {day}.")
        _journal_change(request, territory, bus, f"journée du {day}")
        return redirect("mobility:dashboard", territory.slug)
    heading = f"{bus.name} : journée du {Weekday(weekday).label}"
    return _form_page(request, territory, form, heading, "Enregistrer", heading)


def stop_edit(request, slug, pk=None):
    territory = _managed(request, slug)
    stop = get_object_or_404(CandidateStop, territory=territory, pk=pk) if pk else None
    form = StopForm(request.POST or None, instance=stop, territory=territory)
    if request.method == "POST" and form.is_valid():
        form.save()
        _journal_change(request, territory, form.instance, "arrêt")
        messages.success(request, f"Arrêt « {form.instance} » enregistré. Relancez le calcul pour en tenir compte.")
        return redirect(reverse("mobility:dashboard", args=[territory.slug]) + "#arrets")
    heading = f"Modifier l'arrêt « {stop} »" if stop else "Ajouter un arrêt possible"
    return _form_page(request, territory, form, heading, "Enregistrer l'arrêt", heading)


def road_points(request, slug):
    """The depots and stops, in the order the routing engine's answer must follow, with a ready-made OSRM query."""
    territory = _managed(request, slug)
    points = matrix_points(territory)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="points-{territory.slug}.csv"'
    response.write("\ufeff")
    writer = spreadsheets.writer(response, delimiter=";")
    writer.writerow(["rang", "identifiant", "libellé", "latitude", "longitude"])
    for rank, (key, label, lat, lon) in enumerate(points, start=1):
        writer.writerow([rank, key, label, f"{lat:.6f}", f"{lon:.6f}"])
    return response


def matrix_points(territory):
    buses = Bus.objects.filter(territory=territory, is_active=True)
    stops = CandidateStop.objects.active().filter(territory=territory).select_related("commune")
    return [(f"bus-{b.pk}", b.depot, b.depot_latitude, b.depot_longitude) for b in buses] + [
        (f"arret-{s.pk}", str(s), s.latitude, s.longitude) for s in stops
    ]


def road_times(request, slug):
    territory = _managed(request, slug)
    points = matrix_points(territory)
    form = RoadTimesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.road_times_import(
                territory=territory,
                raw=upload.read(),
                engine=form.cleaned_data["engine"],
                filename=upload.name,
                points=points,
                actor=request.user,
            )
        except matrix.MatrixError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request, f"Temps routiers importés pour {len(points)} points : le prochain calcul les utilisera."
            )
            return redirect("mobility:dashboard", territory.slug)
    osrm = ";".join(f"{lon:.6f},{lat:.6f}" for _, _, lat, lon in points)
    return render(
        request,
        "mobility/road_times.html",
        {
            "title": "Importer des temps routiers",
            "territory": territory,
            "form": form,
            "points": points,
            "osrm_query": f"/table/v1/driving/{osrm}?annotations=duration,distance",
            "current": RoadTimes.objects.filter(territory=territory).first(),
            "breadcrumb_data": _crumbs(territory, "Temps routiers"),
        },
    )


@require_POST
def plan_start(request, slug):
    territory = _managed(request, slug)
    form = PlanForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("period_start", []):
            messages.error(request, error)
        return redirect("mobility:dashboard", territory.slug)
    job = start_job(
        plan_tours,
        label=f"Tournées du bus — {territory.name}",
        user=request.user,
        territory=territory,
        params={"period_start": form.cleaned_data["period_start"].isoformat()},
    )
    JournalEntry.log(action=Action.JOB_STARTED, actor=request.user, target=job, territory=territory)
    messages.info(request, "Le calcul des tournées est lancé : suivez son avancement ci-dessous.")
    published = services.previous_plan(territory)
    if published:
        messages.info(
            request,
            f"Le plan publié (n° {published.pk}, à partir du lundi {published.period_start:%d/%m/%Y}) reste en "
            "service : le nouveau plan sera un brouillon, qui ne le remplacera que si vous le publiez.",
        )
    return redirect(job)


def plan_detail(request, slug, pk):
    territory = _managed(request, slug)
    plan = get_object_or_404(TourPlan, territory=territory, pk=pk)
    return render(
        request,
        "mobility/plan.html",
        {
            "title": f"{plan} — {territory.name}",
            "territory": territory,
            "plan": plan,
            "days": publication.plan_days(plan),
            "timetable": publication.stop_timetables(plan),
            "can_publish": plan.status == PlanStatus.DRAFT,
            "published": services.previous_plan(territory) if plan.status == PlanStatus.DRAFT else None,
            "breadcrumb_data": _crumbs(territory, str(plan)),
        },
    )


@require_POST
def plan_publish(request, slug, pk):
    territory = _managed(request, slug)
    plan = get_object_or_404(TourPlan, territory=territory, pk=pk, status=PlanStatus.DRAFT)
    services.publish(plan, request.user)
    JournalEntry.log(action=Action.TOUR_PLAN_PUBLISHED, actor=request.user, target=plan, territory=territory)
    messages.success(request, "Plan publié : les pages des communes, le calendrier et les affiches sont à jour.")
    return redirect(plan)


# ---------------------------------------------------------------------------------------------------------------
# For residents: no account needed.


def _published(slug):
    territory = get_object_or_404(Territory, slug=slug)
    plan = services.previous_plan(territory)
    return territory, plan


@login_not_required
@public_page("bus")
def public_timetable(request, slug):
    territory, plan = _published(slug)
    return render(
        request,
        "mobility/public_timetable.html",
        {
            "title": f"Passages du bus France services — {territory.name}",
            "territory": territory,
            "plan": plan,
            "week": publication.week_table(plan) if plan else None,
            "communes": publication.communes_served(plan) if plan else [],
            "hitchhiking": publication.hitchhiking_stops(territory),
            "breadcrumb_data": {"current": "Passages du bus France services"},
        },
    )


@login_not_required
@public_page("bus")
def public_geojson(request, slug):
    territory, plan = _published(slug)
    body = publication.week_geojson(territory, plan)
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _commune(slug, insee):
    territory, plan = _published(slug)
    commune = get_object_or_404(Commune, insee_code=insee, territories=territory)
    return territory, plan, commune


@login_not_required
@public_page("bus")
def public_commune(request, slug, insee):
    territory, plan, commune = _commune(slug, insee)
    stops = publication.commune_passages(plan, commune) if plan else []
    return render(
        request,
        "mobility/public_commune.html",
        {
            "title": f"Le bus France services à {commune.name}",
            "territory": territory,
            "plan": plan,
            "commune": commune,
            "stops": stops,
            "nearest": publication.nearest_stops(plan, commune) if plan and not stops else [],
            "sites": publication.sites_nearby(commune),
            "phone": services.settings_for(territory).contact_phone,
            "services": publication.SERVICES,
            "breadcrumb_data": {
                "links": [{"url": reverse("mobility:public", args=[territory.slug]), "title": "Passages du bus"}],
                "current": commune.name,
            },
        },
    )


@login_not_required
@public_page("bus")
def public_commune_ics(request, slug, insee):
    territory, plan, commune = _commune(slug, insee)
    body = publication.commune_calendar(territory, plan, commune, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bus-france-services-{slugify(commune.name)}.ics"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@public_page("bus")
def public_commune_poster(request, slug, insee):
    territory, plan, commune = _commune(slug, insee)
    if plan is None or not publication.commune_passages(plan, commune):
        raise Http404("Le bus ne s'arrête pas dans cette commune : pas d'affiche.")
    pdf = publication.poster_pdf(request, territory, plan, commune)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="affiche-bus-{slugify(commune.name)}.pdf"'
    return response
