"""Quality of service: the questionnaire (poster, tablet, link, paper), the counter's log, the published results.

Public pages (no account): the questionnaire from a poster's QR code, a tablet or a personal link; the results of a
territory and of each structure, its experiences and their replies; the exports. Staff pages: the counter's visit
log and phone calls (agents of the structure's organisation, the team, the prefecture), the review of flagged
answers and the moderation of experiences (the team and the prefecture).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carteblanche.accounts.enums import Role
from carteblanche.core import french
from carteblanche.core.errors import ServiceError
from carteblanche.core.permissions import MANAGERS, can_manage, territory_for
from carteblanche.core.public_cache import public_page
from carteblanche.core.throttle import Throttle, address_of
from carteblanche.territories.models import Territory

from . import exports, publication, selectors, services
from .enums import AnswerChannel, ExperienceStatus
from .forms import (
    AnswerForm,
    ArrivalForm,
    CallsForm,
    CallsImportForm,
    ExperienceForm,
    InviteForm,
    IrritantForm,
    ModerationForm,
    PaperAnswerForm,
    ReferralAnsweredForm,
    ReplyForm,
    StructureForm,
    VisitDoneForm,
)
from .models import Answer, Experience, Recontact, Structure, Visit

OPERATORS = (Role.PROJECT_TEAM, Role.PREFECTURE, Role.AGENT)


def poster_throttle(structure) -> Throttle:
    """The poster's questionnaire: a browser answers a few times a day at most for one structure (a couple sharing a
    phone, a second visit); the address is not limited (a France services counter shares one), its bursts are
    flagged instead."""
    return Throttle(f"avis-affiche-{structure.pk}", {"browser": 3}, window=12 * 60 * 60)


EXPERIENCE_THROTTLE = Throttle("avis-experience", {"browser": 3, "address": 30}, window=60 * 60)


# ---------------------------------------------------------------------------------------------------------------
# The questionnaire


def _answer_page(request, structure, form, *, template="quality/answer.html", **context):
    return render(
        request,
        template,
        {"title": f"Votre avis sur {structure.name}", "structure": structure, "form": form, **context},
    )


def _record(request, structure, form, channel, **extra):
    try:
        services.answer_record(structure=structure, channel=channel, **form.answer_fields(), **extra)
    except ServiceError as error:
        form.add_error(None, str(error))
        return False
    return True


@login_not_required
@never_cache
def answer_poster(request, code):
    """The questionnaire a poster's QR code opens: no account, limited per browser, bursts flagged."""
    structure = get_object_or_404(Structure.objects.select_related("territory"), public_code=code)
    form = AnswerForm(request.POST or None)
    if request.method == "GET":
        request.session["avis"] = True  # the browser's session: its answers are counted
    elif poster_throttle(structure).is_blocked(request):
        form.is_valid()
        form.add_error(
            None, "Vous avez déjà donné votre avis plusieurs fois aujourd'hui depuis cet appareil : merci !"
        )
    elif form.is_valid() and _record(request, structure, form, AnswerChannel.POSTER, source=_source(request)):
        poster_throttle(structure).hit(request)
        return redirect("quality:thanks", code=structure.public_code)
    return _answer_page(request, structure, form)


def _source(request) -> str:
    """What an answer's hourly hash is made of: the keyed fingerprint of the address (the address is never kept)."""
    return address_of(request)


@login_not_required
@never_cache
def answer_link(request, token):
    """The questionnaire of a personal link (after a visit, a booking, a ride): it counts once."""
    structure = services.invitation_for(token)
    if structure is None:
        return render(request, "quality/link_over.html", {"title": "Lien expiré ou déjà utilisé"}, status=404)
    form = AnswerForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _record(request, structure, form, AnswerChannel.LINK, token=token)
    ):
        return redirect("quality:thanks", code=structure.public_code)
    return _answer_page(request, structure, form)


@login_not_required
@never_cache
def answer_kiosk(request, token):
    """The tablet at the counter: full screen, large targets, and blank again after each answer."""
    structure = services.kiosk_structure(token)
    if structure is None:
        return render(request, "quality/link_over.html", {"title": "Tablette à réactiver"}, status=404)
    form = AnswerForm(request.POST or None, contact=False)
    source = f"borne:{token}"
    if (
        request.method == "POST"
        and form.is_valid()
        and _record(request, structure, form, AnswerChannel.KIOSK, source=source)
    ):
        return redirect(reverse("quality:kiosk", args=[token]) + "?merci=1")
    thanks = request.method == "GET" and request.GET.get("merci") == "1"
    return _answer_page(
        request,
        structure,
        AnswerForm(contact=False) if thanks else form,
        template="quality/kiosk.html",
        thanks=thanks,
        reset_seconds=8,
        reset_url=reverse("quality:kiosk", args=[token]),
        token=token,
    )


@login_not_required
def kiosk_manifest(request, token):
    """The tablet's web application manifest: added to the tablet's home screen, the questionnaire opens in full
    screen and stays so from one person to the next (a page's own full-screen request ends at each new page)."""
    structure = services.kiosk_structure(token)
    if structure is None:
        raise Http404
    start = reverse("quality:kiosk", args=[token])
    manifest = {
        "name": f"Votre avis — {structure.name}",
        "short_name": "Votre avis",
        "lang": "fr",
        "start_url": start,
        "scope": start,
        "display": "fullscreen",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": "#000091",
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@login_not_required
def thanks(request, code):
    structure = get_object_or_404(Structure.objects.select_related("territory"), public_code=code)
    return render(request, "quality/thanks.html", {"title": "Merci pour votre avis", "structure": structure})


# ---------------------------------------------------------------------------------------------------------------
# Published results


def _public_territory(slug) -> Territory:
    return get_object_or_404(Territory, slug=slug)


def _public_structure(slug, code) -> Structure:
    return get_object_or_404(
        Structure.objects.select_related("territory", "site__commune", "organisation"),
        territory__slug=slug,
        public_code=code,
        is_published=True,
    )


@login_not_required
@public_page("quality")
def public_territory(request, slug):
    territory = _public_territory(slug)
    return render(request, "quality/public_territory.html", publication.territory_page(territory))


@login_not_required
@public_page("quality")
def public_structure(request, slug, code):
    structure = _public_structure(slug, code)
    return render(request, "quality/public_structure.html", publication.structure_page(structure))


@login_not_required
@never_cache
def tell(request, slug, code):
    """A resident tells her experience; it is read by the team before anything is published."""
    structure = _public_structure(slug, code)
    form = ExperienceForm(request.POST or None)
    if request.method == "GET":
        request.session["avis"] = True
    elif EXPERIENCE_THROTTLE.is_blocked(request):
        form.is_valid()
        form.add_error(None, "Vous avez déjà raconté plusieurs expériences cette heure-ci. Réessayez plus tard.")
    elif form.is_valid():
        try:
            services.experience_tell(structure=structure, **form.cleaned_data)
        except ServiceError as error:
            form.add_error("description", str(error))
        else:
            EXPERIENCE_THROTTLE.hit(request)
            return render(request, "quality/told.html", {"title": "Merci pour votre récit", "structure": structure})
    return render(
        request,
        "quality/tell.html",
        {"title": f"Raconter votre expérience — {structure.name}", "structure": structure, "form": form},
    )


@login_not_required
@public_page("quality")
def export(request, slug, what, fmt):
    """Services Publics +'s published shapes: results and experiences, as CSV or JSON (open data)."""
    territory = _public_territory(slug)
    if what not in exports.SHAPES or fmt not in ("csv", "json"):
        raise Http404("Export inconnu.")
    body, content_type = exports.render(territory, what=what, fmt=fmt, today=timezone.localdate())
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{what}-{territory.slug}.{fmt}"'
    return response


# ---------------------------------------------------------------------------------------------------------------
# The staff's pages


def _desk(request, slug) -> Territory:
    return territory_for(request, slug, OPERATORS)


def _structures(request, territory):
    """The structures a person works on: all for the team and the prefecture, her organisation's for an agent."""
    found = Structure.objects.filter(territory=territory).select_related("site", "organisation")
    if can_manage(request.user, territory):
        return found
    organisations = [
        m.organisation_id for m in request.user.memberships.all() if m.territory_id == territory.pk and m.is_active
    ]
    return found.filter(organisation_id__in=[o for o in organisations if o])


def _structure(request, slug, pk) -> tuple[Territory, Structure]:
    territory = _desk(request, slug)
    return territory, get_object_or_404(_structures(request, territory), pk=pk)


def _managed(request, slug) -> Territory:
    return territory_for(request, slug, MANAGERS)


def _crumbs(territory, current, *middle):
    links = [
        {"url": territory.get_absolute_url(), "title": territory.name},
        {"url": reverse("quality:desk", args=[territory.slug]), "title": "Qualité de service"},
        *middle,
    ]
    return {"links": links, "current": current}


def _structure_crumb(structure):
    return {"url": structure.get_absolute_url(), "title": structure.name}


def _form_page(request, form, heading, submit, breadcrumb_data, **context):
    return render(
        request,
        "layout/form_page.html",
        {"title": heading, "heading": heading, "form": form, "submit": submit, "breadcrumb_data": breadcrumb_data}
        | context,
    )


def desk(request, slug):
    territory = _desk(request, slug)
    structures = list(_structures(request, territory))
    results = selectors.results_for(structures, today=timezone.localdate())
    managing = can_manage(request.user, territory)
    experiences = Experience.objects.filter(structure__in=structures)
    return render(
        request,
        "quality/desk.html",
        {
            "title": f"Qualité de service — {territory.name}",
            "territory": territory,
            "rows": [(s, results[s.pk]) for s in structures],
            "managing": managing,
            "flagged": Answer.objects.filter(structure__territory=territory, flagged=True).count() if managing else 0,
            "to_moderate": experiences.filter(status=ExperienceStatus.RECEIVED).count() if managing else 0,
            "to_reply": experiences.filter(status=ExperienceStatus.PUBLISHED, replied_at__isnull=True).count(),
            "breadcrumb_data": {
                "links": [{"url": territory.get_absolute_url(), "title": territory.name}],
                "current": "Qualité de service",
            },
        },
    )


def structure_edit(request, slug, pk=None):
    territory = _managed(request, slug)
    structure = get_object_or_404(Structure, territory=territory, pk=pk) if pk else None
    form = StructureForm(request.POST or None, instance=structure, territory=territory)
    if request.method == "POST" and form.is_valid():
        structure = form.save()
        messages.success(request, f"« {structure.name} » enregistrée.")
        return redirect(structure.get_absolute_url())
    heading = f"Modifier « {structure.name} »" if structure else "Ajouter une structure évaluée"
    return _form_page(request, form, heading, "Enregistrer", _crumbs(territory, heading))


def structure_detail(request, slug, pk):
    territory, structure = _structure(request, slug, pk)
    today = timezone.localdate()
    open_visits = structure.visits.filter(outcome="", arrived_at__date__gte=today - datetime.timedelta(days=1))
    return render(
        request,
        "quality/structure.html",
        {
            "title": structure.name,
            "territory": territory,
            "structure": structure,
            "results": selectors.results_for([structure], today=today)[structure.pk],
            "breakdown": selectors.visit_breakdown(structure, today=today),
            "channels": selectors.by_channel(structure, today=today),
            "waiting": open_visits.filter(seen_at__isnull=True).order_by("arrived_at"),
            "in_progress": open_visits.filter(seen_at__isnull=False).order_by("seen_at"),
            "done_today": structure.visits.exclude(outcome="")
            .filter(done_at__date=today)
            .select_related("referred_to"),
            "referrals": structure.visits.filter(
                outcome="oriente", answered_on__isnull=True, answer_due_on__isnull=False
            ).select_related("referred_to")[:50],
            "arrival_form": ArrivalForm(),
            "managing": can_manage(request.user, territory),
            "kiosk_url": request.session.pop(f"borne-{structure.pk}", ""),
            "today": today,
            "recontacts": Recontact.objects.filter(answer__structure=structure).count(),
            "breadcrumb_data": _crumbs(territory, structure.name),
        },
    )


@require_POST
def visit_arrive(request, slug, pk):
    territory, structure = _structure(request, slug, pk)
    form = ArrivalForm(request.POST)
    if form.is_valid():
        services.visit_arrive(structure=structure, subject=form.cleaned_data["subject"], actor=request.user)
        messages.success(request, "Arrivée notée.")
    else:
        messages.error(request, "Choisissez l'objet de la venue.")
    return redirect(structure.get_absolute_url())


def _visit(request, slug, pk, visit_pk):
    territory, structure = _structure(request, slug, pk)
    return territory, structure, get_object_or_404(Visit, structure=structure, pk=visit_pk)


@require_POST
def visit_seen(request, slug, pk, visit_pk):
    territory, structure, visit = _visit(request, slug, pk, visit_pk)
    try:
        services.visit_seen(visit=visit)
    except ServiceError as error:
        messages.error(request, str(error))
    return redirect(structure.get_absolute_url())


def visit_done(request, slug, pk, visit_pk):
    territory, structure, visit = _visit(request, slug, pk, visit_pk)
    form = VisitDoneForm(request.POST or None, structure=structure)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_done(visit=visit, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Passage terminé.")
            return redirect(structure.get_absolute_url())
    heading = f"Fin du passage de {timezone.localtime(visit.arrived_at):%H:%M} ({visit.get_subject_display()})"
    crumbs = _crumbs(territory, "Fin du passage", _structure_crumb(structure))
    return _form_page(request, form, heading, "Terminer le passage", crumbs)


def visit_answered(request, slug, pk, visit_pk):
    territory, structure, visit = _visit(request, slug, pk, visit_pk)
    form = ReferralAnsweredForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_answered(visit=visit, on=form.cleaned_data["answered_on"])
        except ServiceError as error:
            form.add_error("answered_on", str(error))
        else:
            messages.success(request, "Réponse à l'orientation notée.")
            return redirect(structure.get_absolute_url())
    heading = f"Réponse de {visit.referral_label} (promise au plus tard le {french.date(visit.answer_due_on)})"
    return _form_page(
        request, form, heading, "Enregistrer", _crumbs(territory, "Réponse obtenue", _structure_crumb(structure))
    )


def visit_invite(request, slug, pk, visit_pk):
    """Send the person just seen the link to answer the questionnaire (the address or number is not kept)."""
    territory, structure, visit = _visit(request, slug, pk, visit_pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = services.survey_invite(target=visit, **form.cleaned_data)
        messages.success(request, f"Lien d'avis envoyé par {'e-mail' if channel == 'email' else 'SMS'}.")
        return redirect(structure.get_absolute_url())
    return _form_page(
        request,
        form,
        "Envoyer le lien d'avis à la personne",
        "Envoyer",
        _crumbs(territory, "Lien d'avis", _structure_crumb(structure)),
        intro="L'adresse ou le numéro sert à l'envoi seulement : il n'est gardé ni avec le passage, ni avec l'avis.",
    )


def calls(request, slug, pk):
    territory, structure = _structure(request, slug, pk)
    today = timezone.localdate()
    form = CallsForm(request.POST or None, today=today, prefix="jour")
    upload = CallsImportForm(prefix="import")
    errors = []
    if request.method == "POST" and "import-file" in request.FILES:
        upload = CallsImportForm(request.POST, request.FILES, prefix="import")
        form = CallsForm(today=today, prefix="jour")
        if upload.is_valid():
            try:
                days = services.calls_import(
                    structure=structure, content=upload.cleaned_data["file"].read(), actor=request.user, today=today
                )
            except services.ImportRowError as error:
                upload.add_error("file", str(error))
                errors = error.errors
            except ServiceError as error:
                upload.add_error("file", str(error))
            else:
                messages.success(request, f"{french.plural(days, 'jour importé', 'jours importés')}.")
                return redirect("quality:calls", slug=slug, pk=pk)
    elif request.method == "POST" and form.is_valid():
        services.calls_record(structure=structure, actor=request.user, **form.cleaned_data)
        messages.success(request, f"Appels du {french.date(form.cleaned_data['date'])} enregistrés.")
        return redirect("quality:calls", slug=slug, pk=pk)
    return render(
        request,
        "quality/calls.html",
        {
            "title": f"Appels téléphoniques — {structure.name}",
            "territory": territory,
            "structure": structure,
            "form": form,
            "upload": upload,
            "errors": errors,
            "calls": structure.calls.all()[:31],
            "breadcrumb_data": _crumbs(territory, "Appels", _structure_crumb(structure)),
        },
    )


def paper(request, slug, pk):
    territory, structure = _structure(request, slug, pk)
    today = timezone.localdate()
    form = PaperAnswerForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["answered_on"]
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
        if _record(request, structure, form, AnswerChannel.PAPER, entered_by=request.user, at=at):
            messages.success(request, "Questionnaire papier enregistré. Vous pouvez saisir le suivant.")
            return redirect("quality:paper", slug=slug, pk=pk)
    return _form_page(
        request,
        form,
        "Saisir un questionnaire papier",
        "Enregistrer",
        _crumbs(territory, "Questionnaire papier", _structure_crumb(structure)),
        intro="Recopiez les réponses telles qu'elles sont écrites ; une question sans réponse reste vide.",
    )


def poster(request, slug, pk):
    territory, structure = _structure(request, slug, pk)
    pdf = publication.poster_pdf(request, structure)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="affiche-avis-{structure.public_code}.pdf"'
    return response


@require_POST
def kiosk(request, slug, pk):
    """Open the counter's tablet (a new link, the former one stops) or close it."""
    territory, structure = _structure(request, slug, pk)
    if request.POST.get("action") == "fermer":
        services.kiosk_close(structure=structure)
        messages.success(request, "La tablette ne reçoit plus d'avis.")
    else:
        token = services.kiosk_open(structure=structure)
        request.session[f"borne-{structure.pk}"] = request.build_absolute_uri(reverse("quality:kiosk", args=[token]))
        messages.success(request, "Ouvrez l'adresse ci-dessous sur la tablette de l'accueil, en plein écran.")
    return redirect(structure.get_absolute_url())


def recontacts(request, slug, pk):
    """The answers whose author asked to be recontacted, with her address (each reading journaled)."""
    territory, structure = _structure(request, slug, pk)
    return render(
        request,
        "quality/recontacts.html",
        {
            "title": f"Demandes de recontact — {structure.name}",
            "territory": territory,
            "structure": structure,
            "recontacts": services.recontacts_read(structure=structure, actor=request.user),
            "breadcrumb_data": _crumbs(territory, "Demandes de recontact", _structure_crumb(structure)),
        },
    )


@require_POST
def recontact_done(request, slug, pk, recontact_pk):
    territory, structure = _structure(request, slug, pk)
    recontact = get_object_or_404(Recontact, answer__structure=structure, pk=recontact_pk)
    services.recontact_done(recontact=recontact)
    messages.success(request, "Demande traitée : l'adresse est effacée.")
    return redirect("quality:recontacts", slug=slug, pk=pk)


def answers(request, slug):
    """Answers flagged as a burst: the team counts them or sets them aside."""
    territory = _managed(request, slug)
    flagged = Answer.objects.filter(structure__territory=territory, flagged=True).select_related("structure")
    return render(
        request,
        "quality/flagged.html",
        {
            "title": "Réponses à vérifier",
            "territory": territory,
            "answers": flagged[:200],
            "count": flagged.count(),
            "breadcrumb_data": _crumbs(territory, "Réponses à vérifier"),
        },
    )


@require_POST
def answer_review(request, slug, pk):
    territory = _managed(request, slug)
    answer = get_object_or_404(Answer, structure__territory=territory, pk=pk)
    services.answer_review(answer=answer, keep=request.POST.get("decision") == "compter", actor=request.user)
    return redirect("quality:answers", slug=slug)


def experiences(request, slug):
    territory = _desk(request, slug)
    structures = _structures(request, territory)
    found = Experience.objects.filter(structure__in=structures).select_related("structure")
    return render(
        request,
        "quality/experiences.html",
        {
            "title": "Expériences d'usagers",
            "territory": territory,
            "received": found.filter(status=ExperienceStatus.RECEIVED),
            "unanswered": found.filter(status=ExperienceStatus.PUBLISHED, replied_at__isnull=True),
            "answered": found.filter(status=ExperienceStatus.PUBLISHED, replied_at__isnull=False)[:30],
            "managing": can_manage(request.user, territory),
            "breadcrumb_data": _crumbs(territory, "Expériences d'usagers"),
        },
    )


def experience(request, slug, pk):
    """One experience: the team moderates it; the structure (or the team) replies; it can become an irritant."""
    territory = _desk(request, slug)
    item = get_object_or_404(Experience.objects.select_related("structure", "irritant"), pk=pk)
    if item.structure not in _structures(request, territory):
        raise Http404("Expérience introuvable.")
    managing = can_manage(request.user, territory)
    moderation = ModerationForm(initial={"text": item.published_text or item.description, "decision": "publier"})
    reply = ReplyForm(initial={"reply": item.reply})
    to_irritant = IrritantForm(territory=territory)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "moderer":
                if not managing:
                    raise PermissionDenied("Seules l'équipe projet et la préfecture modèrent les récits.")
                moderation = ModerationForm(request.POST)
                if moderation.is_valid():
                    data = moderation.cleaned_data
                    services.experience_moderate(
                        experience=item,
                        publish=data["decision"] == "publier",
                        text=data["text"],
                        reason=data["reason"],
                        actor=request.user,
                    )
                    messages.success(request, "Décision enregistrée.")
                    return redirect("quality:experience", slug=slug, pk=pk)
            elif action == "repondre":
                reply = ReplyForm(request.POST)
                if reply.is_valid():
                    services.experience_reply(experience=item, reply=reply.cleaned_data["reply"], actor=request.user)
                    messages.success(request, "Réponse publiée.")
                    return redirect("quality:experience", slug=slug, pk=pk)
            elif action == "irritant":
                if not managing:
                    raise PermissionDenied("Seules l'équipe projet et la préfecture versent un récit à une opération.")
                to_irritant = IrritantForm(request.POST, territory=territory)
                if to_irritant.is_valid():
                    irritant = services.experience_to_irritant(
                        experience=item, operation=to_irritant.cleaned_data["operation"], actor=request.user
                    )
                    messages.success(request, f"Irritant créé dans « {irritant.operation} », le récit en preuve.")
                    return redirect("quality:experience", slug=slug, pk=pk)
        except ServiceError as error:
            messages.error(request, str(error))
    return render(
        request,
        "quality/experience.html",
        {
            "title": f"Expérience n° {item.pk}",
            "territory": territory,
            "item": item,
            "managing": managing,
            "moderation": moderation,
            "reply": reply,
            "to_irritant": to_irritant,
            "breadcrumb_data": _crumbs(
                territory,
                f"Expérience n° {item.pk}",
                {"url": reverse("quality:experiences", args=[slug]), "title": "Expériences d'usagers"},
            ),
        },
    )


def export_ods(request, slug):
    """The prefecture's spreadsheet: every structure's indicators by quarter, and the experiences."""
    territory = territory_for(request, slug, MANAGERS)
    body = exports.ods(territory, today=timezone.localdate())
    response = HttpResponse(body, content_type="application/vnd.oasis.opendocument.spreadsheet")
    response["Content-Disposition"] = f'attachment; filename="qualite-{territory.slug}.ods"'
    return response
