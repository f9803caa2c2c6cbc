"""The bookings' settings pages: an agent sets up the motifs, resources and opening schedules of her organisation
(the project team and the prefecture, any organisation of their territory). Another organisation's object: 403,
explained; another territory's: 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carteblanche.core.permissions import territory_for

from . import setup
from .setup_forms import MotifForm, ResourceForm, ScheduleEndForm, ScheduleForm
from .views import STAFF

TITLE = "Paramétrage des rendez-vous"


def _territory(request, slug):
    """Her territory and the organisations she sets up there."""
    territory = territory_for(request, slug, STAFF)
    organisations = setup.managed_organisations(request.user, territory)
    if not organisations.exists():
        raise PermissionDenied("Vous n'êtes rattachée à aucune organisation de ce territoire.")
    return territory, organisations


def _crumbs(territory, current=None):
    links = [
        {"url": territory.get_absolute_url(), "title": territory.name},
        {"url": reverse("bookings:counter", args=[territory.slug]), "title": "Rendez-vous"},
    ]
    if current is None:
        return {"links": links, "current": TITLE}
    setup_link = {"url": reverse("bookings:setup", args=[territory.slug]), "title": TITLE}
    return {"links": [*links, setup_link], "current": current}


def _form_page(request, territory, form, heading, *, submit="Enregistrer", intro=""):
    return render(
        request,
        "bookings/setup/form.html",
        {
            "title": heading,
            "heading": heading,
            "intro": intro,
            "form": form,
            "submit": submit,
            "territory": territory,
            "breadcrumb_data": _crumbs(territory, heading),
        },
    )


def _refused(form, error: setup.SetupError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _back(slug, anchor):
    return redirect(reverse("bookings:setup", args=[slug]) + f"#{anchor}")


def overview(request, slug):
    territory, _ = _territory(request, slug)
    return render(
        request,
        "bookings/setup/index.html",
        {
            "title": TITLE,
            "territory": territory,
            "groups": setup.overview(territory, request.user),
            "breadcrumb_data": _crumbs(territory),
        },
    )


def motif_edit(request, slug, pk=None):
    territory, organisations = _territory(request, slug)
    motif = setup.motif_for(request.user, territory, pk) if pk else None
    heading = f"Modifier le motif « {motif.name} »" if motif else "Ajouter un motif de rendez-vous"
    form = MotifForm(request.POST or None, instance=motif, territory=territory, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            saved = setup.motif_save(motif=form.instance, by=request.user)
        except setup.SetupError as error:
            _refused(form, error)
        else:
            messages.success(request, f"Motif « {saved.name} » enregistré.")
            return _back(slug, f"organisation-{saved.organisation_id}")
    return _form_page(
        request,
        territory,
        form,
        heading,
        intro="Un motif ne se supprime pas : décochez « proposé » pour qu'il ne soit plus réservable.",
    )


def resource_edit(request, slug, pk=None):
    territory, organisations = _territory(request, slug)
    resource = setup.resource_for(request.user, territory, pk) if pk else None
    heading = f"Modifier « {resource.name} »" if resource else "Ajouter une ressource réservable"
    form = ResourceForm(request.POST or None, instance=resource, territory=territory, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            saved = setup.resource_save(resource=form.instance, by=request.user)
        except setup.SetupError as error:
            _refused(form, error)
        else:
            messages.success(request, f"Ressource « {saved.name} » enregistrée.")
            return _back(slug, f"organisation-{saved.organisation_id}")
    return _form_page(request, territory, form, heading, intro="La cabine de téléconsultation, une salle.")


def schedule_edit(request, slug, pk=None):
    territory, organisations = _territory(request, slug)
    schedule = setup.schedule_for(request.user, territory, pk) if pk else None
    heading = "Modifier une plage d'ouverture" if schedule else "Ajouter une plage d'ouverture"
    form = ScheduleForm(
        request.POST or None, instance=schedule, territory=territory, organisations=organisations, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = setup.schedule_save(schedule=form.instance, motifs=form.cleaned_data["motifs"], by=request.user)
        except setup.SetupError as error:
            _refused(form, error)
        else:
            messages.success(request, f"Plage d'ouverture enregistrée : {setup.hours(saved)}.")
            return _back(slug, f"organisation-{saved.organisation_id}")
    intro = (
        "Les rendez-vous déjà pris restent : un changement qui en laisserait hors de la plage est refusé."
        if schedule
        else "Les heures d'un agent ou d'une ressource, un jour de la semaine, chaque semaine ou une semaine sur deux."
    )
    return _form_page(request, territory, form, heading, intro=intro)


def schedule_end(request, slug, pk):
    territory, _ = _territory(request, slug)
    schedule = setup.schedule_for(request.user, territory, pk)
    form = ScheduleEndForm(request.POST or None, initial={"last_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            setup.schedule_end(schedule=schedule, last_date=form.cleaned_data["last_date"], by=request.user)
        except setup.SetupError as error:
            _refused(form, error)
        else:
            messages.success(request, f"Plage terminée : {setup.hours(schedule)}.")
            return _back(slug, f"organisation-{schedule.organisation_id}")
    who = schedule.resource or schedule.agent
    return _form_page(
        request,
        territory,
        form,
        "Terminer une plage d'ouverture",
        submit="Terminer la plage",
        intro=f"{who} : {setup.hours(schedule)}. La plage n'est pas supprimée : elle reste dans l'historique.",
    )
