"""The bookings' settings: the motifs, resources and opening schedules an organisation offers, set up by its own
agents (the project team and the prefecture set up any organisation of their territory).

Reads first (whose organisations, the page that lists them, the object a page edits), then the writes: one
transaction each, keyword-only arguments. A schedule never overlaps another schedule of the same calendar (an
agent's, a resource's), and a change never leaves a booked appointment outside its schedule: the person would keep
a slot no one is there for. A schedule is ended (its last day set), never deleted.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carteblanche.accounts.enums import Role
from carteblanche.accounts.models import Membership
from carteblanche.core import french
from carteblanche.core.errors import ServiceError
from carteblanche.core.permissions import can_manage
from carteblanche.territories.models import Organisation, ServiceSite

from .enums import Place, Recurrence, Status
from .models import Appointment, Motif, Resource, Schedule
from .services import organisations_of

NOT_YOURS = (
    "Ce paramétrage est celui d'une autre organisation : seuls ses agents, l'équipe projet et la préfecture le "
    "modifient."
)


class SetupError(ServiceError):
    """A setting refused; ``field`` names the form field the message belongs to (None: the whole form)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------------------------------------------------------
# Reads


def managed_organisations(user, territory):
    """The organisations whose bookings she sets up: hers as an agent; all the territory's for the team and the
    prefecture."""
    found = Organisation.objects.filter(territory=territory)
    if can_manage(user, territory):
        return found.order_by("name")
    return found.filter(pk__in=organisations_of(user, territory)).order_by("name")


def require_organisation(user, territory, organisation_id) -> None:
    if not managed_organisations(user, territory).filter(pk=organisation_id).exists():
        raise PermissionDenied(NOT_YOURS)


def published_plan(territory):
    """The bus plan residents read now (its stops and passages), or None."""
    from carteblanche.mobility.enums import PlanStatus
    from carteblanche.mobility.models import TourPlan

    return TourPlan.objects.filter(territory=territory, status=PlanStatus.PUBLISHED).order_by("-published_at").first()


def bus_stops(territory):
    """The stops of the published bus plan: a schedule in the France services bus opens at one of them."""
    from carteblanche.mobility.models import CandidateStop

    plan = published_plan(territory)
    if plan is None:
        return CandidateStop.objects.none()
    return (
        CandidateStop.objects.filter(visits__plan=plan).select_related("commune").distinct().order_by("commune__name")
    )


def _check_bus_stop(schedule: Schedule) -> None:
    """A schedule in the bus lies within one of its passages at that stop in the published plan: same weekday,
    within its hours, every week or in the same weeks of two."""
    from carteblanche.mobility.services import passages, timetable

    if schedule.site_id is not None:
        raise SetupError("Choisissez un lieu d'accueil ou un arrêt du bus, pas les deux.", field="bus_stop")
    plan = published_plan(schedule.territory)
    if plan is None or not bus_stops(schedule.territory).filter(pk=schedule.bus_stop_id).exists():
        raise SetupError("Cet arrêt n'est pas dans le plan de tournées publié du bus.", field="bus_stop")
    fortnight = (schedule.first_date.toordinal() - 1) // 7 % 2
    for passage in passages(plan):
        if passage.stop_id != schedule.bus_stop_id or passage.weekday != schedule.weekday:
            continue
        if not (passage.start <= schedule.start and schedule.end <= passage.end):
            continue
        if passage.every_week or (schedule.recurrence == Recurrence.FORTNIGHTLY and passage.fortnight == fortnight):
            return
        raise SetupError(
            "Le bus ne passe à cet arrêt qu'une semaine sur deux : choisissez « une semaine sur deux » et une "
            "première date dans une semaine où il passe.",
            field="recurrence",
        )
    there = timetable(plan).get(schedule.bus_stop_id)
    raise SetupError(
        f"Le bus n'est pas à cet arrêt ce jour-là à ces heures. Ses passages : {there}.", field="bus_stop"
    )


def territory_sites(territory):
    return ServiceSite.objects.in_territory(territory).distinct().select_related("commune").order_by("name")


def agents_of(territory, organisations):
    """The active agents of these organisations in the territory: whose opening hours may be set up."""
    members = Membership.objects.filter(
        territory=territory, role=Role.AGENT, is_active=True, organisation__in=organisations
    )
    return (
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"), is_active=True)
        .order_by("last_name", "first_name", "pk")
    )


def overview(territory, user) -> list[dict]:
    """Per organisation she sets up: its motifs, resources and schedules (ended ones last). For the team and the
    prefecture, only the organisations that have something to show; an agent sees hers, even empty."""
    organisations = managed_organisations(user, territory)
    motifs = Motif.objects.filter(organisation__in=organisations).select_related("structure")
    resources = Resource.objects.filter(organisation__in=organisations).select_related("site")
    schedules = (
        Schedule.objects.filter(organisation__in=organisations)
        .select_related("agent", "resource", "site", "bus_stop__commune")
        .prefetch_related(Prefetch("motifs", queryset=Motif.objects.order_by("name")))
        .order_by("weekday", "start", "pk")
    )
    today = timezone.localdate()
    groups = {
        o.pk: {"organisation": o, "motifs": [], "resources": [], "schedules": [], "ended": []} for o in organisations
    }
    for motif in motifs:
        groups[motif.organisation_id]["motifs"].append(motif)
    for resource in resources:
        groups[resource.organisation_id]["resources"].append(resource)
    for schedule in schedules:
        ended = schedule.last_date is not None and schedule.last_date < today
        groups[schedule.organisation_id]["ended" if ended else "schedules"].append(schedule)
    everything = can_manage(user, territory)
    return [
        g for g in groups.values() if not everything or g["motifs"] or g["resources"] or g["schedules"] or g["ended"]
    ]


def motif_for(user, territory, pk) -> Motif:
    """The motif a page edits: 404 outside the territory, 403 when it is another organisation's."""
    motif = get_object_or_404(Motif.objects.select_related("organisation"), pk=pk, territory=territory)
    require_organisation(user, territory, motif.organisation_id)
    return motif


def resource_for(user, territory, pk) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("organisation", "site"), pk=pk, territory=territory)
    require_organisation(user, territory, resource.organisation_id)
    return resource


def schedule_for(user, territory, pk) -> Schedule:
    schedule = get_object_or_404(
        Schedule.objects.select_related("organisation", "agent", "resource", "site"), pk=pk, territory=territory
    )
    require_organisation(user, territory, schedule.organisation_id)
    return schedule


def hours(schedule: Schedule) -> str:
    """« le mardi de 9 h 00 à 12 h 00, chaque semaine, du 5 janvier 2027 au 30 juin 2027 »."""
    first = french.date(schedule.first_date)
    if schedule.last_date is None:
        return f"{schedule.label}, à partir du {first}"
    return f"{schedule.label}, du {first} au {french.date(schedule.last_date)}"


def conflicts(schedule: Schedule) -> list[Schedule]:
    """The schedules of the same calendar (the same agent, whatever her organisation or territory, or the same
    resource) that share at least one day and one minute with ``schedule``. Two fortnightly schedules on alternate
    weeks do not."""
    same = Schedule.objects.filter(weekday=schedule.weekday, start__lt=schedule.end, end__gt=schedule.start).filter(
        Q(last_date__isnull=True) | Q(last_date__gte=schedule.first_date)
    )
    if schedule.last_date is not None:
        same = same.filter(first_date__lte=schedule.last_date)
    same = (
        same.filter(resource_id=schedule.resource_id)
        if schedule.resource_id
        else same.filter(agent_id=schedule.agent_id)
    )
    if schedule.pk:
        same = same.exclude(pk=schedule.pk)
    return [other for other in same.order_by("first_date", "pk") if _share_a_day(schedule, other)]


def _share_a_day(one: Schedule, other: Schedule) -> bool:
    """Weekly or fortnightly on the same weekday, the pattern of both repeats every two weeks from the later first
    occurrence: if they ever meet, they meet on that day or a week after."""
    start = max(_first_occurrence(one), _first_occurrence(other))
    return any(one.occurs_on(day) and other.occurs_on(day) for day in (start, start + datetime.timedelta(days=7)))


def _first_occurrence(schedule: Schedule) -> datetime.date:
    return schedule.first_date + datetime.timedelta(days=(schedule.weekday - schedule.first_date.weekday()) % 7)


def stranded(before: Schedule | None, after: Schedule | None, *, motif_ids=None, now=None) -> list[Appointment]:
    """The booked appointments to come that ``before`` (a schedule as saved) holds and that ``after`` (the same
    schedule as changed; None: gone) would not: another day, other hours, another place, a motif no longer offered."""
    if before is None or before.pk is None:
        return []
    now = now or timezone.now()
    found = Appointment.objects.filter(status=Status.BOOKED, starts_at__gte=now, motif__in=before.motifs.all())
    found = (
        found.filter(resource_id=before.resource_id)
        if before.resource_id
        else found.filter(agent_id=before.agent_id, resource__isnull=True)
    )
    held = [a for a in found.select_related("motif").order_by("starts_at") if _within(before, a)]
    if after is None:
        return held
    offered = set(motif_ids if motif_ids is not None else after.motifs.values_list("pk", flat=True))
    return [
        a
        for a in held
        if not (
            _within(after, a)
            and a.motif_id in offered
            and a.site_id == after.site_id
            and a.bus_stop_id == after.bus_stop_id
            and a.calendar == after.calendar
        )
    ]


def _within(schedule: Schedule, appointment: Appointment) -> bool:
    start, end = timezone.localtime(appointment.starts_at), timezone.localtime(appointment.ends_at)
    return (
        schedule.occurs_on(start.date())
        and start.time() >= schedule.start
        and end.date() == start.date()
        and end.time() <= schedule.end
    )


def _stranded_message(found: list[Appointment], change: str) -> str:
    one = len(found) == 1
    count = french.plural(len(found), "rendez-vous déjà pris", "rendez-vous déjà pris")
    first = found[0].when_label if one else f"le premier {found[0].when_label}"
    return (
        f"{count} ({first}) ne {'serait' if one else 'seraient'} plus dans {change} : déplacez-"
        f"{'le' if one else 'les'} ou déclarez une absence d'abord, chaque personne recevra un lien pour choisir un "
        "autre créneau."
    )


# ---------------------------------------------------------------------------------------------------------------
# Writes


@transaction.atomic
def motif_save(*, motif: Motif, by) -> Motif:
    """Create or change a motif of one of her organisations. A motif is never deleted: ``is_active`` off, it is no
    longer offered, and the appointments already taken stay."""
    require_organisation(by, motif.territory, motif.organisation_id)
    same_name = Motif.objects.filter(organisation_id=motif.organisation_id, name__iexact=motif.name)
    if same_name.exclude(pk=motif.pk).exists():
        raise SetupError("Cette organisation propose déjà un motif de ce nom.", field="name")
    if motif.capacity > 1 and motif.sessions > 1:
        raise SetupError("Un atelier collectif (plus d'une place) se réserve en une séance.", field="sessions")
    motif.save()
    return motif


@transaction.atomic
def resource_save(*, resource: Resource, by) -> Resource:
    require_organisation(by, resource.territory, resource.organisation_id)
    if (
        Resource.objects.filter(organisation_id=resource.organisation_id, name__iexact=resource.name)
        .exclude(pk=resource.pk)
        .exists()
    ):
        raise SetupError("Cette organisation a déjà une ressource de ce nom.", field="name")
    if not territory_sites(resource.territory).filter(pk=resource.site_id).exists():
        raise SetupError("Choisissez un lieu d'accueil du territoire.", field="site")
    resource.checklist = [line.strip() for line in resource.checklist if line.strip()]
    resource.save()
    return resource


@transaction.atomic
def schedule_save(*, schedule: Schedule, motifs, by, now=None) -> Schedule:
    """Create or change a schedule of an agent (herself or a colleague of the same organisation) or of one of her
    organisation's resources. Refused when it overlaps another schedule of the same calendar, or when the change
    would leave an appointment already booked outside it."""
    territory = schedule.territory
    require_organisation(by, territory, schedule.organisation_id)
    motifs = list(motifs)
    _check_owner(schedule)
    if not motifs:
        raise SetupError("Choisissez au moins un motif proposé sur cette plage.", field="motifs")
    if any(m.organisation_id != schedule.organisation_id or m.territory_id != territory.pk for m in motifs):
        raise SetupError("Choisissez les motifs de l'organisation de la plage.", field="motifs")
    if schedule.site_id is not None and not territory_sites(territory).filter(pk=schedule.site_id).exists():
        raise SetupError("Choisissez un lieu d'accueil du territoire.", field="site")
    if schedule.bus_stop_id is not None:
        _check_bus_stop(schedule)
    in_bus = [m.name for m in motifs if m.place == Place.BUS]
    if in_bus and schedule.bus_stop_id is None:
        raise SetupError(
            f"Choisissez l'arrêt du bus : le motif « {in_bus[0]} » se passe dans le bus.", field="bus_stop"
        )
    on_site = [m.name for m in motifs if m.place == Place.SITE]
    if on_site and schedule.site_id is None and schedule.bus_stop_id is None:
        raise SetupError(
            f"Choisissez le lieu : le motif « {on_site[0]} » se passe dans un lieu d'accueil.", field="site"
        )
    if schedule.start >= schedule.end:
        raise SetupError("La fin de la plage doit suivre son début.", field="end")
    if schedule.last_date is not None and schedule.last_date < schedule.first_date:
        raise SetupError("La dernière date doit suivre la première.", field="last_date")
    _lock_calendar(schedule)
    clash = conflicts(schedule)
    if clash:
        raise SetupError(
            f"Cette plage chevauche une autre plage du même agenda : {hours(clash[0])}. Changez le jour, les heures "
            "ou les dates, ou terminez d'abord l'autre plage.",
            field="start",
        )
    before = Schedule.objects.get(pk=schedule.pk) if schedule.pk else None
    lost = stranded(before, schedule, motif_ids={m.pk for m in motifs}, now=now)
    if lost:
        raise SetupError(_stranded_message(lost, "la plage ainsi modifiée"))
    schedule.save()
    schedule.motifs.set(motifs)
    return schedule


def _check_owner(schedule: Schedule) -> None:
    if (schedule.agent_id is None) == (schedule.resource_id is None):
        raise SetupError("Choisissez un agent ou une ressource : l'un des deux, pas les deux.", field="agent")
    if schedule.resource_id is not None:
        resource = schedule.resource
        if resource.organisation_id != schedule.organisation_id or resource.territory_id != schedule.territory_id:
            raise SetupError("Choisissez une ressource de l'organisation de la plage.", field="resource")
    elif not agents_of(schedule.territory, [schedule.organisation_id]).filter(pk=schedule.agent_id).exists():
        raise SetupError("Choisissez un agent de l'organisation de la plage.", field="agent")


def _lock_calendar(schedule: Schedule) -> None:
    """Two schedules of the same calendar saved at once: the second waits for the first, then sees it."""
    if schedule.resource_id:
        Resource.objects.select_for_update().filter(pk=schedule.resource_id).first()
    else:
        get_user_model().objects.select_for_update().filter(pk=schedule.agent_id).first()


@transaction.atomic
def schedule_end(*, schedule: Schedule, last_date: datetime.date, by, now=None) -> Schedule:
    """The schedule's last day: after it, no slot is offered. Refused while appointments are booked after it."""
    require_organisation(by, schedule.territory, schedule.organisation_id)
    if last_date < schedule.first_date - datetime.timedelta(days=1):
        raise SetupError(
            f"La plage commence {french.on_date(schedule.first_date)} : indiquez une date à partir de la veille.",
            field="last_date",
        )
    if schedule.last_date is not None and last_date > schedule.last_date:
        raise SetupError(
            f"La plage se termine déjà {french.on_date(schedule.last_date)} : pour la prolonger, modifiez-la.",
            field="last_date",
        )
    _lock_calendar(schedule)
    ended = Schedule.objects.get(pk=schedule.pk)
    ended.last_date = last_date
    lost = stranded(schedule, ended, motif_ids=set(schedule.motifs.values_list("pk", flat=True)), now=now)
    if lost:
        raise SetupError(_stranded_message(lost, "la plage après cette date"), field="last_date")
    schedule.last_date = last_date
    schedule.save(update_fields=["last_date"])
    return schedule
