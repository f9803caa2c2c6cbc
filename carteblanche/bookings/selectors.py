"""Reads of the bookings app that pages compose: the motifs a resident may book, a week of free slots, an agent's
or a resource's day, and what a confirmation says about getting there (the bus, a solidarity ride)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from carteblanche.territories.models import ServiceSite

from . import slots
from .enums import Audience
from .models import Appointment, Motif, Resource, Schedule, agent_calendar

WEEK = datetime.timedelta(days=7)


def resident_motifs(territory):
    return (
        Motif.objects.filter(territory=territory, is_active=True, audience=Audience.RESIDENTS)
        .select_related("organisation")
        .order_by("name")
    )


def bookable_motifs(territory, user):
    from .services import may_book

    motifs = Motif.objects.filter(territory=territory, is_active=True).select_related("organisation", "territory")
    return [m for m in motifs if may_book(user, m)]


def motif_sites(motif: Motif) -> list[ServiceSite]:
    ids = Schedule.objects.filter(motifs=motif, site__isnull=False).values_list("site_id", flat=True)
    return list(ServiceSite.objects.filter(pk__in=set(ids)).select_related("commune").order_by("name"))


def week_of_slots(motif: Motif, *, week: int | None, now: datetime.datetime, site=None, staff: bool = False):
    """Monday to Sunday of the ``week``-th week from now (0: this one; None: the week of the first free slot, or
    this one when there is none): its free slots by day, and whether the weeks before and after may hold some."""
    today = timezone.localtime(now).date()
    if week is None:
        first = slots.first_free(motif, now=now, site=site, respect_notice=not staff)
        week = (
            (timezone.localtime(first.starts_at).date() - today + datetime.timedelta(days=today.weekday())).days // 7
            if first
            else 0
        )
    monday = today - datetime.timedelta(days=today.weekday()) + week * WEEK
    found = slots.free_slots(
        motif,
        first=max(monday, today),
        last=monday + datetime.timedelta(days=6),
        now=now,
        site=site,
        respect_notice=not staff,
    )
    horizon = today + datetime.timedelta(days=motif.max_notice_days)
    return {
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "days": slots.by_day(found),
        "previous": week - 1 if week > 0 else None,
        "next": week + 1 if staff or monday + WEEK <= horizon else None,
    }


def find_slot(motif: Motif, key: str, *, now, staff: bool = False) -> slots.Slot | None:
    """The free slot a page's key names, still free now; None otherwise (or a key that is not one)."""
    try:
        start, site_id, stop_id = slots.parse_key(key)
    except ValueError:
        return None
    day = timezone.localtime(start).date()
    for slot in slots.free_slots(motif, first=day, last=day, now=now, respect_notice=not staff):
        if slot.starts_at == start and slot.site_id == site_id and slot.bus_stop_id == stop_id:
            return slot
    return None


def calendars_of(territory, user) -> list[tuple[str, str]]:
    """The agendas a staff member may open: her own, her organisations' resources and agents who hold slots."""
    from .services import organisations_of

    mine = organisations_of(user, territory)
    found = [(agent_calendar(user.pk), "Mon agenda")]
    resources = Resource.objects.filter(territory=territory)
    managing = user.is_superuser or user.has_role(territory, "equipe_projet", "prefecture")
    if not managing:
        resources = resources.filter(organisation_id__in=mine)
    found += [(r.calendar, f"{r.name} ({r.site.name})") for r in resources.select_related("site")]
    agents = Schedule.objects.filter(territory=territory, agent__isnull=False)
    if not managing:
        agents = agents.filter(organisation_id__in=mine)
    for agent_id, first, last in agents.values_list("agent_id", "agent__first_name", "agent__last_name").distinct():
        if agent_id != user.pk:
            found.append((agent_calendar(agent_id), f"{first} {last}"))
    return list(dict.fromkeys(found))


def day_list(territory, calendar: str, day: datetime.date):
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=slots.PARIS)
    kind, pk = calendar.split(":")
    found = Appointment.objects.filter(territory=territory, starts_at__gte=start, starts_at__lt=start + WEEK / 7)
    found = (
        found.filter(resource_id=pk) if kind == "ressource" else found.filter(Q(agent_id=pk, resource__isnull=True))
    )
    return list(found.select_related("motif", "site", "bus_stop__commune").order_by("starts_at", "pk"))


def resource_of(calendar: str) -> Resource | None:
    kind, pk = calendar.split(":")
    if kind != "ressource":
        return None
    return Resource.objects.select_related("site").filter(pk=pk).first()


def getting_there(appointment: Appointment, *, today: datetime.date) -> dict:
    """What the confirmation says about coming: the bus's next passage in her commune, whether the bus serves the
    appointment's stop, and the solidarity rides' phone."""
    from carteblanche.mobility import publication
    from carteblanche.mobility.enums import PlanStatus
    from carteblanche.mobility.models import RideSettings, TourPlan

    plan = (
        TourPlan.objects.filter(territory=appointment.territory, status=PlanStatus.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    found = {"bus_home": [], "rides": RideSettings.objects.filter(territory=appointment.territory).first()}
    if plan is not None and appointment.commune_id:
        found["bus_home"] = publication.commune_passages(plan, appointment.commune, today=today)
    return found


def feed_of(token: str):
    """(name, appointments) of the agenda a subscription token opens: 30 days back, 6 months ahead; None if the token
    is unknown, revoked or expired."""
    from carteblanche.core import links

    from .services import FEED_PURPOSE

    link = links.find(token, purpose=FEED_PURPOSE)
    if link is None or link.target is None:
        return None
    owner = link.target
    now = timezone.now()
    found = Appointment.objects.filter(
        starts_at__gte=now - datetime.timedelta(days=30), starts_at__lt=now + datetime.timedelta(days=183)
    )
    if isinstance(owner, Resource):
        found, name = found.filter(resource=owner), f"{owner.name} ({owner.site.name})"
    else:
        found, name = found.filter(agent=owner, resource__isnull=True), "Mes rendez-vous (Carte blanche)"
    return name, found.select_related("motif", "territory", "site__commune", "bus_stop__commune").order_by("starts_at")


def rides_wanted(territory, *, now: datetime.datetime):
    """Appointments to come whose person asked for a solidarity ride that has not been booked yet (the rides desk
    calls her back and books it from the appointment)."""
    from .enums import Status

    return (
        Appointment.objects.filter(
            territory=territory, status=Status.BOOKED, ride_wanted=True, ride__isnull=True, starts_at__gt=now
        )
        .select_related("motif", "site__commune", "commune", "territory")
        .order_by("starts_at")
    )


def ride_initial(territory, pk) -> tuple[Appointment | None, dict]:
    """The ride form's first values for an appointment (its place, day, time and length), and the appointment."""
    from carteblanche.mobility.enums import RidePurpose

    appointment = rides_wanted(territory, now=timezone.now()).filter(pk=pk).first() if str(pk).isdigit() else None
    if appointment is None:
        return None, {}
    start = timezone.localtime(appointment.starts_at)
    return appointment, {
        "destination_site": appointment.site_id,
        "date": start.date(),
        "time": start.time(),
        "duration_minutes": appointment.motif.duration_minutes,
        "purpose": RidePurpose.SERVICES,
        "notes": f"Rendez-vous : {appointment.motif.name}.",
    }


def followed_motifs(territory, user):
    """(motifs, resources) whose figures a staff member reads: her organisations', all for the team and prefecture."""
    from .services import organisations_of

    motifs = Motif.objects.filter(territory=territory)
    resources = Resource.objects.filter(territory=territory).select_related("site").prefetch_related("schedules")
    if not (user.is_superuser or user.has_role(territory, "equipe_projet", "prefecture")):
        mine = organisations_of(user, territory)
        motifs, resources = motifs.filter(organisation_id__in=mine), resources.filter(organisation_id__in=mine)
    return motifs, list(resources)
