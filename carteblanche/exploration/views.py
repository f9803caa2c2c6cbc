from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core.french import plural
from carteblanche.core.jobs import start_job
from carteblanche.core.models import Job
from carteblanche.core.throttle import Throttle, address_of, browser_of
from carteblanche.operations.frame import crumbs, form_page, operation_for, page_context
from carteblanche.operations.models import Operation
from carteblanche.operations.permissions import can_capture, can_manage, require
from carteblanche.territories.models import Commune

from . import duplicates, qda, selectors, services
from .enums import Frequency, IrritantSource, IrritantStatus, ParticipantKind, Severity
from .forms import (
    AttachmentForm,
    CodeForm,
    CounterReportForm,
    EvidenceForm,
    FieldVisitForm,
    ImportForm,
    IrritantForm,
    MergeForm,
    ResidentReportForm,
)
from .models import (
    AffectedGroup,
    Attachment,
    Code,
    Excerpt,
    FieldVisit,
    Irritant,
    ResidentContact,
    ResidentReport,
    Theme,
)
from .permissions import can_read_contacts
from .selectors import as_int
from .tasks import import_irritants, theme_analysis

# The residents' form: five messages an hour from one browser, thirty from one network address (whole villages
# share one behind a mobile network), for each operation.
REPORTS_PER_HOUR = {"browser": 5, "address": 30}


def _running(kind: str, operation) -> Job | None:
    """A job of this kind still at work on the operation (not finished, not stalled)."""
    jobs = Job.objects.filter(kind=kind, params__operation=operation.pk).exclude(status__in=["terminee", "echouee"])
    return next((job for job in jobs if not job.is_stalled), None)


# --- Field work -----------------------------------------------------------------------------------


def visit_list(request, slug):
    operation = operation_for(request, slug)
    visits = (
        operation.visits.select_related("site__commune", "commune")
        .prefetch_related("participants")
        .annotate(excerpt_count=Count("excerpts"))
    )
    return render(
        request,
        "exploration/visit_list.html",
        page_context(
            request,
            operation,
            "Travail de terrain",
            visits=visits,
            breadcrumb_data=crumbs(operation, "Travail de terrain"),
        ),
    )


def visit_edit(request, slug, pk=None):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    visit = get_object_or_404(FieldVisit, operation=operation, pk=pk) if pk else None
    form = FieldVisitForm(request.POST or None, instance=visit, operation=operation)
    if request.method == "POST" and form.is_valid():
        visit = services.visit_save(
            visit=form.save(commit=False),
            operation=operation,
            actor=request.user,
            participant_counts=form.participant_counts(),
        )
        form.save_m2m()
        messages.success(request, "Visite enregistrée.")
        return redirect(visit)
    title = "Modifier la visite" if visit else "Nouvelle visite de terrain"
    return form_page(
        request,
        operation,
        title=title,
        form=form,
        submit="Enregistrer la visite",
        parent={"url": reverse("exploration:visits", args=[slug]), "title": "Travail de terrain"},
    )


def visit_detail(request, slug, pk):
    operation = operation_for(request, slug)
    visit = get_object_or_404(
        FieldVisit.objects.select_related("site__commune", "commune", "note_taker", "created_by"),
        operation=operation,
        pk=pk,
    )
    excerpts = list(visit.excerpts.prefetch_related("codes__parent", "evidence__irritant").order_by("start"))
    codes = selectors.codebook(operation)
    return render(
        request,
        "exploration/visit_detail.html",
        page_context(
            request,
            operation,
            visit.title,
            visit=visit,
            excerpts=excerpts,
            codes=codes,
            segments=selectors.highlighted_segments(visit.notes, excerpts),
            participants=visit.participants.all(),
            attachments=visit.attachments.all(),
            attachment_form=AttachmentForm(),
            participant_kinds=ParticipantKind,
            breadcrumb_data=crumbs(
                operation,
                visit.title,
                {"url": reverse("exploration:visits", args=[slug]), "title": "Travail de terrain"},
            ),
        ),
    )


@require_POST
def attachment_add(request, slug, pk):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    visit = get_object_or_404(FieldVisit, operation=operation, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        services.attachment_add(visit=visit, upload=upload, actor=request.user)
        messages.success(request, f"Pièce jointe « {upload.name} » ajoutée.")
    else:
        for error in form.errors.get("file", []):
            messages.error(request, f"Pièce jointe refusée : {error}")
    return redirect(visit)


def attachment_download(request, slug, pk, attachment_pk):
    operation = operation_for(request, slug)
    attachment = get_object_or_404(Attachment, visit__operation=operation, visit_id=pk, pk=attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def excerpt_add(request, slug, pk):
    """Tag a passage of the notes. The browser sends the selection; without script, a pasted passage."""
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    visit = get_object_or_404(FieldVisit, operation=operation, pk=pk)
    passage = request.POST.get("passage", "").replace("\r\n", "\n")
    try:
        start = selectors.locate_passage(visit.notes, passage, request.POST.get("start"))
        codes = list(Code.objects.filter(operation=operation, pk__in=request.POST.getlist("codes")))
        excerpt = services.excerpt_code(
            visit=visit,
            start=start,
            passage=passage,
            codes=codes,
            new_code=request.POST.get("new_code", ""),
            new_code_parent=Code.objects.filter(
                operation=operation, pk=request.POST.get("new_code_parent") or 0
            ).first(),
            memo=request.POST.get("memo", ""),
            actor=request.user,
        )
        messages.success(request, f"Extrait codé : {', '.join(c.path for c in excerpt.codes.all())}.")
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(f"{visit.get_absolute_url()}#codage")


@require_POST
def excerpt_delete(request, slug, pk, excerpt_pk):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    excerpt = get_object_or_404(Excerpt, visit__operation=operation, visit_id=pk, pk=excerpt_pk)
    try:
        services.excerpt_delete(excerpt=excerpt)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Extrait supprimé.")
    return redirect(excerpt.visit)


# --- Codebook and excerpts ------------------------------------------------------------------------


def codebook(request, slug):
    operation = operation_for(request, slug)
    form = CodeForm(operation=operation)
    if request.method == "POST":
        require(can_manage(request.user, operation))
        action = request.POST.get("action")
        try:
            if action == "create":
                form = CodeForm(request.POST, operation=operation)
                if form.is_valid():
                    code = services.code_create(
                        operation=operation, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"]
                    )
                    messages.success(request, f"Code « {code.path} » créé.")
                    return redirect("exploration:codes", slug=slug)
            elif action == "rename":
                code = get_object_or_404(Code, operation=operation, pk=as_int(request.POST.get("code")) or 0)
                services.code_rename(code, request.POST.get("name", ""))
                messages.success(request, f"Code renommé : « {code.path} ».")
                return redirect("exploration:codes", slug=slug)
            elif action == "merge":
                source = get_object_or_404(Code, operation=operation, pk=as_int(request.POST.get("code")) or 0)
                target = get_object_or_404(Code, operation=operation, pk=as_int(request.POST.get("target")) or 0)
                label = source.path
                services.code_merge(source=source, target=target)
                messages.success(request, f"« {label} » fusionné dans « {target.path} ».")
                return redirect("exploration:codes", slug=slug)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "exploration/codebook.html",
        page_context(
            request,
            operation,
            "Livre de codes",
            form=form,
            codes=selectors.codebook(operation),
            breadcrumb_data=crumbs(operation, "Livre de codes"),
        ),
    )


def excerpt_list(request, slug):
    operation = operation_for(request, slug)
    excerpts = selectors.coded_excerpts(operation, code_id=request.GET.get("code"))
    if request.method == "POST":
        require(can_manage(request.user, operation))
        chosen = list(excerpts.filter(pk__in=[n for n in map(as_int, request.POST.getlist("extraits")) if n]))
        try:
            target = None
            if request.POST.get("irritant", "").strip():
                number = as_int(request.POST["irritant"])
                target = Irritant.objects.visible().filter(operation=operation, pk=number).first() if number else None
                if target is None:
                    raise services.ServiceError(
                        f"Aucun irritant n° {request.POST['irritant']} à compléter dans cette opération."
                    )
            irritant = services.excerpts_to_irritant(
                excerpts=chosen,
                actor=request.user,
                irritant=target,
                title=request.POST.get("title", ""),
                operation=operation,
            )
            messages.success(request, f"{plural(len(chosen), 'extrait rattaché')} à « {irritant.title} ».")
            return redirect(irritant)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "exploration/excerpt_list.html",
        page_context(
            request,
            operation,
            "Extraits codés",
            excerpts=excerpts,
            codes=selectors.codebook(operation),
            code_id=request.GET.get("code", ""),
            breadcrumb_data=crumbs(operation, "Extraits codés"),
        ),
    )


def excerpts_export(request, slug, fmt):
    operation = operation_for(request, slug)
    excerpts = selectors.coded_excerpts(operation)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(qda.excerpts_csv(excerpts), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="extraits-{operation.slug}-{stamp}.csv"'
        return response
    visits = operation.visits.select_related("created_by").order_by("date", "pk")
    body = qda.qdpx(operation, visits, list(Code.objects.filter(operation=operation)), excerpts)
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{operation.slug}-{stamp}.qdpx"'
    return response


# --- Irritants ------------------------------------------------------------------------------------


def irritant_list(request, slug):
    operation = operation_for(request, slug)
    filters = selectors.IrritantFilters.from_query(request.GET)
    queryset = selectors.irritants(operation, filters)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "exploration/irritant_list.html",
        page_context(
            request,
            operation,
            "Irritants",
            page=page,
            filters=filters,
            query=filters.querystring(),
            statuses=IrritantStatus.choices,
            sources=IrritantSource.choices,
            severities=Severity.choices,
            themes=Theme.objects.filter(operation=operation),
            groups=AffectedGroup.objects.filter(operation=operation),
            communes=Commune.objects.filter(territories=operation.territory).order_by("name").only("pk", "name"),
            breadcrumb_data=crumbs(operation, "Irritants"),
        ),
    )


def _irritant_prefill(query) -> dict:
    """A new irritant may start from another page's figures (the vigies' figures): its title, description and
    communes in the link's query (``titre``, ``description``, ``communes``); the person reads and saves it."""
    initial = {"title": query.get("titre", "")[:200], "description": query.get("description", "")[:1500]}
    communes = [as_int(value) for value in query.getlist("communes")[:20]]
    if any(communes):
        initial["communes"] = [pk for pk in communes if pk]
    return {key: value for key, value in initial.items() if value}


def irritant_create(request, slug):
    operation = operation_for(request, slug)
    require(can_capture(request.user, operation))
    form = IrritantForm(request.POST or None, operation=operation, initial=_irritant_prefill(request.GET))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        irritant = services.irritant_create(
            operation=operation,
            actor=request.user,
            source=IrritantSource.TEAM,
            communes=data.pop("communes"),
            organisations=data.pop("organisations"),
            affected_groups=data.pop("affected_groups"),
            **data,
        )
        messages.success(request, "Irritant enregistré.")
        return redirect(irritant)
    return render(
        request,
        "exploration/irritant_form.html",
        page_context(
            request,
            operation,
            "Nouvel irritant",
            form=form,
            heading="Nouvel irritant",
            breadcrumb_data=crumbs(
                operation,
                "Nouvel irritant",
                {"url": reverse("exploration:irritants", args=[slug]), "title": "Irritants"},
            ),
        ),
    )


def irritant_similar(request, slug):
    """htmx: irritants that look like what is being typed."""
    operation = operation_for(request, slug)
    text = " ".join(request.POST.get(name, "") for name in ("title", "description", "what_happened"))
    exclude = request.POST.get("exclude")
    matches = duplicates.similar_irritants(
        operation.pk, text, exclude=int(exclude) if exclude and exclude.isdigit() else None, allow_stale=True
    )
    found = {i.pk: i for i in Irritant.objects.filter(pk__in=[m.irritant_id for m in matches])}
    return render(
        request,
        "exploration/includes/similar.html",
        {
            "operation": operation,
            "similar": [(found[m.irritant_id], m.score) for m in matches if m.irritant_id in found],
        },
    )


def irritant_detail(request, slug, pk):
    operation = operation_for(request, slug)
    irritant = get_object_or_404(
        Irritant.objects.select_related("theme", "merged_into", "possible_duplicate_of", "created_by"),
        operation=operation,
        pk=pk,
    )
    evidence = irritant.evidence.select_related("excerpt__visit", "report", "added_by")
    contacts = []
    if can_read_contacts(request.user, operation):
        contacts = [e.report for e in evidence if e.report_id and hasattr(e.report, "contact")]
    return render(
        request,
        "exploration/irritant_detail.html",
        page_context(
            request,
            operation,
            irritant.title,
            irritant=irritant,
            evidence=evidence,
            contacts=contacts,
            events=irritant.events.all()[:100],
            merged=irritant.merged.all(),
            merge_form=MergeForm(),
            evidence_form=EvidenceForm(),
            similar=[
                (Irritant.objects.get(pk=m.irritant_id), m.score)
                for m in duplicates.similar_irritants(
                    operation.pk,
                    irritant.full_text,
                    exclude=irritant.pk,
                    limit=3,
                    threshold=duplicates.SUGGESTION_THRESHOLD,
                )
            ]
            if irritant.status != IrritantStatus.MERGED
            else [],
            breadcrumb_data=crumbs(
                operation,
                f"Irritant n° {irritant.pk}",
                {"url": reverse("exploration:irritants", args=[slug]), "title": "Irritants"},
            ),
        ),
    )


def irritant_edit(request, slug, pk):
    operation = operation_for(request, slug)
    require(can_capture(request.user, operation))
    irritant = get_object_or_404(Irritant.objects.visible(), operation=operation, pk=pk)
    form = IrritantForm(request.POST or None, instance=irritant, operation=operation)
    if request.method == "POST" and form.is_valid():
        changed = {form.fields[name].label: _readable(form.cleaned_data.get(name)) for name in form.changed_data}
        form.save()  # the request is one transaction (ATOMIC_REQUESTS): the change and its history land together
        services.irritant_update(irritant, actor=request.user, changed=changed)
        messages.success(request, "Irritant modifié.")
        return redirect(irritant)
    return render(
        request,
        "exploration/irritant_form.html",
        page_context(
            request,
            operation,
            "Modifier l'irritant",
            form=form,
            heading=f"Modifier l'irritant n° {irritant.pk}",
            irritant=irritant,
            breadcrumb_data=crumbs(
                operation, "Modifier", {"url": irritant.get_absolute_url(), "title": f"Irritant n° {irritant.pk}"}
            ),
        ),
    )


@require_POST
def evidence_add(request, slug, pk):
    """The team adds a figure or a note as evidence of an irritant."""
    operation = operation_for(request, slug)
    require(can_capture(request.user, operation))
    irritant = get_object_or_404(Irritant.objects.visible(), operation=operation, pk=pk)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.evidence_add(
            irritant,
            kind=data["kind"],
            actor=request.user,
            text=data["text"],
            figure_value=data["figure_value"],
            figure_unit=data["figure_unit"],
            source_label=data["source_label"],
        )
        messages.success(request, "Preuve ajoutée.")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label} : {error}" if label else error)
    return redirect(irritant)


@require_POST
def evidence_remove(request, slug, pk, evidence_pk):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    irritant = get_object_or_404(Irritant.objects.visible(), operation=operation, pk=pk)
    evidence = get_object_or_404(irritant.evidence, pk=evidence_pk)
    services.evidence_remove(evidence, actor=request.user)
    messages.success(request, "Preuve retirée de l'irritant.")
    return redirect(irritant)


def _readable(value) -> str:
    """A form value as the history shows it: lists of objects by name, choices by label."""
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(str(item) for item in value) or "—"
    return "—" if value in (None, "") else str(value)


@require_POST
def irritant_merge(request, slug, pk):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    source = get_object_or_404(Irritant, operation=operation, pk=pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        target = Irritant.objects.visible().filter(operation=operation, pk=form.cleaned_data["target"]).first()
        if target is None:
            messages.error(request, f"Aucun irritant n° {form.cleaned_data['target']} dans cette opération.")
            return redirect(source)
        try:
            services.irritants_merge(target=target, sources=[source], actor=request.user)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
            return redirect(source)
        messages.success(request, f"Irritant n° {source.pk} fusionné dans celui-ci, avec ses preuves.")
        return redirect(target)
    messages.error(request, "Indiquez le numéro de l'irritant cible.")
    return redirect(source)


@never_cache
@require_POST
def contact_reveal(request, slug, pk, report_pk):
    """A resident's contact details: the project team only, and every read is journaled with its reason."""
    operation = operation_for(request, slug)
    require(can_read_contacts(request.user, operation))
    report = get_object_or_404(
        ResidentReport.objects.select_related("contact").filter(contact__isnull=False),
        operation=operation,
        pk=report_pk,
        evidence__irritant_id=pk,
    )
    reason = request.POST.get("reason", "").strip()
    if len(reason) < 5:
        messages.error(request, "Indiquez pourquoi vous consultez ces coordonnées (5 caractères au moins).")
        return redirect("exploration:irritant", slug=slug, pk=pk)
    JournalEntry.log(
        action=Action.PERSONAL_DATA_READ,
        actor=request.user,
        target=report,
        territory=operation.territory,
        reason=reason,
        fields=["prénom", "e-mail", "téléphone", "consentement"],
    )
    return render(
        request,
        "exploration/contact.html",
        page_context(
            request,
            operation,
            "Coordonnées d'un usager",
            report=report,
            contact=report.contact,
            irritant_pk=pk,
            breadcrumb_data=crumbs(operation, "Coordonnées"),
        ),
    )


def counter_capture(request, slug):
    """An agent at a counter writes down what a resident says, on their behalf."""
    operation = operation_for(request, slug)
    require(can_capture(request.user, operation))
    form = CounterReportForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        irritant = _submit_report(operation, form, captured_by=request.user)
        messages.success(request, f"Merci : la parole de l'usager est enregistrée (irritant n° {irritant.pk}).")
        return redirect("exploration:counter", slug=slug)
    return render(
        request,
        "exploration/report_form.html",
        page_context(
            request,
            operation,
            "Recueil au guichet",
            form=form,
            counter=True,
            breadcrumb_data=crumbs(operation, "Recueil au guichet"),
        ),
    )


def _submit_report(operation, form, captured_by=None, client_hash="", session_hash=""):
    data = form.cleaned_data
    contact = {k: data.get(k) for k in ("first_name", "email", "phone", "consent_recontact")}
    irritant = services.report_submit(
        operation=operation,
        what_happened=data["what_happened"],
        commune=data.get("commune"),
        service=data.get("service", ""),
        contact=contact,
        captured_by=captured_by,
        client_hash=client_hash,
        session_hash=session_hash,
    )
    report = irritant.evidence.first().report
    if ResidentContact.objects.filter(report=report).exists():
        JournalEntry.log(
            action=Action.PERSONAL_DATA_WRITTEN,
            actor=captured_by,
            target=report,
            territory=operation.territory,
            reason="Coordonnées laissées avec un signalement",
            fields=[k for k in services.CONTACT_FIELDS if contact.get(k)],
        )
    return irritant


@login_not_required
def public_report(request, slug):
    """The residents' form: no account, one minute on a phone. Limits: a few messages an hour per browser
    (session cookie), more per network address, since whole villages may share one behind a mobile network."""
    operation = get_object_or_404(Operation.objects.select_related("territory"), slug=slug)
    if not operation.public_form_open:
        return render(
            request, "exploration/public_closed.html", {"title": "Participation close", "operation": operation}
        )
    form = ResidentReportForm(request.POST or None, operation=operation)
    if request.method == "GET":
        request.session["participation"] = True  # gives the browser its session cookie
    if request.method == "POST":
        if form.is_spam:
            return redirect("exploration:public_thanks", slug=slug)  # robots are thanked, and ignored
        throttle = Throttle(f"public-report-{operation.pk}", REPORTS_PER_HOUR, window=60 * 60)
        if throttle.is_blocked(request):
            form.add_error(
                None, "Vous avez déjà envoyé plusieurs messages cette heure-ci : merci ! Réessayez plus tard."
            )
        elif form.is_valid():
            _submit_report(operation, form, client_hash=address_of(request), session_hash=browser_of(request))
            throttle.hit(request)
            return redirect("exploration:public_thanks", slug=slug)
    return render(
        request,
        "exploration/report_form.html",
        {"title": "Signaler une difficulté", "operation": operation, "form": form, "counter": False},
    )


@login_not_required
def public_thanks(request, slug):
    operation = get_object_or_404(Operation, slug=slug)
    return render(request, "exploration/public_thanks.html", {"title": "Merci", "operation": operation})


def irritant_import(request, slug):
    operation = operation_for(request, slug)
    require(can_manage(request.user, operation))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        pending = services.import_prepare(
            operation=operation, upload=upload, source_label=form.cleaned_data["source_label"], actor=request.user
        )
        job = start_job(
            import_irritants,
            label=f"Import de {upload.name}",
            user=request.user,
            territory=operation.territory,
            params={"pending": pending.pk, "operation": operation.pk},
        )
        return redirect(job)
    return render(
        request,
        "exploration/import.html",
        page_context(
            request,
            operation,
            "Importer des irritants",
            form=form,
            imports=operation.imports.all()[:20],
            breadcrumb_data=crumbs(operation, "Importer"),
        ),
    )


# --- Themes and priorities ------------------------------------------------------------------------


def theme_list(request, slug):
    operation = operation_for(request, slug)
    if request.method == "POST":
        require(can_manage(request.user, operation))
        running = _running("exploration.theme_analysis", operation)
        if running:
            messages.info(request, "Une analyse est déjà en cours : voici son avancement.")
            return redirect(running)
        job = start_job(
            theme_analysis,
            label=f"Analyse thématique — {operation.name}",
            user=request.user,
            territory=operation.territory,
            params={"operation": operation.pk},
        )
        return redirect(job)
    last_job = (
        Job.objects.filter(kind="exploration.theme_analysis", params__operation=operation.pk)
        .order_by("-created_at")
        .first()
    )
    return render(
        request,
        "exploration/theme_list.html",
        page_context(
            request,
            operation,
            "Thèmes",
            themes=selectors.themes_with_figures(operation),
            last_job=last_job,
            analysis=operation.analyses.filter(finished_at__isnull=False).first(),
            unthemed=operation.irritants.visible().filter(theme__isnull=True).count(),
            breadcrumb_data=crumbs(operation, "Thèmes"),
        ),
    )


def theme_detail(request, slug, pk):
    operation = operation_for(request, slug)
    theme = get_object_or_404(Theme, operation=operation, pk=pk)
    if request.method == "POST":
        require(can_manage(request.user, operation))
        try:
            result = selectors.apply_theme_action(theme, request.POST, actor=request.user)
            messages.success(request, result.message)
            return redirect(result.redirect_to)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
    irritants = theme.irritants.visible().order_by("-evidence_count", "pk")
    page = Paginator(irritants, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "exploration/theme_detail.html",
        page_context(
            request,
            operation,
            theme.label,
            theme=theme,
            page=page,
            others=Theme.objects.filter(operation=operation).exclude(pk=theme.pk),
            breadcrumb_data=crumbs(
                operation, theme.label, {"url": reverse("exploration:themes", args=[slug]), "title": "Thèmes"}
            ),
        ),
    )


def priorities(request, slug):
    operation = operation_for(request, slug)
    if request.method == "POST":
        require(can_manage(request.user, operation))
        if request.POST.get("action") == "delete":
            services.priority_delete(operation=operation, priority_id=as_int(request.POST.get("priority")))
            messages.success(request, "Attente prioritaire retirée.")
        else:
            try:
                priority = services.priority_create(
                    operation=operation,
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                    theme_ids=list(map(as_int, request.POST.getlist("themes"))),
                )
            except services.ServiceError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Attente prioritaire « {priority.title} » enregistrée.")
        return redirect("exploration:priorities", slug=slug)
    return render(
        request,
        "exploration/priorities.html",
        page_context(
            request,
            operation,
            "Priorités",
            rows=selectors.priority_rows(operation),
            expectations=operation.priorities.prefetch_related("themes"),
            themes=Theme.objects.filter(operation=operation),
            frequencies=Frequency,
            breadcrumb_data=crumbs(operation, "Priorités"),
        ),
    )
