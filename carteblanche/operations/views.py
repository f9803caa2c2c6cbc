"""The operations and their phases: the list, the operation's page (its timeline and figures), its settings."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carteblanche.core.errors import ServiceError
from carteblanche.territories.models import Territory

from . import services
from .forms import OperationForm, PhaseForm
from .frame import form_page, operation_for, page_context
from .models import Operation, Phase
from .permissions import can_manage, can_manage_territory, require
from .selectors import operation_figures


def operation_list(request):
    operations = Operation.objects.for_user(request.user).select_related("territory").prefetch_related("phases")
    creatable = [t for t in Territory.objects.for_user(request.user) if can_manage_territory(request.user, t)]
    # What a project team may reproduce at home: the operations other territories have published.
    models_to_replicate = (
        Operation.objects.filter(published=True).exclude(pk__in=operations.values("pk")).select_related("territory")
        if creatable
        else []
    )
    return render(
        request,
        "operations/operation_list.html",
        {
            "title": "Opérations",
            "operations": operations,
            "creatable": creatable,
            "models_to_replicate": models_to_replicate,
            "breadcrumb_data": {"current": "Opérations"},
        },
    )


def operation_create(request, territory_slug):
    territory = get_object_or_404(Territory.objects.for_user(request.user), slug=territory_slug)
    require(can_manage_territory(request.user, territory))
    form = OperationForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        operation = services.operation_create(territory=territory, **form.cleaned_data)
        messages.success(request, "Opération créée, avec ses cinq phases : adaptez-les à votre calendrier.")
        return redirect(operation)
    return render(
        request,
        "layout/form_page.html",
        {
            "title": "Nouvelle opération",
            "form": form,
            "heading": f"Nouvelle opération — {territory.name}",
            "submit": "Créer l'opération",
            "breadcrumb_data": {"current": "Nouvelle opération"},
        },
    )


def operation_detail(request, slug):
    operation = operation_for(request, slug, open_to_jurors=True)
    return render(
        request,
        "operations/operation_detail.html",
        page_context(
            request,
            operation,
            operation.name,
            phases=list(operation.phases.all()),
            stats=operation_figures(operation),
            today=timezone.localdate(),
            breadcrumb_data={
                "links": [{"url": reverse("operations:operations"), "title": "Opérations"}],
                "current": operation.name,
            },
        ),
    )


def operation_edit(request, slug):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    form = OperationForm(request.POST or None, instance=operation)
    if request.method == "POST" and form.is_valid():
        operation = form.save()
        messages.success(request, "Opération enregistrée.")
        return redirect(operation)
    return form_page(
        request, operation, title="Modifier l'opération", form=form, submit="Enregistrer", crumb="Modifier"
    )


def phase_create(request, slug):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    form = PhaseForm(request.POST or None, initial={"order": operation.phases.count() + 1})
    if request.method == "POST" and form.is_valid():
        phase = services.phase_add(operation=operation, phase=form.save(commit=False))
        messages.success(request, f"Phase « {phase.name} » ajoutée.")
        return redirect(operation)
    return form_page(request, operation, title="Nouvelle phase", form=form, submit="Ajouter la phase")


@require_POST
def phase_delete(request, slug, pk):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    phase = get_object_or_404(Phase, operation=operation, pk=pk)
    try:
        services.phase_delete(phase=phase)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Phase « {phase.name} » retirée.")
    return redirect(operation)


def phase_edit(request, slug, pk):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    phase = get_object_or_404(Phase, operation=operation, pk=pk)
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Phase « {phase.name} » enregistrée.")
        return redirect(operation)
    return form_page(
        request,
        operation,
        title=f"Phase {phase.name}",
        form=form,
        submit="Enregistrer",
        heading=f"Phase : {phase.name}",
        crumb=phase.name,
    )
