"""The prefect's alert plans as the commune runs them: the plans, a plan's call list (the next people to call, by
state and priority; the progress read live), each call recorded from the list, the export for the prefecture.
The register is read for that purpose only: each list and export journaled."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carteblanche.accounts.enums import Role
from carteblanche.core import french, spreadsheets
from carteblanche.core.http import render_fragment
from carteblanche.core.permissions import territory_for
from carteblanche.exploration.selectors import as_int

from . import register, register_book
from .models import Campaign, RegisterEntry
from .register_forms import CallForm, CampaignForm
from .services import VigieError

ROLES = (Role.AGENT, Role.PROJECT_TEAM, Role.PREFECTURE)
SHOWN = 50  # lines of the call list on a page: the next people to call


def _territory(request, slug, *, call: bool):
    territory = territory_for(request, slug, ROLES)
    request.may_call = register.may_call(request.user, territory)  # read once a request
    if not (request.may_call or (not call and register.may_read(request.user, territory))):
        raise PermissionDenied(
            "Les plans d'alerte sont conduits par les agents des communes et de l'intercommunalité, avec l'équipe "
            "projet ; la préfecture en suit l'avancement."
        )
    return territory


def _campaign(request, slug, pk, *, call: bool):
    territory = _territory(request, slug, call=call)
    return territory, get_object_or_404(Campaign, territory=territory, pk=pk)


def campaigns(request, slug):
    territory = _territory(request, slug, call=False)
    form = CampaignForm(request.POST or None, territory=territory)
    if request.method == "POST" and form.is_valid():  # the prefecture triggers a plan; the communes run it
        try:
            campaign = register.campaign_start(
                territory=territory,
                kind=form.cleaned_data["kind"],
                communes=form.cleaned_data["communes"],
                by=request.user,
            )
        except VigieError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Plan déclenché : la liste d'appels est prête.")
            return redirect("vigies:campaign", slug=slug, pk=campaign.pk)
    return render(
        request,
        "vigies/campaigns.html",
        {
            "title": "Plans d'alerte : appels aux personnes du registre",
            "territory": territory,
            "campaigns": Campaign.objects.filter(territory=territory).prefetch_related("communes")[:50],
            "registered": register_book.listed().filter(territory=territory).count(),
            "can_keep": request.may_call,
            "form": form,
        },
    )


def campaign(request, slug, pk):
    territory, campaign = _campaign(request, slug, pk, call=False)
    state = request.GET.get("etat", "")
    shown, progress = register.next_calls(
        campaign,
        commune_id=as_int(request.GET.get("commune")),
        state=state if state in register.STATE_LABELS else None,
        limit=SHOWN,
    )
    register.journal_list(campaign, user=request.user, count=len(shown))
    return render(
        request,
        "vigies/campaign.html",
        {
            "title": str(campaign),
            "territory": territory,
            "campaign": campaign,
            "lines": shown,
            "total": sum(progress.values()),
            "progress": progress,
            "states": register.STATE_LABELS,
            "communes": list(campaign.communes.order_by("name").only("pk", "name", "insee_code")),  # no boundary
            "can_call": request.may_call and campaign.ended_at is None,
            "here": request.get_full_path(),
            "calls": reverse("vigies:call", args=[slug, pk, 0]).removesuffix("0/"),  # + each person's number
        },
    )


def campaign_progress(request, slug, pk):
    _, campaign = _campaign(request, slug, pk, call=False)
    _, progress = register.next_calls(campaign, limit=0)  # the counts only
    return render_fragment(
        request,
        "vigies/includes/progress.html",
        {"campaign": campaign, "progress": progress, "total": sum(progress.values())},
        title=f"Avancement — {campaign}",
    )


@require_POST
def call(request, slug, pk, entry):
    territory, campaign = _campaign(request, slug, pk, call=True)
    person = get_object_or_404(RegisterEntry, territory=territory, pk=entry)
    form = CallForm(request.POST)
    back = request.POST.get("retour", "")
    if not back.startswith(reverse("vigies:campaign", args=[slug, pk])):
        back = reverse("vigies:campaign", args=[slug, pk])
    if not form.is_valid():
        messages.error(request, "Choisissez le résultat de l'appel.")
        return redirect(back)
    try:
        register.call_record(
            campaign=campaign,
            entry=person,
            outcome=form.cleaned_data["outcome"],
            expected_attempt=form.cleaned_data["attempt"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except VigieError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Appel noté : {person.first_name} {person.last_name}.")
    return redirect(back)


def campaign_csv(request, slug, pk):
    _, campaign = _campaign(request, slug, pk, call=False)
    lines = register.call_list(campaign)
    register.journal_list(campaign, user=request.user, count=len(lines))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{campaign.kind}-{campaign.pk}.csv"'
    response.write("\ufeff")
    writer = spreadsheets.writer(response, delimiter=";")
    writer.writerow(["Nom", "Prénom", "Commune", "Adresse", "Téléphone", "Personne à prévenir", "État", "Appels"])
    for line in lines:
        entry = line.entry
        writer.writerow(
            [
                entry.last_name,
                entry.first_name,
                entry.commune.name,
                entry.address,
                entry.phone,
                f"{entry.contact_name} {entry.contact_phone}".strip(),
                line.state_label,
                line.attempts,
            ]
        )
    return response


@require_POST
def campaign_end(request, slug, pk):
    _, campaign = _campaign(request, slug, pk, call=True)
    try:
        campaign = register.campaign_end(campaign=campaign, by=request.user, now=timezone.now())
    except VigieError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Plan levé le {french.date(campaign.ended_at)}.")
    return redirect("vigies:campaign", slug=slug, pk=pk)
