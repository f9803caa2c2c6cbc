"""Solidarity rides: the operator's desk (agents, team, prefecture) and the driver's answer link (no account)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carteblanche.accounts.enums import Role
from carteblanche.core import french, spreadsheets
from carteblanche.territories.models import Territory

from . import rides
from .enums import ProposalStatus, RideStatus
from .forms import AssignForm, CancelForm, DriverForm, HitchhikingStopForm, PassengerForm, RideForm, TripForm
from .models import Driver, Passenger, RideRequest
from .views import crumbs, render_form, territory_for

OPERATORS = (Role.PROJECT_TEAM, Role.PREFECTURE, Role.AGENT)


def _desk(request, slug) -> Territory:
    return territory_for(request, slug, OPERATORS)


def _crumbs(territory, current):
    return crumbs(territory, "mobility:rides", "Transport solidaire", current)


def _form_page(request, territory, form, heading, submit):
    return render_form(request, form, heading, submit, _crumbs(territory, heading))


def desk(request, slug):
    territory = _desk(request, slug)
    base = RideRequest.objects.filter(territory=territory).select_related("passenger", "driver")
    past = timezone.now() - datetime.timedelta(hours=12)
    confirmed = base.filter(status=RideStatus.CONFIRMED)
    return render(
        request,
        "mobility/rides_desk.html",
        {
            "title": f"Transport solidaire — {territory.name}",
            "territory": territory,
            "exceptions": base.exceptions().order_by("appointment_at"),
            "waiting": base.open().order_by("appointment_at"),
            "confirmed": confirmed.filter(appointment_at__gte=past),
            "to_record": confirmed.filter(appointment_at__lt=past),
            "drivers": Driver.objects.active().filter(territory=territory).count(),
            "unchecked": Driver.objects.active().filter(territory=territory, identity_checked_at__isnull=True).count(),
            "passengers": Passenger.objects.active().filter(territory=territory).count(),
            "from_bookings": _rides_wanted(request, territory),
            "year": timezone.localdate().year,
            "breadcrumb_data": {
                "links": [{"url": territory.get_absolute_url(), "title": territory.name}],
                "current": "Transport solidaire",
            },
        },
    )


def _rides_wanted(request, territory) -> list:
    from carteblanche.bookings import selectors as booking_selectors
    from carteblanche.bookings import services as booking_services

    found = list(booking_selectors.rides_wanted(territory, now=timezone.now())[:50])
    booking_services.journal_list(found, user=request.user, reason="Rendez-vous avec transport solidaire demandé")
    return found


def passengers(request, slug):
    territory = _desk(request, slug)
    query = request.GET.get("q", "").strip()
    found = Passenger.objects.active().filter(territory=territory).select_related("commune")
    if query:
        found = found.filter(Q(last_name__icontains=query) | Q(first_name__icontains=query) | Q(phone__contains=query))
    found = list(found.select_related("territory")[:100])
    rides.journal_list(found, user=request.user, reason="Liste des passagers du transport solidaire")
    return render(
        request,
        "mobility/passengers.html",
        {
            "title": "Passagers",
            "territory": territory,
            "passengers": found,
            "query": query,
            "breadcrumb_data": _crumbs(territory, "Passagers"),
        },
    )


def _save_person(request, territory, form, what):
    return rides.person_save(
        person=form.save(commit=False),
        consent=bool(form.cleaned_data.get("consent")),
        identity_checked=form.cleaned_data.get("identity_checked"),
        user=request.user,
        what=what,
    )


def passenger_edit(request, slug, pk=None):
    territory = _desk(request, slug)
    passenger = get_object_or_404(Passenger, territory=territory, pk=pk) if pk else None
    form = PassengerForm(request.POST or None, instance=passenger, territory=territory)
    if request.method == "POST" and form.is_valid():
        passenger = _save_person(request, territory, form, "fiche passager")
        messages.success(request, f"Inscription {french.of(passenger)} enregistrée : vous pouvez réserver son trajet.")
        return redirect(reverse("mobility:ride_add", args=[territory.slug]) + f"?passager={passenger.pk}")
    heading = f"Modifier la fiche {french.of(passenger)}" if passenger else "Inscrire un passager"
    return _form_page(request, territory, form, heading, "Enregistrer")


def drivers(request, slug):
    territory = _desk(request, slug)
    found = list(Driver.objects.filter(territory=territory).select_related("commune", "territory"))
    rides.journal_list(found, user=request.user, reason="Liste des chauffeurs bénévoles")
    return render(
        request,
        "mobility/drivers.html",
        {
            "title": "Chauffeurs bénévoles",
            "territory": territory,
            "drivers": found,
            "breadcrumb_data": _crumbs(territory, "Chauffeurs bénévoles"),
        },
    )


def driver_edit(request, slug, pk=None):
    territory = _desk(request, slug)
    driver = get_object_or_404(Driver, territory=territory, pk=pk) if pk else None
    if driver:
        rides.journal_contact(driver, user=request.user, reason="Consultation de la fiche du chauffeur")
    form = DriverForm(request.POST or None, instance=driver, territory=territory)
    if request.method == "POST" and form.is_valid():
        driver = _save_person(request, territory, form, "fiche chauffeur")
        messages.success(request, f"Fiche {french.of(driver)} enregistrée.")
        return redirect("mobility:drivers", territory.slug)
    heading = f"Fiche {french.of(driver)}" if driver else "Inscrire un chauffeur bénévole"
    return _form_page(request, territory, form, heading, "Enregistrer")


def ride_add(request, slug):
    """A ride booked by the desk; from an appointment (``?rdv=``), its place, day, time and length come filled in
    and the ride is attached to it; from a childcare solution (``?garde=&relais=``), the passage between its two
    providers."""
    from carteblanche.bookings import selectors as booking_selectors
    from carteblanche.bookings import services as booking_services

    territory = _desk(request, slug)
    initial = {"date": timezone.localdate() + datetime.timedelta(days=2), "time": datetime.time(10, 0)}
    appointment, from_booking = booking_selectors.ride_initial(territory, request.GET.get("rdv", ""))
    initial |= from_booking
    if "garde" in request.GET:
        from carteblanche.childcare.selectors import ride_initial

        initial |= ride_initial(territory, request.GET["garde"], request.GET.get("relais", ""))
    if request.GET.get("passager", "").isdigit():
        initial["passenger"] = int(request.GET["passager"])
    form = RideForm(request.POST or None, territory=territory, initial=initial)
    if request.method == "POST" and form.is_valid():
        ride = rides.ride_create(
            territory=territory, data=form.cleaned_data, user=request.user, base_url=request.build_absolute_uri("/")
        )
        if appointment is not None:
            booking_services.ride_attach(appointment=appointment, ride=ride, by=request.user)
        if ride.status == RideStatus.PROPOSED:
            messages.success(request, "Demande enregistrée : les chauffeurs les mieux placés ont reçu la proposition.")
        else:
            messages.warning(request, "Demande enregistrée, mais aucun chauffeur ne convient : à traiter à la main.")
        return redirect(ride)
    return _form_page(request, territory, form, "Réserver un trajet", "Enregistrer et chercher un chauffeur")


def ride_detail(request, slug, pk):
    territory = _desk(request, slug)
    ride = get_object_or_404(
        RideRequest.objects.select_related("passenger__commune", "driver", "created_by"), territory=territory, pk=pk
    )
    rides.journal_contact(ride.passenger, user=request.user, reason="Consultation d'un trajet solidaire")
    km = rides.passenger_km(ride)
    return render(
        request,
        "mobility/ride.html",
        {
            "title": str(ride),
            "territory": territory,
            "ride": ride,
            "events": ride.events.all(),
            "proposals": ride.proposals.select_related("driver"),
            "assign_form": AssignForm(territory=territory),
            "cancel_form": CancelForm(),
            "trip_form": TripForm(initial={"km": km, "participation": rides.participation_cap(ride, km)}),
            "cap": rides.participation_cap(ride, km),
            "km": km,
            "past": rides.is_past(ride),
            "review": rides.driver_review(ride) if ride.status not in (RideStatus.DONE, RideStatus.CANCELLED) else [],
            "breadcrumb_data": _crumbs(territory, f"Trajet du {french.date(timezone.localtime(ride.appointment_at))}"),
        },
    )


def _ride_action(request, slug, pk, form_class, action, **form_kwargs):
    territory = _desk(request, slug)
    ride = get_object_or_404(RideRequest, territory=territory, pk=pk)
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(ride)
    try:
        action(ride, form.cleaned_data)
    except rides.RideError as exc:
        messages.error(request, str(exc))
    return redirect(ride)


@require_POST
def ride_assign(request, slug, pk):
    territory = _desk(request, slug)

    def act(ride, data):
        rides.assign(ride, data["driver"], user=request.user)
        messages.success(request, f"Trajet confirmé avec {data['driver']} ; le passager est prévenu.")

    return _ride_action(request, slug, pk, AssignForm, act, territory=territory)


@require_POST
def ride_cancel(request, slug, pk):
    def act(ride, data):
        rides.cancel(ride, user=request.user, reason=data["reason"])
        messages.success(request, "Trajet annulé.")

    return _ride_action(request, slug, pk, CancelForm, act)


@require_POST
def ride_trip(request, slug, pk):
    def act(ride, data):
        rides.record_trip(ride, km=data["km"], participation=data["participation"], user=request.user)
        messages.success(request, "Trajet enregistré comme effectué.")

    return _ride_action(request, slug, pk, TripForm, act)


@require_POST
def ride_rematch(request, slug, pk):
    territory = _desk(request, slug)
    ride = get_object_or_404(RideRequest, territory=territory, pk=pk)
    try:
        proposals = rides.propose(ride, user=request.user, base_url=request.build_absolute_uri("/"))
    except rides.RideError as exc:
        messages.error(request, str(exc))
    else:
        if proposals:
            others = french.plural(len(proposals), "autre chauffeur", "autres chauffeurs")
            messages.success(request, f"Proposé à {others}.")
        else:
            messages.warning(request, "Aucun autre chauffeur ne convient : joignez un bénévole par téléphone.")
    return redirect(ride)


def yearly(request, slug, year):
    territory = _desk(request, slug)
    figures = rides.yearly_figures(territory, year)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="transport-solidaire-{territory.slug}-{year}.csv"'
        response.write("\ufeff")
        writer = spreadsheets.writer(response, delimiter=";")
        for label, value in rides.figure_rows(figures):
            writer.writerow([label, value])
        return response
    return render(
        request,
        "mobility/rides_year.html",
        {
            "title": f"Bilan {year} du transport solidaire",
            "territory": territory,
            "figures": figures,
            "rows": rides.figure_rows(figures),
            "breadcrumb_data": _crumbs(territory, f"Bilan {year}"),
        },
    )


def hitchhiking_add(request, slug):
    territory = _desk(request, slug)
    form = HitchhikingStopForm(request.POST or None, territory=territory)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Arrêt sur le pouce ajouté : il apparaît sur la carte des passages.")
        return redirect("mobility:rides", territory.slug)
    return _form_page(request, territory, form, "Ajouter un arrêt sur le pouce", "Enregistrer")


# ---------------------------------------------------------------------------------------------------------------
# The driver's link


@login_not_required
@never_cache
def answer(request, token):
    proposal = rides.proposal_for(token)
    if proposal is None:
        # Unknown, or over (the ride was cancelled, done or is past): the same answer, and nothing personal.
        return render(request, "mobility/answer_over.html", {"title": "Lien de trajet solidaire"}, status=404)
    ride = proposal.ride
    if request.method == "POST":
        try:
            if request.POST.get("reponse") == "accepter":
                rides.accept(proposal)
                messages.success(request, "Merci ! Le trajet est à vous ; le passager est prévenu.")
            else:
                rides.decline(proposal, base_url=request.build_absolute_uri("/"))
                messages.info(request, "C'est noté : le trajet est proposé à d'autres bénévoles.")
        except rides.RideError as exc:
            messages.warning(request, str(exc))
        return redirect("mobility:answer", token)
    proposal.refresh_from_db()
    accepted = rides.shows_passenger(proposal)
    if accepted:
        rides.journal_contact(
            ride.passenger, reason=f"Lien de réponse du chauffeur {proposal.driver}", fields=["téléphone", "adresse"]
        )
    return render(
        request,
        "mobility/answer.html",
        {
            "title": "Trajet solidaire proposé",
            "proposal": proposal,
            "ride": ride,
            "accepted": accepted,
            "desk": rides.settings_for(ride.territory),
            "passenger_km": rides.passenger_km(ride),
            "open": proposal.status == ProposalStatus.SENT and ride.status == RideStatus.PROPOSED,
        },
    )
