"""The register of vulnerable people between plans: the list (filtered, journaled), a registration at the person's or a
third party's written request, a person's registration (corrected, its letter, leaving the register), a list of the
département or the CARSAT imported. Only the plans' callers keep it (``register.may_call``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from carteblanche.accounts.enums import Role
from carteblanche.core.pdf import html_to_pdf
from carteblanche.core.permissions import territory_for
from carteblanche.exploration.selectors import as_int

from . import register, register_book
from .enums import RegisterSource
from .models import RegisterEntry
from .register_forms import ENTRY_FIELDS, EntryForm, ListImportForm, RegistrationForm
from .services import VigieError

STATES = {"": "Inscrites", "a_ecrire": "Courrier à envoyer", "sorties": "Sorties du registre"}


def _territory(request, slug):
    territory = territory_for(request, slug, (Role.AGENT, Role.PROJECT_TEAM))
    if not register.may_call(request.user, territory):
        raise PermissionDenied(
            "Le registre des personnes vulnérables est tenu par les agents des communes et de l'intercommunalité."
        )
    return territory


def _entry(request, slug, pk):
    territory = _territory(request, slug)
    return territory, get_object_or_404(RegisterEntry.objects.select_related("commune"), territory=territory, pk=pk)


def _mayor_of(entry: RegisterEntry) -> str:
    return f"la mairie de {entry.commune.name}"


def book(request, slug):
    territory = _territory(request, slug)
    state = request.GET.get("etat", "")
    state = state if state in STATES else ""
    commune_id = as_int(request.GET.get("commune"))
    query = request.GET.get("q", "").strip()[:60]
    page = Paginator(register_book.entries(territory, commune_id=commune_id, state=state, query=query), 50).get_page(
        request.GET.get("page")
    )
    if state != "sorties":
        register_book.journal_read(
            territory=territory, by=request.user, count=len(page.object_list), reason="Consultation du registre"
        )
    filters = {key: value for key, value in (("etat", state), ("commune", commune_id or ""), ("q", query)) if value}
    return render(
        request,
        "vigies/register_book.html",
        {
            "title": "Registre des personnes vulnérables",
            "territory": territory,
            "page": page,
            "state": state,
            "state_label": STATES[state],
            "commune_id": commune_id,
            "q": query,
            "query": urlencode(filters),
            "communes": territory.communes.order_by("name"),
            "tabs": [
                (key, label, register_book.entries(territory, state=key).count()) for key, label in STATES.items()
            ],
            "listed": register_book.listed().filter(territory=territory).count(),
        },
    )


def entry_new(request, slug):
    territory = _territory(request, slug)
    form = RegistrationForm(request.POST or None, territory=territory)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = register_book.register_person(
                territory=territory,
                data={name: data[name] for name in ENTRY_FIELDS},
                source=data["source"],
                agreed=data["agreed"],
                third_party=data["third_party"],
                requested_on=data["requested_on"],
                by=request.user,
            )
        except VigieError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Inscription enregistrée : envoyez-lui l'accusé de réception.")
            return redirect("vigies:register_entry", slug=slug, pk=entry.pk)
    return render(
        request,
        "vigies/register_new.html",
        {"title": "Inscrire une personne au registre", "territory": territory, "form": form},
    )


def entry(request, slug, pk):
    territory, entry = _entry(request, slug, pk)
    form = None
    if not entry.objected_at:
        form = EntryForm(request.POST or None, instance=entry, territory=territory)
        if request.method == "POST" and form.is_valid():
            try:
                register_book.entry_update(
                    entry=entry, data={name: form.cleaned_data[name] for name in ENTRY_FIELDS}, by=request.user
                )
            except VigieError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Inscription modifiée.")
                return redirect("vigies:register_entry", slug=slug, pk=entry.pk)
        if request.method == "GET":
            register_book.journal_read(
                territory=territory, by=request.user, count=1, reason="Consultation d'une inscription au registre"
            )
    return render(
        request,
        "vigies/register_entry.html",
        {
            "title": f"{entry.first_name} {entry.last_name}".strip() or "Sortie du registre",
            "territory": territory,
            "entry": entry,
            "form": form,
            "from_list": entry.source in register_book.LISTS,
            "letter": (
                register_book.information if entry.source in register_book.LISTS else register_book.acknowledgement
            )(entry, mayor_of=_mayor_of(entry))
            if not entry.objected_at
            else "",
            "listed": register_book.listed().filter(pk=entry.pk).exists(),
        },
    )


def entry_letter(request, slug, pk):
    """The letter as a PDF to print and post: the acknowledgement, or the information of a person on a list."""
    territory, entry = _entry(request, slug, pk)
    if entry.objected_at:
        raise PermissionDenied("Cette personne a quitté le registre : aucun courrier ne lui est envoyé.")
    from_list = entry.source in register_book.LISTS
    text = (register_book.information if from_list else register_book.acknowledgement)(
        entry, mayor_of=_mayor_of(entry)
    )
    register_book.journal_read(territory=territory, by=request.user, count=1, reason="Courrier du registre imprimé")
    html = render_to_string(
        "vigies/register_letter_pdf.html",
        {
            "entry": entry,
            "text": text,
            "from_list": from_list,
            "today": timezone.localdate(),
            "mayor_of": _mayor_of(entry),
        },
        request,
    )
    response = HttpResponse(
        html_to_pdf(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    name = "information" if from_list else "accuse-de-reception"
    response["Content-Disposition"] = f'attachment; filename="registre-{name}-{entry.pk}.pdf"'
    return response


@require_POST
def entry_letter_sent(request, slug, pk):
    _, entry = _entry(request, slug, pk)
    try:
        entry = register_book.letter_sent(entry=entry, by=request.user)
    except VigieError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Information notée : elle sera appelée lors des prochains plans."
            if entry.source in register_book.LISTS
            else "Accusé de réception noté.",
        )
    return redirect("vigies:register_entry", slug=slug, pk=pk)


@require_POST
def entry_leave(request, slug, pk):
    _, entry = _entry(request, slug, pk)
    try:
        register_book.entry_objects(entry=entry, by=request.user)
    except VigieError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Elle ne figure plus au registre : ses données sont effacées.")
    return redirect("vigies:register_book", slug=slug)


def list_import(request, slug):
    territory = _territory(request, slug)
    form = ListImportForm(request.POST or None, request.FILES or None)
    errors, report = [], None
    if request.method == "POST" and form.is_valid():
        try:
            report = register_book.import_list(
                territory=territory,
                source=form.cleaned_data["source"],
                raw=form.cleaned_data["file"].read(),
                by=request.user,
            )
        except register_book.ListRejected as exc:
            form.add_error("file", str(exc))
            errors = exc.errors
        except VigieError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"Liste importée : {report.summary} Envoyez-leur le courrier d'information.")
            return redirect(f"{reverse('vigies:register_book', args=[slug])}?etat=a_ecrire")
    return render(
        request,
        "vigies/register_import.html",
        {
            "title": "Importer une liste du département ou de la CARSAT",
            "territory": territory,
            "form": form,
            "errors": errors,
            "sources": RegisterSource,
        },
    )
