"""A published plan as residents and the team read it: per day, per commune, a map, a calendar feed, a poster."""

from __future__ import annotations

import datetime
import json
import zoneinfo
from collections import defaultdict

from django.template.loader import render_to_string
from django.utils import timezone

from carteblanche.core.pdf import html_to_pdf
from carteblanche.core.qr import qr_data_uri

from .enums import WEEKDAY_NAMES
from .models import CandidateStop, TourPlan
from .services import Passage, clock, fixed_sites, passages

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# What the France services bus helps with (the national France services offer).
SERVICES = [
    "Allocations familiales, logement, prime d'activité (CAF)",
    "Emploi et indemnisation (France Travail)",
    "Santé et carte Vitale (Assurance maladie)",
    "Retraite (Assurance retraite, MSA)",
    "Impôts et prélèvement à la source (finances publiques)",
    "Carte grise, permis de conduire, papiers d'identité (ANTS)",
    "Accès au droit et démarches en ligne (La Poste, justice)",
]
# One colour per weekday on the map, from a colour-blind-safe qualitative palette; the legend repeats the day.
DAY_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00"]


def plan_days(plan: TourPlan) -> list[dict]:
    """The tours, one row a visit, grouped by week and day."""
    visits = plan.visits.select_related("stop__commune", "bus")
    days = defaultdict(list)
    for visit in visits:
        days[(visit.week, visit.weekday)].append(visit)
    rows = []
    for week in range(plan.weeks):
        for weekday in range(7):
            if (week, weekday) in days:
                date = plan.period_start + datetime.timedelta(days=7 * week + weekday)
                rows.append({"week": week, "date": date, "visits": days[(week, weekday)]})
    return rows


def stop_timetables(plan: TourPlan) -> list[dict]:
    stops = {s.pk: s for s in CandidateStop.objects.filter(visits__plan=plan).select_related("commune").distinct()}
    by_stop = defaultdict(list)
    for passage in passages(plan):
        by_stop[passage.stop_id].append(passage)
    return sorted(
        ({"stop": stops[pk], "passages": found, "phrase": _joined(found)} for pk, found in by_stop.items()),
        key=lambda row: row["stop"].commune.name,
    )


def _joined(found: list[Passage]) -> str:
    return " et ".join(p.phrase() for p in found)


def communes_served(plan: TourPlan) -> list[dict]:
    rows = stop_timetables(plan)
    return [{"commune": row["stop"].commune, "place": row["stop"].place, "phrase": row["phrase"]} for row in rows]


def week_table(plan: TourPlan) -> list[dict]:
    """Weekday → the stops that day, every week or on even/odd weeks: the printed « semaine type »."""
    stops = {s.pk: s for s in CandidateStop.objects.filter(visits__plan=plan).select_related("commune").distinct()}
    table = []
    for weekday in range(5):
        entries = [
            {
                "commune": stops[p.stop_id].commune,
                "place": stops[p.stop_id].place,
                "hours": f"{clock(p.start)} – {clock(p.end)}",
                "when": p.weeks_label,
            }
            for p in passages(plan)
            if p.weekday == weekday
        ]
        entries.sort(key=lambda e: (e["hours"], e["when"]))
        table.append({"day": WEEKDAY_NAMES[weekday], "colour": DAY_COLOURS[weekday], "entries": entries})
    return table


def week_geojson(territory, plan: TourPlan | None) -> dict:
    """The stops of the published plan as points, with their day's colour and timetable."""
    features = []
    if plan is not None:
        # The communes served, drawn under the stops in their day's colour (the first day, for several).
        drawn = set()
        for row in stop_timetables(plan):
            commune = row["stop"].commune
            if commune.pk in drawn or not commune.boundary_geojson:
                continue
            drawn.add(commune.pk)
            weekday = row["passages"][0].weekday
            features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(commune.boundary_geojson),
                    "properties": {
                        "commune": commune.name,
                        "couleur": DAY_COLOURS[weekday],
                        "jour": WEEKDAY_NAMES[weekday],
                        "type": "commune",
                    },
                }
            )
        for row in stop_timetables(plan):
            stop = row["stop"]
            weekday = row["passages"][0].weekday
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [stop.longitude, stop.latitude]},
                    "properties": {
                        "commune": stop.commune.name,
                        "lieu": stop.place,
                        "passages": row["phrase"],
                        "couleur": DAY_COLOURS[weekday],
                        "jour": WEEKDAY_NAMES[weekday],
                        "type": "bus",
                    },
                }
            )
    for stop in hitchhiking_stops(territory):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [stop.longitude, stop.latitude]},
                "properties": {
                    "commune": stop.commune.name,
                    "lieu": stop.name,
                    "passages": f"arrêt sur le pouce{', vers ' + stop.directions if stop.directions else ''}",
                    "type": "pouce",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def hitchhiking_stops(territory):
    from .models import HitchhikingStop

    return HitchhikingStop.objects.filter(territory=territory).select_related("commune")


def commune_passages(plan: TourPlan, commune, today: datetime.date | None = None) -> list[dict]:
    """The commune's stops in the plan, each with its timetable, its next dates and how its weeks go."""
    today = today or timezone.localdate()
    rows = [row for row in stop_timetables(plan) if row["stop"].commune_id == commune.pk]
    for row in rows:
        dates = sorted({d for p in row["passages"] for d in p.next_dates(plan.period_start, today)})
        row["next_dates"] = dates[:4]
        row["weeks"] = [p.weeks_explained(plan.period_start, today) for p in row["passages"] if not p.every_week]
    return rows


def sites_nearby(commune, count: int = 3) -> list[dict]:
    """The fixed France services sites nearest the commune (the bus is not the only way in), with their distance."""
    from carteblanche.territories.access import haversine_km
    from carteblanche.territories.enums import SiteKind

    rows = [
        {"site": site, "km": haversine_km(commune.latitude, commune.longitude, site.latitude, site.longitude)}
        for site in fixed_sites()
        if site.kind == SiteKind.FRANCE_SERVICES
    ]
    return sorted(rows, key=lambda r: r["km"])[:count]


def nearest_stops(plan: TourPlan, commune, count: int = 3) -> list[dict]:
    """Where to catch the bus when it does not stop in the commune: the closest stops of the plan."""
    from carteblanche.territories.access import haversine_km

    rows = stop_timetables(plan)
    for row in rows:
        stop = row["stop"]
        row["km"] = round(haversine_km(commune.latitude, commune.longitude, stop.latitude, stop.longitude), 1)
    return sorted(rows, key=lambda r: r["km"])[:count]


def _occurrences(plan: TourPlan, passage: Passage):
    start = passage.first_date(plan.period_start)
    return (
        datetime.datetime.combine(start, passage.start, tzinfo=PARIS),
        datetime.datetime.combine(start, passage.end, tzinfo=PARIS),
    )


def commune_calendar(territory, plan: TourPlan | None, commune, base_url: str) -> bytes:
    """An RFC 5545 calendar: one weekly (or fortnightly) recurring event per passage of the bus in the commune.

    Subscribing to the feed keeps a phone's calendar current: a new plan changes the events, the UIDs stay stable
    for the same stop, weekday and week of the cycle.
    """
    from icalendar import Calendar, Event, vRecur

    calendar = Calendar()
    calendar.add("prodid", "-//Carte blanche//Bus France services//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Bus France services — {commune.name}")
    calendar.add("x-wr-timezone", "Europe/Paris")
    if plan is not None:
        stamp = plan.published_at or plan.created_at
        for row in commune_passages(plan, commune):
            stop = row["stop"]
            for passage in row["passages"]:
                start, end = _occurrences(plan, passage)
                event = Event()
                event.add("uid", f"bus-{territory.slug}-arret-{stop.pk}-{passage.week}-{passage.weekday}@carteblanche")
                event.add("dtstamp", stamp)
                event.add("dtstart", start)
                event.add("dtend", end)
                event.add("rrule", vRecur(freq="weekly", interval=1 if passage.every_week else 2))
                event.add("summary", f"Bus France services à {commune.name}")
                event.add("location", f"{stop.place}, {commune.name}")
                event.add("geo", (stop.latitude, stop.longitude))
                event.add(
                    "description",
                    f"Le bus France services passe à {commune.name} {passage.phrase()}. "
                    "Des agents vous aident dans vos démarches (CAF, impôts, santé, retraite, emploi, papiers), "
                    "avec ou sans rendez-vous.",
                )
                event.add("url", f"{base_url.rstrip('/')}/bus/{territory.slug}/passages/{commune.insee_code}/")
                calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def poster_pdf(request, territory, plan: TourPlan, commune, today: datetime.date | None = None) -> bytes:
    """An A4 poster for the town hall: where and when the bus comes (the next dates too), what it helps with, a QR
    code to the commune's page and the bus's phone. Only for a commune the plan serves."""
    from .services import settings_for

    stops = commune_passages(plan, commune, today)
    if not stops:
        raise ValueError(f"Le bus ne s'arrête pas à {commune.name} : pas d'affiche.")
    page_url = request.build_absolute_uri(f"/bus/{territory.slug}/passages/{commune.insee_code}/")
    html = render_to_string(
        "mobility/poster.html",
        {
            "territory": territory,
            "commune": commune,
            "stops": stops,
            "services": SERVICES,
            "page_url": page_url,
            "qr": qr_data_uri(page_url),
            "phone": settings_for(territory).contact_phone,
            "sites": sites_nearby(commune, 1),
        },
    )
    return html_to_pdf(html, base_url=request.build_absolute_uri("/"))
