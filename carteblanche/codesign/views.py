from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carteblanche.accounts.enums import Role
from carteblanche.core import french, links
from carteblanche.core.errors import ServiceError
from carteblanche.core.http import render_fragment
from carteblanche.core.throttle import Throttle
from carteblanche.exploration.selectors import as_int
from carteblanche.operations.frame import crumbs, form_page, operation_for, page_context
from carteblanche.operations.permissions import can_manage, can_manage_territory, can_read_material, require

from . import services
from .charts import indicator_chart
from .enums import DerogationStatus, ExperimentStage, ParticipantKind, WorkshopStatus
from .forms import (
    STEP_FIELDS,
    CloseForm,
    DecisionForm,
    DerogationForm,
    IdeaForm,
    IndicatorForm,
    MeasurementForm,
    ParticipantForm,
    PersonaForm,
    PersonaTemplateForm,
    WorkshopForm,
    experiment_step_form,
)
from .models import (
    ConflictOfInterest,
    Derogation,
    Experiment,
    Hackathon,
    Idea,
    Indicator,
    Participant,
    Persona,
    Score,
    Workshop,
)

COOKIE_SALT = "carteblanche.atelier"
COOKIE_AGE = 60 * 60 * 24 * 30


# --- Personas -------------------------------------------------------------------------------------


def persona_list(request, slug):
    operation = operation_for(request, slug, open_to_jurors=True)
    personas = operation.personas.annotate(irritant_count=Count("irritants"))
    return render(
        request,
        "codesign/persona_list.html",
        page_context(
            request,
            operation,
            "Personas",
            personas=personas,
            template_form=PersonaTemplateForm(),
            breadcrumb_data=crumbs(operation, "Personas"),
        ),
    )


@require_POST
def persona_create(request, slug):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    form = PersonaTemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un modèle de persona.")
        return redirect("codesign:personas", slug=slug)
    persona = services.persona_from_template(
        operation=operation, template=form.cleaned_data["template"], actor=request.user
    )
    messages.success(
        request, f"Persona « {persona.name} » créée à partir du modèle : ancrez-la dans ce que vous avez entendu."
    )
    return redirect("codesign:persona_edit", slug=slug, pk=persona.pk)


def persona_edit(request, slug, pk):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    persona = get_object_or_404(Persona, operation=operation, pk=pk)
    form = PersonaForm(request.POST or None, instance=persona, operation=operation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Persona « {persona.name} » enregistrée.")
        return redirect(persona)
    return form_page(
        request,
        operation,
        title=f"Modifier {persona.name}",
        form=form,
        submit="Enregistrer la persona",
        heading=f"Persona : {persona.name}",
        crumb=persona.name,
        parent={"url": reverse("codesign:personas", args=[slug]), "title": "Personas"},
    )


def persona_detail(request, slug, pk):
    operation = operation_for(request, slug, open_to_jurors=True)
    persona = get_object_or_404(Persona, operation=operation, pk=pk)
    irritants = persona.irritants.prefetch_related("evidence").order_by("-severity", "title")
    return render(
        request,
        "codesign/persona_detail.html",
        page_context(
            request,
            operation,
            persona.name,
            persona=persona,
            irritants=irritants,
            figures=persona.figures(),
            workshops=persona.workshops.all(),
            ideas=persona.ideas.filter(kept=True),
            breadcrumb_data=crumbs(
                operation, persona.name, {"url": reverse("codesign:personas", args=[slug]), "title": "Personas"}
            ),
        ),
    )


# --- Workshops (team side) ------------------------------------------------------------------------


def _workshop_operation(request, slug):
    operation = operation_for(request, slug)
    require(can_read_material(request.user, operation))
    return operation


def workshop_list(request, slug):
    operation = _workshop_operation(request, slug)
    workshops = operation.workshops.annotate(
        idea_count=Count("ideas", distinct=True), participant_count=Count("participants", distinct=True)
    )
    return render(
        request,
        "codesign/workshop_list.html",
        page_context(
            request, operation, "Ateliers", workshops=workshops, breadcrumb_data=crumbs(operation, "Ateliers")
        ),
    )


def workshop_edit(request, slug, pk=None):
    operation = _workshop_operation(request, slug)
    require(can_manage(request.user, operation))
    workshop = get_object_or_404(Workshop, operation=operation, pk=pk) if pk else None
    form = WorkshopForm(request.POST or None, instance=workshop, operation=operation)
    if request.method == "POST" and form.is_valid():
        if workshop is None:
            data = dict(form.cleaned_data)
            personas, facilitators = data.pop("personas"), data.pop("facilitators")
            workshop = services.workshop_create(operation=operation, actor=request.user, **data)
            workshop.personas.set(personas)
            workshop.facilitators.add(*facilitators)
        else:
            workshop = form.save()
        messages.success(request, "Atelier enregistré.")
        return redirect(workshop)
    title = "Modifier l'atelier" if workshop else "Nouvel atelier"
    return form_page(
        request,
        operation,
        title=title,
        form=form,
        submit="Enregistrer l'atelier",
        parent={"url": reverse("codesign:workshops", args=[slug]), "title": "Ateliers"},
    )


def workshop_detail(request, slug, pk):
    """The facilitator's screen: agenda, participants, the ideas board (refreshed live), the controls."""
    operation = _workshop_operation(request, slug)
    workshop = get_object_or_404(Workshop.objects.prefetch_related("personas", "agenda"), operation=operation, pk=pk)
    manage = can_manage(request.user, operation)
    if request.method == "POST":
        require(manage)
        _facilitate(request, workshop)
        return redirect(workshop)
    return render(
        request,
        "codesign/workshop_detail.html",
        page_context(
            request,
            operation,
            workshop.title,
            workshop=workshop,
            ideas=services.results(workshop),
            participants=workshop.participants.select_related("organisation"),
            invitation_url=request.build_absolute_uri(reverse("codesign:join", args=[workshop.invitation])),
            participant_form=ParticipantForm(workshop=workshop),
            close_form=CloseForm(initial={"minutes": workshop.minutes}),
            closing=manage and workshop.status != WorkshopStatus.CLOSED,
            statuses=WorkshopStatus,
            total_minutes=sum(s.minutes for s in workshop.agenda.all()),
            breadcrumb_data=crumbs(
                operation, workshop.title, {"url": reverse("codesign:workshops", args=[slug]), "title": "Ateliers"}
            ),
        ),
    )


def _facilitate(request, workshop):
    action = request.POST.get("action")
    if action == "status":
        if services.workshop_status_set(workshop=workshop, status=request.POST.get("status", "")):
            messages.success(request, f"Atelier : {workshop.get_status_display().lower()}.")
    elif action == "group":
        idea = get_object_or_404(Idea, workshop=workshop, pk=as_int(request.POST.get("idea")) or 0)
        services.idea_group(idea=idea, group=request.POST.get("group", ""))
    elif action == "register":
        form = ParticipantForm(request.POST, workshop=workshop)
        if form.is_valid():
            data = form.cleaned_data
            services.participant_register(
                workshop=workshop,
                kind=data["kind"],
                first_name=data["first_name"],
                organisation=data["organisation"],
                email=data["email"],
                consent_recontact=data["consent_recontact"],
                registered_by=request.user,
            )
            messages.success(request, f"Inscription {french.of(data['first_name'])} enregistrée.")
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    elif action == "close":
        form = CloseForm(request.POST)
        if form.is_valid():
            kept = [n for n in map(as_int, request.POST.getlist("kept")) if n]
            services.workshop_close(workshop=workshop, minutes=form.cleaned_data["minutes"], kept_ids=kept)
            messages.success(request, "Atelier clos : les idées retenues sont prêtes à devenir des expérimentations.")
        else:
            messages.error(request, "Écrivez le compte rendu avant de clore l'atelier.")
    elif action == "link":
        idea = get_object_or_404(Idea, workshop=workshop, pk=as_int(request.POST.get("idea")) or 0)
        services.idea_link(
            idea=idea,
            persona_id=as_int(request.POST.get("persona")),
            irritant_ids=list(map(as_int, request.POST.getlist("irritants"))),
        )
        messages.success(request, "Idée reliée à sa persona et aux irritants auxquels elle répond.")


@never_cache
def workshop_board(request, slug, pk):
    """htmx fragment polled by the facilitator's screen."""
    operation = _workshop_operation(request, slug)
    workshop = get_object_or_404(Workshop, operation=operation, pk=pk)
    return render_fragment(
        request,
        "codesign/includes/board.html",
        {
            "workshop": workshop,
            "ideas": services.results(workshop),
            "operation": operation,
            "can_manage": can_manage(request.user, operation),
            "closing": request.GET.get("cloture") == "1",
            "projection": request.GET.get("projection") == "1",
        },
        title=f"Tableau de l'atelier « {workshop.title} »",
    )


@never_cache
def workshop_projector(request, slug, pk):
    """The board for the room's projector: full screen, large type, refreshed live, nothing else."""
    operation = _workshop_operation(request, slug)
    workshop = get_object_or_404(Workshop, operation=operation, pk=pk)
    return render(
        request,
        "codesign/projector.html",
        {
            "title": f"Tableau de l'atelier « {workshop.title} »",
            "workshop": workshop,
            "operation": operation,
            "ideas": services.results(workshop),
            "projection": True,
            "skiplinks": [{"link": "#content", "label": "Contenu"}],  # no menu nor footer on the projector
            "invitation_url": request.build_absolute_uri(reverse("codesign:join", args=[workshop.invitation])),
        },
    )


# --- Workshops (participants' phones, no account) -------------------------------------------------


def _cookie_name(workshop) -> str:
    return f"cb_atelier_{workshop.pk}"


def _device(request, workshop) -> tuple[str, str]:
    """What this browser holds for the workshop: the participant's device token, and her rejoin code (kept here
    only: the platform keeps its hash)."""
    value = request.get_signed_cookie(_cookie_name(workshop), default="", salt=COOKIE_SALT, max_age=COOKIE_AGE)
    token, _, code = value.partition(":")
    return token, code


def _participant(request, workshop) -> Participant | None:
    token, _ = _device(request, workshop)
    if not token:
        return None
    return Participant.objects.filter(workshop=workshop, device_token=token).first()


@login_not_required
def join(request, invitation):
    workshop = get_object_or_404(Workshop.objects.select_related("operation__territory"), invitation=invitation)
    participant = _participant(request, workshop)
    if participant is not None:
        return redirect("codesign:participate", invitation=invitation)
    if workshop.status == WorkshopStatus.CLOSED:
        return render(request, "codesign/join_closed.html", {"title": "Atelier clos", "workshop": workshop})
    rejoin_error = ""
    if request.method == "POST" and request.POST.get("action") == "reprendre":
        found, code, rejoin_error = _rejoin(request, workshop)
        if found is not None:
            return _with_device(redirect("codesign:participate", invitation=invitation), workshop, found, code)
    form = ParticipantForm(request.POST if request.POST.get("action") != "reprendre" else None, workshop=workshop)
    if request.method == "POST" and request.POST.get("action") != "reprendre" and form.is_valid():
        data = form.cleaned_data
        participant = services.participant_register(
            workshop=workshop,
            kind=data["kind"],
            first_name=data["first_name"],
            organisation=data["organisation"],
            email=data["email"] if data["consent_recontact"] else "",  # kept only to be contacted again
            consent_recontact=data["consent_recontact"],
            user=request.user if request.user.is_authenticated else None,
        )
        code = services.rejoin_code_issue(participant=participant)
        return _with_device(redirect("codesign:participate", invitation=invitation), workshop, participant, code)
    return render(
        request,
        "codesign/join.html",
        {
            "title": f"Rejoindre l'atelier — {workshop.title}",
            "workshop": workshop,
            "form": form,
            "kinds": ParticipantKind,
            "rejoin_error": rejoin_error,
            "rejoin_code": request.POST.get("code", "") if request.POST.get("action") == "reprendre" else "",
        },
    )


def _with_device(response, workshop, participant, code: str):
    """This browser is now the participant's (her ideas and dots follow her from one device to another); it keeps
    her rejoin code, to show it to her."""
    response.set_signed_cookie(
        _cookie_name(workshop),
        f"{participant.device_token}:{code}",
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
    )
    return response


# Rejoin codes guessed: five wrong ones for a workshop, twenty from one network address, wait a quarter of an hour.
REJOIN_THROTTLE = Throttle("workshop-rejoin", {"account": 5, "address": 20})


def _rejoin(request, workshop):
    """The participant her code names, or a French error; guessing is slowed by the throttle."""
    key = f"atelier-{workshop.pk}"
    if REJOIN_THROTTLE.is_blocked(request, key):
        return None, "", "Trop d'essais : attendez un quart d'heure avant de réessayer."
    code = links.normalize(request.POST.get("code", ""), services.REJOIN_ALPHABET)
    if not code:
        return None, "", "Saisissez le code de reprise affiché sur votre premier appareil."
    found = services.participant_by_rejoin_code(workshop=workshop, code=code)
    if found is None:
        REJOIN_THROTTLE.hit(request, key)
        return None, "", "Ce code ne correspond à aucun participant de cet atelier : vérifiez-le, lettre par lettre."
    return found, code, ""


@login_not_required
@never_cache
def participate(request, invitation):
    """A participant's phone: add ideas, put dots on ideas."""
    workshop = get_object_or_404(Workshop.objects.select_related("operation"), invitation=invitation)
    participant = _participant(request, workshop)
    if participant is None:
        return redirect("codesign:join", invitation=invitation)
    form = IdeaForm(request.POST or None) if request.POST.get("action") == "idea" else IdeaForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "idea":
                if form.is_valid():
                    services.idea_add(workshop=workshop, participant=participant, text=form.cleaned_data["text"])
                    messages.success(request, "Idée ajoutée : merci !")
                    return redirect("codesign:participate", invitation=invitation)
            elif request.POST.get("action") == "vote":
                idea = get_object_or_404(Idea, workshop=workshop, pk=as_int(request.POST.get("idea")) or 0)
                placed = services.vote_toggle(participant=participant, idea=idea)
                messages.success(request, "Gommette posée." if placed else "Gommette retirée.")
                return redirect("codesign:participate", invitation=invitation)
        except ServiceError as exc:
            messages.error(request, str(exc))
    ideas = services.results(workshop)
    mine = set(participant.votes.values_list("idea_id", flat=True))
    _, code = _device(request, workshop)
    fresh = not code and workshop.status != WorkshopStatus.CLOSED
    if fresh:  # a browser from before the codes were kept only here: a new code, which it now keeps
        code = services.rejoin_code_issue(participant=participant)
    response = render(
        request,
        "codesign/participate.html",
        {
            "title": workshop.title,
            "workshop": workshop,
            "participant": participant,
            "rejoin_code": code,
            "form": form,
            "ideas": ideas,
            "mine": mine,
            "dots_left": workshop.dots_per_participant - len(mine),
        },
    )
    return _with_device(response, workshop, participant, code) if fresh else response


@login_not_required
@never_cache
def participate_ideas(request, invitation):
    """htmx fragment polled by the participants' phones."""
    workshop = get_object_or_404(Workshop, invitation=invitation)
    participant = _participant(request, workshop)
    if participant is None:
        return redirect("codesign:join", invitation=invitation)
    mine = set(participant.votes.values_list("idea_id", flat=True))
    return render_fragment(
        request,
        "codesign/includes/participant_ideas.html",
        {
            "workshop": workshop,
            "ideas": services.results(workshop),
            "mine": mine,
            "dots_left": workshop.dots_per_participant - len(mine),
            # The round changed since the phone drew its page: its idea form follows, without a reload.
            "phase_changed": request.GET.get("phase", workshop.status) != workshop.status,
            "form": IdeaForm(),
        },
        title=f"Idées de l'atelier « {workshop.title} »",
    )


# --- Experiments ----------------------------------------------------------------------------------


NEW_EXPERIMENT = "nouvelle"  # the prefix of the form of an experiment born of a finding, not of an idea


def experiment_list(request, slug):
    operation = operation_for(request, slug)
    new_form = None
    if "intitule" in request.GET and can_manage(request.user, operation):
        # Prefilled by the page of a finding (the childcare coverage): ?intitule=…&si=…&alors=…
        initial = {"title": "intitule", "hypothesis_if": "si", "hypothesis_then": "alors"}
        new_form = experiment_step_form("hypothese")(
            prefix=NEW_EXPERIMENT, initial={field: request.GET.get(key, "") for field, key in initial.items()}
        )
    return _experiment_list(request, operation, new_form)


def _experiment_list(request, operation, new_form):
    experiments = operation.experiments.prefetch_related("indicators").select_related("idea__workshop")
    return render(
        request,
        "codesign/experiment_list.html",
        page_context(
            request,
            operation,
            "Expérimentations",
            experiments=experiments,
            kept_ideas=Idea.objects.filter(workshop__operation=operation, kept=True, experiment__isnull=True),
            new_form=new_form,
            breadcrumb_data=crumbs(operation, "Expérimentations"),
        ),
    )


@require_POST
def experiment_create(request, slug):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    if "idea" not in request.POST and f"{NEW_EXPERIMENT}-title" in request.POST:
        form = experiment_step_form("hypothese")(request.POST, prefix=NEW_EXPERIMENT)
        if not form.is_valid():
            return _experiment_list(request, operation, form)
        experiment = services.experiment_create(
            operation=operation, experiment=form.save(commit=False), actor=request.user
        )
        messages.success(request, "Expérimentation créée : décrivez ce qui sera construit, puis le protocole.")
        return redirect(experiment)
    idea = get_object_or_404(Idea, workshop__operation=operation, pk=as_int(request.POST.get("idea")) or 0)
    try:
        experiment = services.experiment_from_idea(idea=idea, actor=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("codesign:experiments", slug=slug)
    messages.success(request, "Expérimentation créée : formulez son hypothèse « si… alors… ».")
    return redirect(experiment)


def experiment_detail(request, slug, pk):
    operation = operation_for(request, slug)
    experiment = get_object_or_404(Experiment, operation=operation, pk=pk)
    manage = can_manage(request.user, operation)
    step = request.POST.get("step") if request.method == "POST" else None
    forms = {name: experiment_step_form(name)(instance=experiment, prefix=name) for name in STEP_FIELDS}
    indicator_form, measurement_form = IndicatorForm(prefix="indicator"), MeasurementForm(prefix="measure")
    if request.method == "POST":
        require(manage)
        if step in STEP_FIELDS:
            form = experiment_step_form(step)(request.POST, instance=experiment, prefix=step)
            before = services.snapshot(experiment, STEP_FIELDS[step])
            if form.is_valid():
                experiment = services.experiment_step_save(
                    experiment=form.save(commit=False),
                    step=step,
                    before=before,
                    fields=STEP_FIELDS[step],
                    actor=request.user,
                )
                messages.success(request, f"Étape « {ExperimentStage(step).label} » enregistrée.")
                return redirect(f"{experiment.get_absolute_url()}#{step}")
            forms[step] = form
        elif step == "indicator":
            indicator_form = IndicatorForm(request.POST, prefix="indicator")
            if indicator_form.is_valid():
                services.indicator_add(
                    experiment=experiment, indicator=indicator_form.save(commit=False), actor=request.user
                )
                return redirect(f"{experiment.get_absolute_url()}#indicateurs")
        elif step == "measure":
            indicator = get_object_or_404(
                Indicator, experiment=experiment, pk=as_int(request.POST.get("indicator")) or 0
            )
            measurement_form = MeasurementForm(request.POST, prefix="measure")
            if measurement_form.is_valid():
                data = measurement_form.cleaned_data
                services.measurement_add(
                    indicator=indicator,
                    date=data["date"],
                    value=data["value"],
                    note=data["note"],
                    actor=request.user,
                )
                messages.success(request, "Mesure enregistrée.")
                return redirect(f"{experiment.get_absolute_url()}#indicateurs")
    indicators = [(i, indicator_chart(i)) for i in experiment.indicators.prefetch_related("measurements")]
    return render(
        request,
        "codesign/experiment_detail.html",
        page_context(
            request,
            operation,
            experiment.title,
            experiment=experiment,
            forms=forms,
            indicators=indicators,
            indicator_form=indicator_form,
            measurement_form=measurement_form,
            stages=ExperimentStage.choices,
            events=experiment.events.all()[:100],
            derogations=experiment.derogations.all(),
            breadcrumb_data=crumbs(
                operation,
                experiment.title,
                {"url": reverse("codesign:experiments", args=[slug]), "title": "Expérimentations"},
            ),
        ),
    )


# --- Derogations ----------------------------------------------------------------------------------


def derogation_list(request, slug):
    operation = operation_for(request, slug)
    return render(
        request,
        "codesign/derogation_list.html",
        page_context(
            request,
            operation,
            "Registre des dérogations",
            derogations=operation.derogations.select_related("experiment", "decided_by"),
            breadcrumb_data=crumbs(operation, "Dérogations"),
        ),
    )


def derogation_inbox(request):
    """The prefecture's inbox: the derogations submitted to the prefect, in the territories where she decides."""
    from carteblanche.territories.models import Territory

    territories = Territory.objects.filter(
        memberships__user=request.user, memberships__role=Role.PREFECTURE, memberships__is_active=True
    )
    require(request.user.is_superuser or territories.exists())
    waiting = (
        Derogation.objects.filter(status=DerogationStatus.SUBMITTED, operation__territory__in=territories)
        .select_related("operation", "experiment")
        .order_by("submitted_at", "pk")
    )
    return render(
        request,
        "codesign/derogation_inbox.html",
        {
            "title": "Dérogations à décider",
            "waiting": waiting,
            "breadcrumb_data": {"current": "Dérogations à décider"},
        },
    )


def derogation_create(request, slug, experiment_pk):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    experiment = get_object_or_404(Experiment, operation=operation, pk=experiment_pk)
    form = DerogationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        derogation = services.derogation_draft(
            derogation=form.save(commit=False), operation=operation, experiment=experiment, actor=request.user
        )
        messages.success(request, "Demande de dérogation enregistrée en brouillon.")
        return redirect(derogation)
    return form_page(
        request,
        operation,
        title="Demander une dérogation",
        form=form,
        submit="Enregistrer le brouillon",
        heading=f"Demander une dérogation pour « {experiment.title} »",
        crumb="Nouvelle dérogation",
    )


def derogation_detail(request, slug, pk):
    operation = operation_for(request, slug)
    derogation = get_object_or_404(
        Derogation.objects.select_related("experiment", "decided_by"), operation=operation, pk=pk
    )
    decision_form = DecisionForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                require(can_manage(request.user, operation))
                services.derogation_submit(derogation, actor=request.user)
                messages.success(request, "Demande soumise au préfet.")
            elif action == "decide":
                decision_form = DecisionForm(request.POST, request.FILES)
                if decision_form.is_valid():
                    data = decision_form.cleaned_data
                    services.derogation_decide(
                        derogation,
                        granted=data["granted"],
                        reasons=data["reasons"],
                        reference=data["reference"],
                        pdf=data["pdf"],
                        actor=request.user,
                    )
                    messages.success(request, "Décision enregistrée.")
                    return redirect(derogation)
            elif action == "evaluate":
                require(can_manage(request.user, operation))
                services.derogation_evaluate(
                    derogation, evaluation=request.POST.get("evaluation", ""), actor=request.user
                )
                messages.success(request, "Évaluation enregistrée.")
            if action in {"submit", "evaluate"}:
                return redirect(derogation)
        except ServiceError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "codesign/derogation_detail.html",
        page_context(
            request,
            operation,
            str(derogation),
            derogation=derogation,
            decision_form=decision_form,
            can_decide=request.user.is_superuser or request.user.has_role(operation.territory, Role.PREFECTURE),
            breadcrumb_data=crumbs(
                operation,
                str(derogation),
                {"url": reverse("codesign:derogations", args=[slug]), "title": "Dérogations"},
            ),
        ),
    )


def derogation_pdf(request, slug, pk):
    operation = operation_for(request, slug)
    derogation = get_object_or_404(Derogation, operation=operation, pk=pk)
    if not derogation.arrete_pdf:
        if derogation.status not in (DerogationStatus.GRANTED, DerogationStatus.EVALUATED):
            raise Http404("Aucun arrêté : la dérogation n'est pas accordée.")
        # No signed arrêté uploaded: the arrêté drawn from its template, with the decision's terms.
        from django.template.loader import render_to_string

        from carteblanche.core.pdf import html_to_pdf

        html = render_to_string("codesign/arrete_pdf.html", {"derogation": derogation, "operation": operation})
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="arrete-{derogation.arrete_reference or derogation.pk}.pdf"'
        )
        return response
    return FileResponse(
        derogation.arrete_pdf.open("rb"),
        as_attachment=True,
        filename=f"arrete-{derogation.arrete_reference or derogation.pk}.pdf",
        content_type="application/pdf",
    )


# --- Replication ----------------------------------------------------------------------------------


def operation_replicate(request, slug):
    """Start an operation elsewhere, on the model of this one."""
    from django.db.models import Q
    from django.utils import timezone

    from carteblanche.operations.models import Operation
    from carteblanche.territories.models import Territory

    from .forms import ReplicateForm

    # An operation of one's own territories, or one another territory has published (a model to reproduce).
    source = get_object_or_404(
        Operation.objects.filter(
            Q(pk__in=Operation.objects.for_user(request.user).values("pk")) | Q(published=True)
        ).select_related("territory"),
        slug=slug,
    )
    territories = [t for t in Territory.objects.for_user(request.user) if can_manage_territory(request.user, t)]
    require(bool(territories))
    form = ReplicateForm(
        request.POST or None,
        territories=territories,
        initial={"start_date": timezone.localdate(), "name": f"Carte blanche — {source.name}"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            operation = services.operation_from_template(
                source=source,
                territory=data["territory"],
                name=data["name"],
                slug=data["slug"],
                start_date=data["start_date"],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error("slug", str(exc))
        else:
            messages.success(
                request,
                "Opération créée sur ce modèle : phases, livre de codes, formats d'ateliers et "
                "personas sont repris ; à vous d'écouter ce territoire-ci.",
            )
            return redirect(operation)
    return form_page(
        request,
        source,
        title="Reproduire l'opération",
        form=form,
        submit="Créer l'opération",
        heading=f"Reproduire « {source.name} » dans un autre territoire",
        crumb="Reproduire",
    )


# --- Report ---------------------------------------------------------------------------------------


def operation_report(request, slug, fmt):
    """The operation's « bilan »: PDF, ODS workbook, or one sheet as CSV (?feuille=…)."""
    from django.http import HttpResponse
    from django.utils import timezone

    from . import report

    operation = operation_for(request, slug)
    stamp = f"bilan-{operation.slug}-{timezone.localdate().isoformat()}"
    if fmt == "pdf":
        response = HttpResponse(report.as_pdf(operation, request), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stamp}.pdf"'
    elif fmt == "ods":
        response = HttpResponse(
            report.as_ods(operation), content_type="application/vnd.oasis.opendocument.spreadsheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{stamp}.ods"'
    elif fmt == "csv":
        sheet = request.GET.get("feuille", "synthese")
        if sheet not in report.sheets(operation):
            raise Http404("Feuille inconnue.")
        response = HttpResponse(report.as_csv(operation, sheet), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stamp}-{sheet}.csv"'
    else:
        raise Http404("Format inconnu.")
    return response


# --- Hackathon ------------------------------------------------------------------------------------


def _hackathon(request, slug, pk):
    operation = operation_for(request, slug, open_to_jurors=True)  # each hackathon page checks the juror herself
    hackathon = get_object_or_404(
        Hackathon.objects.prefetch_related("criteria", "challenges", "jurors"), operation=operation, pk=pk
    )
    return operation, hackathon


def hackathon_list(request, slug):
    operation = operation_for(request, slug, open_to_jurors=True)
    hackathons = operation.hackathons.all()
    if not (can_read_material(request.user, operation)):
        hackathons = hackathons.filter(jurors=request.user)  # a juror sees the hackathons they judge
    return render(
        request,
        "codesign/hackathon_list.html",
        page_context(
            request, operation, "Hackathons", hackathons=hackathons, breadcrumb_data=crumbs(operation, "Hackathons")
        ),
    )


def hackathon_create(request, slug):
    from .forms import HackathonForm

    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    form = HackathonForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        from . import hackathon as rules

        hackathon = rules.hackathon_create(hackathon=form.save(commit=False), operation=operation)
        form.save_m2m()
        messages.success(request, "Hackathon créé, avec une grille de notation par défaut (modifiable).")
        return redirect(hackathon)
    return form_page(request, operation, title="Nouveau hackathon", form=form, submit="Créer le hackathon")


def hackathon_detail(request, slug, pk):
    from . import hackathon as rules
    from .forms import TeamForm

    operation, hackathon = _hackathon(request, slug, pk)
    manage = can_manage(request.user, operation)
    juror = rules.is_juror(request.user, hackathon)
    require(manage or juror or can_read_material(request.user, operation))
    team_form = TeamForm(hackathon=hackathon)
    if request.method == "POST":
        require(manage)
        action = request.POST.get("action")
        try:
            if action == "challenge" and request.POST.get("title", "").strip():
                rules.challenge_add(
                    hackathon=hackathon, title=request.POST["title"], description=request.POST.get("description", "")
                )
            elif action == "criterion":
                rules.criterion_add(
                    hackathon=hackathon, name=request.POST.get("name", ""), weight=as_int(request.POST.get("weight"))
                )
            elif action == "team":
                team_form = TeamForm(request.POST, hackathon=hackathon)
                if team_form.is_valid():
                    team = rules.team_add(hackathon=hackathon, team=team_form.save(commit=False))
                    messages.success(request, f"Équipe « {team.name} » inscrite, passage n° {team.pitch_order}.")
                    return redirect(hackathon)
            elif action == "announce":
                rules.announce(hackathon)
                messages.success(request, "Lauréats annoncés.")
                return redirect(hackathon)
            elif action == "follow":
                team = get_object_or_404(hackathon.teams, pk=as_int(request.POST.get("team")) or 0)
                experiment = rules.follow_as_experiment(team=team, actor=request.user)
                messages.success(request, "Le projet lauréat est suivi comme expérimentation.")
                return redirect(experiment)
            if action in {"challenge", "criterion"}:
                return redirect(hackathon)
        except ServiceError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "codesign/hackathon_detail.html",
        page_context(
            request,
            operation,
            hackathon.title,
            hackathon=hackathon,
            schedule=rules.schedule(hackathon),
            results=rules.results(hackathon) if (manage or can_read_material(request.user, operation)) else None,
            tie_rule=Hackathon.TIE_RULE,
            team_form=team_form,
            is_juror=juror,
            breadcrumb_data=crumbs(
                operation, hackathon.title, {"url": reverse("codesign:hackathons", args=[slug]), "title": "Hackathons"}
            ),
        ),
    )


def hackathon_jury(request, slug, pk):
    """A juror's ballot: declare conflicts, mark each team on each criterion."""
    from . import hackathon as rules

    operation, hackathon = _hackathon(request, slug, pk)
    require(rules.is_juror(request.user, hackathon))
    if request.method == "POST":
        team = get_object_or_404(hackathon.teams, pk=as_int(request.POST.get("team")) or 0)
        try:
            if request.POST.get("action") == "conflict":
                rules.declare_conflict(
                    hackathon=hackathon, juror=request.user, team=team, reason=request.POST.get("reason", "")
                )
                messages.success(request, f"Lien déclaré avec « {team.name} » : vous ne la notez pas.")
            else:
                marks = {}
                for criterion in hackathon.criteria.all():
                    value = as_int(request.POST.get(f"critere-{criterion.pk}"))
                    if value is None:
                        raise ServiceError(f"Notez « {criterion.name} » de 0 à 10.")
                    marks[criterion.pk] = value
                rules.score_team(hackathon=hackathon, juror=request.user, team=team, marks=marks)
                messages.success(request, f"Notes de « {team.name} » enregistrées.")
        except ServiceError as exc:
            messages.error(request, str(exc))
        return redirect("codesign:hackathon_jury", slug=slug, pk=pk)
    conflicts = set(
        ConflictOfInterest.objects.filter(team__hackathon=hackathon, juror=request.user).values_list(
            "team_id", flat=True
        )
    )
    mine = {}
    for score in Score.objects.filter(team__hackathon=hackathon, juror=request.user):
        mine.setdefault(score.team_id, {})[score.criterion_id] = score.value
    rows = [
        {"slot": slot, "conflict": slot["team"].pk in conflicts, "marks": mine.get(slot["team"].pk, {})}
        for slot in rules.schedule(hackathon)
    ]
    return render(
        request,
        "codesign/hackathon_jury.html",
        page_context(
            request,
            operation,
            f"Jury — {hackathon.title}",
            hackathon=hackathon,
            rows=rows,
            criteria=list(hackathon.criteria.all()),
            marks_range=range(11),
            breadcrumb_data=crumbs(
                operation, "Jury", {"url": reverse("codesign:hackathons", args=[slug]), "title": "Hackathons"}
            ),
        ),
    )
