"""Childcare pages. A provider answers a proposal from her personal link, without an account: she reads the child's
age, the half-hours and the commune; the family's name and phone once she accepted."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import matching, patterns, services
from .enums import PartStatus
from .forms import AnswerForm


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
            "hours": patterns.label(patterns.slots_of(part.schedule)),
            "accepted": part.status == PartStatus.ACCEPTED,
            "form": form,
            "error": error,
        },
    )
