"""What an operation shows to everyone, without an account, once the team has published it."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path

from carteblanche.core.personal_data import scrub
from carteblanche.core.public_cache import public_page
from carteblanche.exploration.enums import IrritantStatus
from carteblanche.operations.models import Operation
from carteblanche.operations.selectors import operation_figures

from .enums import DerogationStatus


@login_not_required
@public_page("operation")
def operation_page(request, slug):
    operation = get_object_or_404(Operation.objects.select_related("territory"), slug=slug, published=True)
    themes = operation.themes.annotate(
        size=Count("irritants", filter=~Q(irritants__status=IrritantStatus.MERGED))
    ).order_by("-size")
    theme_rows = [{"theme": t, "quotes": [scrub(q["texte"]) for q in (t.quotes or [])[:2]]} for t in themes if t.size]
    experiments = operation.experiments.prefetch_related("indicators__measurements", "irritants")
    derogations = operation.derogations.filter(
        status__in=[DerogationStatus.GRANTED, DerogationStatus.EVALUATED]
    ).select_related("experiment")
    return render(
        request,
        "codesign/public_operation.html",
        {
            "title": operation.name,
            "operation": operation,
            "phases": operation.phases.all(),
            "figures": operation_figures(operation),
            "themes": theme_rows,
            "priorities": operation.priorities.all(),
            "personas": operation.personas.all(),
            "experiments": experiments,
            "derogations": derogations,
        },
    )


app_name = "public"
urlpatterns = [path("operations/<slug:slug>/", operation_page, name="operation")]
