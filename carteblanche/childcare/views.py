"""Childcare pages. A provider answers a proposal from her personal link, without an account: she reads the child's
age, the half-hours and the commune; the family's name and phone once she accepted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carteblanche.accounts.enums import Role
from carteblanche.core import french
from carteblanche.core.permissions import territory_for

from . import matching, patterns, selectors, services
from .enums import PartStatus
from .forms import AnswerForm, NeedForm

ADVISERS = (Role.AGENT, Role.PROJECT_TEAM)


@login_not_required
@never_cache
def answer(request, token):
    part = services.part_for(token)
    if part is None:
        return render(request, "childcare/answer_over.html", {"title": "Lien expiré"}, status=404)
    form = AnswerForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            part = services.part_answer(
                part=part, accept=request.POST.get("reponse") == "oui", reason=form.cleaned_data["reason"]
            )
        except services.ChildcareError as exc:
            error = str(exc)
    need = part.proposal.need
    return render(
        request,
        "childcare/answer.html",
        {
            "title": "Une famille vous propose un accueil",
            "part": part,
            "need": need,
            "months": matching.months_between(need.child_birth_date, need.start_date),
            "hours": patterns.label(patterns.slots_of(part.schedule)) if part.schedule else "",
            "weeks": patterns.weeks_label(part.weeks),
            "accepted": part.status == PartStatus.ACCEPTED,
            "form": form,
            "error": error,
        },
    )


# ---------------------------------------------------------------------------------------------------------------
# Advisers (relais petite enfance, France services, France Travail), with the parent's consent


def _need(request, slug, pk):
    territory = territory_for(request, slug, ADVISERS)
    return territory, get_object_or_404(selectors.needs_for(request.user, territory), pk=pk)


def need_list(request, slug):
    territory = territory_for(request, slug, ADVISERS)
    needs = list(selectors.needs_for(request.user, territory)[:200])
    for need in needs:
        services.journal(need, user=request.user, reason="Liste des besoins de garde")
    return render(
        request,
        "childcare/needs.html",
        {"title": "Garde d'enfants : besoins des familles", "territory": territory, "needs": needs},
    )


def need_add(request, slug):
    territory = territory_for(request, slug, ADVISERS)
    form = NeedForm(request.POST or None, territory=territory)
    if request.method == "POST" and form.is_valid():
        need = form.save(commit=False)
        need.consent_at = timezone.now()
        try:
            need = services.need_save(need=need, by=request.user)
        except services.ChildcareError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Besoin enregistré : calculez les solutions.")
            return redirect("childcare:need", slug=slug, pk=need.pk)
    return render(
        request,
        "childcare/need_form.html",
        {
            "title": "Enregistrer un besoin de garde",
            "heading": "Enregistrer un besoin de garde",
            "intro": "Les heures où l'enfant doit être gardé, par demi-heure ; deux plages par jour au plus.",
            "form": form,
            "territory": territory,
        },
    )


def need_detail(request, slug, pk):
    territory, need = _need(request, slug, pk)
    services.journal(need, user=request.user, reason="Fiche d'un besoin de garde")
    return render(
        request,
        "childcare/need.html",
        {
            "title": str(need),
            "territory": territory,
            "need": need,
            "hours": patterns.label(need.slots),
            "weeks": patterns.weeks_label(need.exceptions),
            "proposals": selectors.proposals_of(need),
        },
    )


@require_POST
def need_propose(request, slug, pk):
    _, need = _need(request, slug, pk)
    found = services.proposals_compute(need=need, by=request.user)
    if found:
        messages.success(
            request, f"{french.plural(len(found), 'solution')}, chacune conforme au droit pour ses accueillants."
        )
    else:
        messages.warning(request, "Aucun accueillant ne peut prendre ces heures à cette distance.")
    return redirect("childcare:need", slug=slug, pk=pk)


@require_POST
def proposal_send(request, slug, pk, proposal_pk):
    _, need = _need(request, slug, pk)
    proposal = get_object_or_404(need.proposals, pk=proposal_pk)
    try:
        services.proposal_send(proposal=proposal, by=request.user)
    except services.ChildcareError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Envoyée aux accueillants : chacun répond par son lien.")
    return redirect("childcare:need", slug=slug, pk=pk)
