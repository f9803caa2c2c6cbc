"""Bookings: residents book online without an account, then manage their appointment from a personal link; agents
book for someone at the counter or on the phone, follow their day (or the booth's) and mark each appointment.

Public pages: the motifs open to residents, a week of free slots, the short form, the appointment's link (see,
add to a calendar, move, cancel), a freed slot offered from the waiting list. Staff pages: book for someone, the
day's list, an appointment, an absence and the appointments it covers.
"""

import datetime
import io
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carteblanche.accounts.enums import Role
from carteblanche.core import french, spreadsheets
from carteblanche.core.permissions import territory_for
from carteblanche.core.throttle import Throttle
from carteblanche.territories.models import Territory

from . import calendars, figures, selectors, services
from .enums import BookedVia, Status
from .forms import AbsenceForm, BookingForm, CancelForm, MarkForm, WaitlistForm
from .models import Appointment, Motif, agent_calendar

STAFF = (Role.PROJECT_TEAM, Role.PREFECTURE, Role.AGENT)
BOOKING_THROTTLE = Throttle("rdv-reservation", {"browser": 6, "address": 60}, window=60 * 60)


def _week(request) -> int | None:
    """The week asked for (0: this one); None when none is: the page opens on the first week with a free slot."""
    if "semaine" not in request.GET:
        return None
    try:
        return max(0, min(int(request.GET["semaine"]), 52))
    except ValueError:
        return None


def _site(request, motif):
    sites = selectors.motif_sites(motif)
    chosen = request.GET.get("lieu", "")
    return sites, next((s for s in sites if str(s.pk) == chosen), None)


# ---------------------------------------------------------------------------------------------------------------
# Residents, without an account


def _path(url: str) -> str:
    """The path of a personal link: the person stays on the host she is on (the link sent carries PLATFORM_URL)."""
    return urlsplit(url).path


def _public_motif(slug, pk) -> Motif:
    motif = get_object_or_404(Motif.objects.select_related("territory", "organisation"), pk=pk, territory__slug=slug)
    if not motif.open_to_residents():
        raise Http404
    return motif


@login_not_required
def public_motifs(request, slug):
    territory = get_object_or_404(Territory, slug=slug)
    return render(
        request,
        "bookings/public_motifs.html",
        {
            "title": f"Prendre rendez-vous — {territory.name}",
            "territory": territory,
            "motifs": selectors.resident_motifs(territory),
        },
    )


@login_not_required
@never_cache
def public_slots(request, slug, pk):
    motif = _public_motif(slug, pk)
    sites, site = _site(request, motif)
    week = selectors.week_of_slots(motif, week=_week(request), now=timezone.now(), site=site)
    return render(
        request,
        "bookings/slots.html",
        {
            "title": f"{motif.name} : choisir un créneau",
            "motif": motif,
            "territory": motif.territory,
            "sites": sites,
            "site": site,
            "week": week,
            "book_url": "bookings:public_book",
        },
    )


@login_not_required
@never_cache
def public_book(request, slug, pk, key):
    motif = _public_motif(slug, pk)
    now = timezone.now()
    slot = selectors.find_slot(motif, key, now=now)
    form = BookingForm(request.POST or None, territory=motif.territory, motif=motif)
    if slot is None:
        messages.error(request, services.TAKEN)
        return redirect("bookings:public_slots", slug=slug, pk=pk)
    if request.method == "POST":
        if BOOKING_THROTTLE.is_blocked(request):
            form.add_error(
                None, "Trop de réservations depuis cet appareil : appelez le service ou réessayez dans une heure."
            )
        elif form.is_valid():
            BOOKING_THROTTLE.hit(request)
            try:
                appointment = services.appointment_book(
                    motif=motif,
                    start=slot.starts_at,
                    site_id=slot.site_id,
                    bus_stop_id=slot.bus_stop_id,
                    who=form.who(),
                    via=BookedVia.ONLINE,
                    now=now,
                )
            except services.BookingError as error:
                messages.error(request, str(error))
                return redirect("bookings:public_slots", slug=slug, pk=pk)
            return redirect(_path(appointment.manage_url))
    return render(
        request,
        "bookings/book.html",
        {
            "title": f"{motif.name} : vos coordonnées",
            "motif": motif,
            "slot": slot,
            "form": form,
            "territory": motif.territory,
        },
    )


@login_not_required
@never_cache
def waitlist(request, slug, pk):
    motif = _public_motif(slug, pk)
    form = WaitlistForm(request.POST or None)
    sites, site = _site(request, motif)
    if request.method == "POST" and form.is_valid():
        if BOOKING_THROTTLE.is_blocked(request):
            form.add_error(None, "Trop de demandes depuis cet appareil : réessayez dans une heure.")
        else:
            BOOKING_THROTTLE.hit(request)
            data = form.cleaned_data
            services.waitlist_join(motif=motif, who=data, site=site, until=data.get("until"))
            return render(
                request, "bookings/waitlist_done.html", {"title": "Vous êtes sur la liste d'attente", "motif": motif}
            )
    return render(
        request,
        "bookings/waitlist.html",
        {
            "title": f"{motif.name} : liste d'attente",
            "motif": motif,
            "form": form,
            "site": site,
            "territory": motif.territory,
        },
    )


def _managed(token) -> Appointment:
    appointment = services.appointment_for(token)
    if appointment is None:
        raise Http404
    return appointment


def _over(request):
    return render(request, "bookings/link_over.html", {"title": "Lien expiré"}, status=404)


@login_not_required
@never_cache
def manage(request, token):
    """The person's appointment, from her link: no name shown (anyone holding the phone could read it)."""
    appointment = services.appointment_for(token)
    if appointment is None:
        return _over(request)
    return render(
        request,
        "bookings/manage.html",
        {
            "title": f"Votre rendez-vous : {appointment.motif.name}",
            "appointment": appointment,
            "token": token,
            "there": selectors.getting_there(appointment, today=timezone.localdate()),
            "cancellable": appointment.is_open and appointment.starts_at > timezone.now(),
        },
    )


@login_not_required
@require_POST
def manage_cancel(request, token):
    appointment = services.appointment_for(token)
    if appointment is None:
        return _over(request)
    try:
        services.appointment_cancel(appointment=appointment, reason="annulé par la personne")
        messages.success(
            request, "Votre rendez-vous est annulé. Merci d'avoir prévenu : le créneau servira à quelqu'un d'autre."
        )
    except services.BookingError as error:
        messages.error(request, str(error))
    return redirect("bookings:manage", token=token)


@login_not_required
@never_cache
def manage_move(request, token):
    """Another slot of the same motif: after the person's change of plans, or when an absence cancelled hers."""
    appointment = services.appointment_for(token)
    if appointment is None:
        return _over(request)
    motif, now = appointment.motif, timezone.now()
    rebooking = appointment.status == Status.CANCELLED and appointment.cancel_reason.startswith("absence")
    if not (appointment.is_open or rebooking):
        messages.error(request, "Ce rendez-vous n'est plus à venir : prenez-en un nouveau.")
        return redirect("bookings:manage", token=token)
    if request.method == "POST":
        slot = selectors.find_slot(motif, request.POST.get("creneau", ""), now=now)
        try:
            if slot is None:
                raise services.BookingError(services.TAKEN)
            if rebooking:
                new = services.appointment_rebook(
                    appointment=appointment,
                    start=slot.starts_at,
                    site_id=slot.site_id,
                    bus_stop_id=slot.bus_stop_id,
                    now=now,
                )
            else:
                new = services.appointment_move(
                    appointment=appointment,
                    start=slot.starts_at,
                    site_id=slot.site_id,
                    bus_stop_id=slot.bus_stop_id,
                    now=now,
                )
        except services.BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre rendez-vous est déplacé ; la confirmation vous est renvoyée.")
            return redirect(_path(new.manage_url))
    sites, site = _site(request, motif)
    week = selectors.week_of_slots(motif, week=_week(request), now=now, site=site)
    return render(
        request,
        "bookings/move.html",
        {
            "title": f"Déplacer votre rendez-vous : {motif.name}",
            "appointment": appointment,
            "motif": motif,
            "week": week,
            "sites": sites,
            "site": site,
            "token": token,
        },
    )


@login_not_required
def manage_ics(request, token):
    appointment = _managed(token)
    response = HttpResponse(calendars.appointment_ics(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return response


@login_not_required
@never_cache
def offer(request, token):
    found = services.offer_for(token)
    if found is None:
        return render(request, "bookings/offer_over.html", {"title": "Créneau déjà pris"}, status=404)
    if request.method == "POST":
        try:
            appointment = services.offer_accept(offer=found)
        except services.BookingError as error:
            messages.error(request, str(error))
            return render(request, "bookings/offer_over.html", {"title": "Créneau déjà pris"}, status=409)
        return redirect(_path(appointment.manage_url))
    return render(
        request, "bookings/offer.html", {"title": "Un créneau s'est libéré", "offer": found, "freed": found.freed}
    )


# ---------------------------------------------------------------------------------------------------------------
# Staff


def _staff_motif(request, slug, pk) -> Motif:
    territory = territory_for(request, slug, STAFF)
    motif = get_object_or_404(Motif.objects.select_related("territory", "organisation"), pk=pk, territory=territory)
    if not services.may_book(request.user, motif):
        raise PermissionDenied("Ce motif se réserve par les agents de son organisation.")
    return motif


def counter(request, slug):
    """The agent books for someone: choose the motif."""
    territory = territory_for(request, slug, STAFF)
    return render(
        request,
        "bookings/counter.html",
        {
            "title": "Prendre un rendez-vous pour une personne",
            "territory": territory,
            "motifs": selectors.bookable_motifs(territory, request.user),
        },
    )


@never_cache
def counter_slots(request, slug, pk):
    motif = _staff_motif(request, slug, pk)
    sites, site = _site(request, motif)
    week = selectors.week_of_slots(motif, week=_week(request), now=timezone.now(), site=site, staff=True)
    return render(
        request,
        "bookings/slots.html",
        {
            "title": f"{motif.name} : choisir un créneau",
            "motif": motif,
            "territory": motif.territory,
            "sites": sites,
            "site": site,
            "week": week,
            "book_url": "bookings:counter_book",
            "staff": True,
        },
    )


@never_cache
def counter_book(request, slug, pk, key):
    motif = _staff_motif(request, slug, pk)
    now = timezone.now()
    slot = selectors.find_slot(motif, key, now=now, staff=True)
    if slot is None:
        messages.error(request, services.TAKEN)
        return redirect("bookings:counter_slots", slug=slug, pk=pk)
    form = BookingForm(request.POST or None, territory=motif.territory, motif=motif, staff=True)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                motif=motif,
                start=slot.starts_at,
                site_id=slot.site_id,
                bus_stop_id=slot.bus_stop_id,
                who=form.who(),
                via=form.cleaned_data["via"],
                by=request.user,
                now=now,
            )
        except services.BookingError as error:
            messages.error(request, str(error))
            return redirect("bookings:counter_slots", slug=slug, pk=pk)
        messages.success(request, f"Rendez-vous pris {appointment.when_label}.")
        return redirect(appointment.get_absolute_url())
    return render(
        request,
        "bookings/book.html",
        {
            "title": f"{motif.name} : la personne",
            "motif": motif,
            "slot": slot,
            "form": form,
            "territory": motif.territory,
            "staff": True,
        },
    )


def _day(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        return timezone.localdate()


def day(request, slug):
    """An agenda's day (hers, a colleague's, the booth's): printable, each appointment marked in one click."""
    territory = territory_for(request, slug, STAFF)
    calendars_ = selectors.calendars_of(territory, request.user)
    chosen = request.GET.get("agenda", agent_calendar(request.user.pk))
    if chosen not in dict(calendars_):
        raise PermissionDenied("Cet agenda n'est pas celui de votre organisation.")
    when = _day(request)
    appointments = selectors.day_list(territory, chosen, when)
    services.journal_list(appointments, user=request.user, reason="Liste des rendez-vous du jour")
    resource = selectors.resource_of(chosen)
    return render(
        request,
        "bookings/day.html",
        {
            "title": "Rendez-vous du jour",
            "territory": territory,
            "calendars": calendars_,
            "chosen": chosen,
            "day": when,
            "previous": when - datetime.timedelta(days=1),
            "next": when + datetime.timedelta(days=1),
            "appointments": appointments,
            "resource": resource,
            "subscribable": services.may_subscribe(request.user, territory, chosen),
            "feed_url": request.session.pop(f"abonnement-{chosen}", ""),
        },
    )


def _period(request) -> tuple[datetime.date, datetime.date]:
    """``?du=…&au=…`` (ISO dates), by default the last three months up to today."""
    today = timezone.localdate()
    try:
        last = datetime.date.fromisoformat(request.GET.get("au", ""))
    except ValueError:
        last = today
    try:
        first = datetime.date.fromisoformat(request.GET.get("du", ""))
    except ValueError:
        first = last - datetime.timedelta(days=91)
    if first > last:
        first, last = last, first
    return max(first, last - datetime.timedelta(days=731)), last


def figures_page(request, slug):
    """Per motif and site: taken, seen, « lapins », delay to the first free slot; the booth's use by half-day; CSV."""
    territory = territory_for(request, slug, STAFF)
    first, last = _period(request)
    motifs, resources = selectors.followed_motifs(territory, request.user)
    rows = figures.motif_rows(motifs, first=first, last=last)
    uses = figures.resource_use(resources, first=first, last=last, today=timezone.localdate())
    if request.GET.get("format") == "csv":
        buffer = io.StringIO()
        spreadsheets.writer(buffer, delimiter=";").writerows(figures.csv_rows(rows, uses, first=first, last=last))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rendez-vous-{first}-{last}.csv"'
        return response
    return render(
        request,
        "bookings/figures.html",
        {
            "title": "Chiffres des rendez-vous",
            "territory": territory,
            "first": first,
            "last": last,
            "rows": rows,
            "uses": uses,
        },
    )


@login_not_required
@never_cache
def feed(request, token):
    """An agenda's subscription, read by a calendar application: no names in it, no account needed."""
    found = selectors.feed_of(token)
    if found is None:
        raise Http404
    name, appointments = found
    response = HttpResponse(calendars.feed_ics(name, appointments), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


@require_POST
def feed_manage(request, slug):
    """Create (or renew) the subscription address of an agenda, shown once; or revoke it."""
    territory = territory_for(request, slug, STAFF)
    chosen = request.POST.get("agenda", "")
    if chosen not in dict(selectors.calendars_of(territory, request.user)) or not services.may_subscribe(
        request.user, territory, chosen
    ):
        raise PermissionDenied("Seuls votre agenda et ceux des ressources de votre organisation s'abonnent ici.")
    if request.POST.get("action") == "revoquer":
        services.feed_revoke(calendar=chosen)
        messages.success(request, "L'adresse d'abonnement ne fonctionne plus.")
    else:
        request.session[f"abonnement-{chosen}"] = services.feed_issue(calendar=chosen)
        messages.success(request, "Adresse d'abonnement créée : copiez-la dans votre agenda (affichée une fois).")
    return redirect(reverse("bookings:day", args=[slug]) + f"?agenda={chosen}")


def _followed(request, slug, pk) -> Appointment:
    territory = territory_for(request, slug, STAFF)
    appointment = get_object_or_404(
        Appointment.objects.select_related(
            "motif__organisation", "site__commune", "territory", "agent", "resource", "booked_by"
        ),
        pk=pk,
        territory=territory,
    )
    if not services.may_follow(request.user, appointment):
        raise Http404
    return appointment


def appointment(request, slug, pk):
    found = _followed(request, slug, pk)
    services.journal_list([found], user=request.user, reason="Fiche d'un rendez-vous")
    return render(
        request,
        "bookings/appointment.html",
        {"title": f"Rendez-vous : {found.motif.name}", "appointment": found, "territory": found.territory},
    )


@require_POST
def appointment_mark(request, slug, pk):
    found = _followed(request, slug, pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez : honoré, excusé ou non venu.")
    else:
        try:
            services.appointment_mark(appointment=found, status=form.cleaned_data["status"], by=request.user)
        except services.BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{found.first_name} {found.last_name} : {Status(form.cleaned_data['status']).label.lower()}."
            )
    return redirect(request.POST.get("retour") if _safe_back(request) else found.get_absolute_url())


def _safe_back(request) -> bool:
    back = request.POST.get("retour", "")
    return back.startswith(reverse("bookings:day", args=[request.resolver_match.kwargs["slug"]]))


@require_POST
def appointment_cancel(request, slug, pk):
    found = _followed(request, slug, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.appointment_cancel(
            appointment=found, by=request.user, reason=form.cleaned_data.get("reason") or "annulé par le service"
        )
    except services.BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Rendez-vous annulé ; la liste d'attente est prévenue.")
    return redirect(found.get_absolute_url())


def absence(request, slug):
    """An absence: the appointments it covers are listed first; confirmed, they are cancelled and each person
    offered a new slot."""
    territory = territory_for(request, slug, STAFF)
    form = AbsenceForm(request.POST or None, territory=territory)
    concerned = None
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.territory = territory
        if item.resource_id is None:
            item.agent = request.user
        elif item.resource.organisation_id not in services.organisations_of(
            request.user, territory
        ) and not request.user.has_role(territory, Role.PROJECT_TEAM):
            raise PermissionDenied("Cette ressource n'est pas celle de votre organisation.")
        concerned = list(services.covered_by(calendar=item.calendar, starts_at=item.starts_at, ends_at=item.ends_at))
        if not concerned or request.POST.get("confirmer"):
            _, cancelled = services.absence_add(absence=item, by=request.user)
            messages.success(
                request,
                "Absence enregistrée."
                + (
                    f" Un lien pour choisir un autre créneau est envoyé à {french.plural(len(cancelled), 'personne')}."
                    if cancelled
                    else ""
                ),
            )
            return redirect(reverse("bookings:day", args=[slug]) + f"?agenda={item.calendar}")
        services.journal_list(concerned, user=request.user, reason="Rendez-vous couverts par une absence")
    return render(
        request,
        "bookings/absence.html",
        {"title": "Déclarer une absence", "territory": territory, "form": form, "concerned": concerned},
    )
