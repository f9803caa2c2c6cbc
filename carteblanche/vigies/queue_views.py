"""The structure's and partners' pages: the queue of signals (the structure's agents triage them; a partner reads
only what was handed to it), a signal's file and its steps, the network's vigies and their links.

The queue shows no place and no name (nothing to journal); a signal's file does, and each reading is journaled.
A vigie never reaches these pages: she has her own, from her link.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carteblanche.accounts.enums import Role
from carteblanche.core import french
from carteblanche.core.permissions import organisations_of, territory_for

from . import information, register, services
from .enums import SignalStatus
from .models import Network, Signal, Vigie
from .queue_forms import (
    EVERY,
    ONGOING,
    AnswerForm,
    AssignForm,
    CloseForm,
    ContactForm,
    InformForm,
    ObjectionForm,
    PersonLinkForm,
    QualifyForm,
    QueueFilterForm,
    VigieForm,
)

NOT_AN_AGENT = "Les signalements des vigies sont lus par les agents de la structure du réseau et de ses partenaires."
NOT_A_TRIAGER = (
    "Seuls les agents de la structure d'un réseau de vigies inscrivent ses vigies et leur envoient leur lien."
)


def _territory(request, slug):
    """The agents' territory (404 outside one's territories; 403, said why, for the other roles)."""
    territory = territory_for(request, slug)
    if not (request.user.is_superuser or request.user.has_role(territory, Role.AGENT)):
        raise PermissionDenied(NOT_AN_AGENT)
    return territory


def _triaged(user, territory) -> list[Network]:
    """The networks of the territory whose structure the user is an agent of."""
    networks = Network.objects.filter(territory=territory).select_related("organisation", "territory")
    if not user.is_superuser:
        networks = networks.filter(organisation_id__in=organisations_of(user, territory, Role.AGENT))
    return list(networks)


def _to_queue(territory) -> list[dict]:
    return [{"url": reverse("vigies:queue", args=[territory.slug]), "title": "Signalements des vigies"}]


def _late(signal: Signal, now) -> bool:
    """Nobody took it in charge and its urgency's delay has passed."""
    return signal.status in services.WAITING and signal.due_at < now


def elapsed(delta) -> str:
    """« 40 minutes », « 5 heures », « 3 jours »: a delay as a person reads it."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return french.plural(minutes, "minute")
    if minutes < 48 * 60:
        return french.plural(minutes // 60, "heure")
    return french.plural(minutes // (24 * 60), "jour")


def _rows(signals, state: str, now) -> list[Signal]:
    if state == ONGOING:
        signals = signals.exclude(status=SignalStatus.CLOSED)
    elif state != EVERY:
        signals = signals.filter(status=state)
    rows = list(signals.select_related("commune", "network", "assigned_to")[:300])
    for signal in rows:
        signal.waiting = signal.status in services.WAITING
        signal.late = _late(signal, now)
    return rows


def queue(request, slug):
    """The signals to triage (the structure's) and those handed to the user's organisation (a partner's): when,
    where (the commune only), what was seen, how urgent, the state and the delay — no place, no name."""
    territory = _territory(request, slug)
    filter_form = QueueFilterForm(request.GET or None)
    state = filter_form.state()
    now = timezone.now()
    networks = _triaged(request.user, territory)
    organisations = organisations_of(request.user, territory, Role.AGENT)
    partnered = Network.objects.filter(territory=territory, partners__in=organisations).exists()
    handed = Signal.objects.filter(network__territory=territory, assigned_to_id__in=organisations)
    return render(
        request,
        "vigies/queue.html",
        {
            "title": "Vigies : signalements",
            "breadcrumb_data": {"current": "Signalements des vigies"},
            "territory": territory,
            "filter_form": filter_form,
            "networks": networks,
            "partnered": partnered,
            "triage": _rows(Signal.objects.filter(network__in=networks), state, now) if networks else [],
            "handed": _rows(handed, state, now) if organisations else [],
            "can_plan": register.may_read(request.user, territory),
        },
    )


def _signal(request, slug, pk):
    """The signal, for an agent of its network's structure or of the partner it is handed to; 404 for anyone else
    (its existence is not confirmed)."""
    territory = _territory(request, slug)
    signal = get_object_or_404(
        Signal.objects.select_related(
            "network__territory", "network__organisation", "commune", "assigned_to", "vigie"
        ),
        network__territory=territory,
        pk=pk,
    )
    triager = services.is_triager(request.user, signal.network)
    partner = services.is_partner(request.user, signal)
    if not (triager or partner):
        raise Http404
    return territory, signal, triager, partner


def _actions(signal: Signal, *, triager: bool, partner: bool) -> dict:
    """The forms of the steps this person may take now, by role and state."""
    status = signal.status
    found = {}
    if triager and status == SignalStatus.NEW:
        found["qualify"] = QualifyForm(auto_id="qualifier_%s")
    if triager and status == SignalStatus.QUALIFIED:
        found["assign"] = AssignForm(network=signal.network, auto_id="confier_%s")
    if partner and status == SignalStatus.ASSIGNED:
        found["answer"] = AnswerForm(auto_id="repondre_%s")
    if partner and status == SignalStatus.ACCEPTED:
        found["contact"] = ContactForm(auto_id="contact_%s")
    closable = (SignalStatus.NEW, SignalStatus.QUALIFIED) if triager else ()
    if partner:
        closable += (SignalStatus.ACCEPTED, SignalStatus.CONTACTED)
    if status in closable:
        found["close"] = CloseForm(auto_id="clore_%s")
    return found


def signal_detail(request, slug, pk):
    territory, signal, triager, partner = _signal(request, slug, pk)
    services.journal(signal, user=request.user, reason="Fiche d'un signalement de vigie")
    now = timezone.now()
    events = list(signal.events.select_related("actor", "partner"))
    for event in events:
        event.after = elapsed(event.at - signal.created_at)
    late = _late(signal, now)
    return render(
        request,
        "vigies/queue_signal.html",
        {
            "title": str(signal),
            "breadcrumb_data": {
                "links": _to_queue(territory),
                "current": str(signal),
            },
            "territory": territory,
            "signal": signal,
            "triager": triager,
            "partner": partner,
            "events": events,
            "late": late,
            "late_by": elapsed(now - signal.due_at) if late else "",
            "waited": elapsed(now - signal.created_at),
            "actions": _actions(signal, triager=triager, partner=partner),
            "notice": information.notice(signal),
            "may_inform": (triager or partner) and not signal.anonymised_at,
            "inform_form": InformForm(auto_id="informer_%s"),
            "link_form": PersonLinkForm(auto_id="espace_%s"),
        },
    )


def _act(request, slug, pk, form_class, act, *, triager_only=False, partner_only=False):
    """One step of a signal, posted from its file: the form checked, the service called, back to the file."""
    _, signal, triager, partner = _signal(request, slug, pk)
    if triager_only and not triager:
        raise PermissionDenied("Seuls les agents de la structure du réseau trient ses signalements.")
    if partner_only and not partner:
        raise PermissionDenied("Seul le partenaire à qui ce signalement est confié peut faire cette étape.")
    extra = {"network": signal.network} if form_class is AssignForm else {}  # its partners to choose from
    form = form_class(request.POST, **extra)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            act(signal, form)
        except services.VigieError as exc:
            messages.error(request, str(exc))
    return redirect("vigies:signal", slug=slug, pk=pk)


@require_POST
def signal_qualify(request, slug, pk):
    def act(signal, form):
        if signal.status != SignalStatus.NEW:
            raise services.VigieError("Ce signalement n'est plus nouveau : il est déjà qualifié.")
        services.signal_qualify(signal=signal, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, "Signalement qualifié : confiez-le à un partenaire, ou closez-le.")

    return _act(request, slug, pk, QualifyForm, act, triager_only=True)


@require_POST
def signal_assign(request, slug, pk):
    def act(signal, form):
        partner = form.cleaned_data["partner"]
        services.signal_assign(signal=signal, partner=partner, by=request.user)
        messages.success(request, f"Signalement confié à {partner.name} : ses agents le lisent dans leur file.")

    return _act(request, slug, pk, AssignForm, act, triager_only=True)


@require_POST
def signal_answer(request, slug, pk):
    def act(signal, form):
        services.partner_answer(signal=signal, accept=form.accept, by=request.user, reason=form.cleaned_data["reason"])
        if form.accept:
            messages.success(request, "Vous prenez ce signalement en charge : la vigie en est prévenue, sans détail.")
        else:
            messages.success(request, "Refus enregistré : la structure le confiera à un autre partenaire.")

    return _act(request, slug, pk, AnswerForm, act, partner_only=True)


@require_POST
def signal_contact(request, slug, pk):
    def act(signal, form):
        services.contact_made(signal=signal, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, "Contact établi : closez le signalement quand le suivi est terminé.")

    return _act(request, slug, pk, ContactForm, act, partner_only=True)


@require_POST
def signal_close(request, slug, pk):
    def act(signal, form):
        services.signal_close(
            signal=signal, outcome=form.cleaned_data["outcome"], by=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, "Signalement clos : la vigie en est prévenue, sans détail.")

    return _act(request, slug, pk, CloseForm, act)


@require_POST
def signal_inform(request, slug, pk):
    def act(signal, form):
        information.person_informed(signal=signal, how=form.cleaned_data["how"], by=request.user)
        messages.success(request, "C'est noté : la personne est informée du signalement.")

    return _act(request, slug, pk, InformForm, act)


LINK_DONE = (
    "C'est noté : si la personne a un espace Carte blanche à ce nom et à cette date de naissance, elle y voit ce "
    "signalement et peut s'y opposer."
)


@require_POST
def signal_person_link(request, slug, pk):
    """The same answer whether a space was found or not."""

    def act(signal, form):
        data = form.cleaned_data
        information.person_link(
            signal=signal,
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
            by=request.user,
        )
        messages.success(request, LINK_DONE)

    return _act(request, slug, pk, PersonLinkForm, act)


@require_POST
def signal_object(request, slug, pk):
    def act(signal, form):
        information.person_objects(signal=signal, by=request.user)
        messages.success(request, "Opposition enregistrée : ce qui désignait la personne est effacé.")

    return _act(request, slug, pk, ObjectionForm, act)


# ---------------------------------------------------------------------------------------------------------------
# The network's vigies


def _triager_networks(request, slug):
    territory = _territory(request, slug)
    networks = _triaged(request.user, territory)
    if not networks:
        raise PermissionDenied(NOT_A_TRIAGER)
    return territory, networks


def vigies(request, slug):
    """The vigies of the user's networks (name, activity, trained on, active), their links sent from here; a
    person the structure trained registered."""
    territory, networks = _triager_networks(request, slug)
    form = VigieForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            vigie = services.vigie_register(network=form.network(), by=request.user, **form.fields_of_vigie())
        except services.VigieError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{vigie} fait partie du réseau : envoyez-lui son lien.")
            return redirect("vigies:vigies", slug=slug)
    found = Vigie.objects.filter(network__in=networks).select_related("network").annotate(sent=Count("signals"))
    return render(
        request,
        "vigies/queue_vigies.html",
        {
            "title": "Vigies du réseau",
            "breadcrumb_data": {
                "links": _to_queue(territory),
                "current": "Vigies du réseau",
            },
            "territory": territory,
            "networks": networks,
            "vigies": list(found.order_by("-is_active", "last_name", "first_name")),
            "form": form,
        },
    )


@require_POST
def vigie_link(request, slug, pk):
    _, networks = _triager_networks(request, slug)
    vigie = get_object_or_404(Vigie.objects.select_related("network__territory"), network__in=networks, pk=pk)
    try:
        channel = services.vigie_link_send(vigie=vigie, by=request.user)
    except services.VigieError as exc:
        messages.error(request, str(exc))
    else:
        how = "par e-mail" if channel == "email" else "par SMS"
        messages.success(request, f"Lien envoyé à {vigie} {how} ; le précédent ne fonctionne plus.")
    return redirect("vigies:vigies", slug=slug)
