"""Every write of the vigies app: a signal sent (by a vigie from her link, or a resident without an account), then
its life in the structure's queue — qualified, handed to a partner, accepted or refused with a reason, contact made,
closed with its outcome — and the escalation of a signal left waiting past its urgency's delay.

Who may do what is checked here, not only in the views: the structure's agents triage; a partner answers only what
was handed to it; a vigie only sends and reads, without details, whether her signal was taken care of.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carteblanche.accounts.enums import Role
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import links
from carteblanche.core.enums import MessageChannel
from carteblanche.core.errors import ServiceError
from carteblanche.core.messaging import notify, send
from carteblanche.core.permissions import organisations_of
from carteblanche.core.personal_data import validate_no_personal_or_health_data

from .enums import URGENCY_DELAYS, Origin, Outcome, Seen, SignalStatus
from .models import Network, Signal, SignalEvent, Vigie

# The steps a signal may take from each state.
NEXT = {
    SignalStatus.NEW: {SignalStatus.QUALIFIED, SignalStatus.CLOSED},
    SignalStatus.QUALIFIED: {SignalStatus.ASSIGNED, SignalStatus.CLOSED},
    SignalStatus.ASSIGNED: {SignalStatus.ACCEPTED, SignalStatus.QUALIFIED},
    SignalStatus.ACCEPTED: {SignalStatus.CONTACTED, SignalStatus.CLOSED},
    SignalStatus.CONTACTED: {SignalStatus.CLOSED},
    SignalStatus.CLOSED: set(),
}
WAITING = (SignalStatus.NEW, SignalStatus.QUALIFIED, SignalStatus.ASSIGNED)  # nobody has taken it in charge yet
VIGIE_PURPOSE = "vigie"  # a vigie's personal link: she signals and reads her signals' states from it
VIGIE_LINK_LIFETIME = datetime.timedelta(days=365)


class VigieError(ServiceError):
    pass


def is_triager(user, network: Network) -> bool:
    """An agent of the network's structure (or a superuser)."""
    return user.is_superuser or network.organisation_id in organisations_of(user, network.territory, Role.AGENT)


def is_partner(user, signal: Signal) -> bool:
    """An agent of the partner the signal is handed to."""
    return signal.assigned_to_id is not None and signal.assigned_to_id in organisations_of(
        user, signal.network.territory, Role.AGENT
    )


# ---------------------------------------------------------------------------------------------------------------
# Vigies and their links


def vigie_link_issue(*, vigie: Vigie) -> str:
    """A new personal link for the vigie (a year; the earlier one stops working): she keeps it on her phone."""
    return links.issue(purpose=VIGIE_PURPOSE, target=vigie, lifetime=VIGIE_LINK_LIFETIME, single_use=False)


def vigie_for(token: str) -> Vigie | None:
    """The active vigie of a link, or None (unknown, expired, replaced, or she is no longer a vigie)."""
    link = links.find(token, purpose=VIGIE_PURPOSE)
    if link is None:
        return None
    return Vigie.objects.select_related("network__territory").filter(pk=link.object_id, is_active=True).first()


@transaction.atomic
def vigie_leave(*, vigie: Vigie) -> None:
    """She is no longer a vigie: her link stops working; her signals stay with the structure."""
    vigie.is_active = False
    vigie.save(update_fields=["is_active"])
    links.revoke(purpose=VIGIE_PURPOSE, target=vigie)


def journal(signal: Signal, *, user, reason: str) -> None:
    """Every reading of a signal by an agent (the place, the person's name, the vigie's words) is journaled."""
    JournalEntry.log(
        action=Action.PERSONAL_DATA_READ,
        actor=user,
        target=signal,
        territory=signal.network.territory,
        reason=reason,
        fields=["lieu", "nom de la personne", "mots de la vigie"],
    )


# ---------------------------------------------------------------------------------------------------------------
# Signals


@transaction.atomic
def signal_send(
    *,
    network: Network,
    commune,
    place: str,
    seen: list[str],
    urgency: str,
    words: str = "",
    person_name: str = "",
    vigie: Vigie | None = None,
    now: datetime.datetime | None = None,
) -> Signal:
    """A signal reaches the structure's queue, due within its urgency's delay. From a vigie, or from a resident
    without an account (flagged as such). Refused without what was seen, or with health data in the words."""
    now = now or timezone.now()
    if vigie is not None and (vigie.network_id != network.pk or not vigie.is_active):
        raise VigieError("Ce lien de vigie n'est plus actif : demandez-en un nouveau à votre structure.")
    seen = [code for code in dict.fromkeys(seen) if code in Seen.values]
    if not seen:
        raise VigieError("Cochez au moins une chose que vous avez remarquée.")
    if not commune.territories.filter(pk=network.territory_id).exists():
        raise VigieError("Cette commune n'est pas dans le territoire du réseau.")
    try:
        validate_no_personal_or_health_data(words)
    except ValidationError as exc:
        raise VigieError(" ".join(exc.messages)) from exc
    signal = Signal.objects.create(
        network=network,
        origin=Origin.VIGIE if vigie else Origin.RESIDENT,
        vigie=vigie,
        commune=commune,
        place=place.strip()[:200],
        person_name=person_name.strip()[:200],
        seen=seen,
        urgency=urgency,
        words=words.strip(),
        created_at=now,
        due_at=now + URGENCY_DELAYS[urgency],
    )
    SignalEvent.objects.create(signal=signal, at=now, status=SignalStatus.NEW)
    return signal


def _step(signal: Signal, status: str, *, by, now=None, note: str = "", partner=None) -> Signal:
    signal = (
        Signal.objects.select_for_update(of=("self",)).select_related("network__territory", "vigie").get(pk=signal.pk)
    )
    if status not in NEXT[signal.status]:
        raise VigieError(
            f"Ce signalement est « {signal.get_status_display().lower()} » : cette étape n'est plus possible."
        )
    signal.status = status
    SignalEvent.objects.create(
        signal=signal, at=now or timezone.now(), actor=by, status=status, note=note[:300], partner=partner
    )
    return signal


def _require_triager(user, signal: Signal) -> None:
    if not is_triager(user, signal.network):
        raise PermissionDenied("Seuls les agents de la structure du réseau trient ses signalements.")


@transaction.atomic
def signal_qualify(*, signal: Signal, by, note: str = "", now=None) -> Signal:
    _require_triager(by, signal)
    locked = Signal.objects.select_for_update().only("status").get(pk=signal.pk)
    if locked.status != SignalStatus.NEW:  # a partner's refusal brings it back to « qualifié », not the structure
        raise VigieError("Ce signalement est déjà qualifié.")
    signal = _step(signal, SignalStatus.QUALIFIED, by=by, now=now, note=note)
    signal.save(update_fields=["status"])
    return signal


@transaction.atomic
def signal_assign(*, signal: Signal, partner, by, now=None) -> Signal:
    """Handed to one of the network's partners, who accepts or refuses it."""
    _require_triager(by, signal)
    if not signal.network.partners.filter(pk=partner.pk).exists():
        raise VigieError("Ce partenaire n'est pas un partenaire du réseau.")
    signal = _step(signal, SignalStatus.ASSIGNED, by=by, now=now, partner=partner)
    signal.assigned_to = partner
    signal.save(update_fields=["status", "assigned_to"])
    return signal  # the partner's agents read it in their queue: no message carries a signal


@transaction.atomic
def partner_answer(*, signal: Signal, accept: bool, by, reason: str = "", now=None) -> Signal:
    """The partner accepts (the vigie is told it was taken care of) or refuses with a reason (back to the
    structure, to hand it to another)."""
    if not is_partner(by, signal):
        raise PermissionDenied("Seul le partenaire à qui ce signalement est confié peut y répondre.")
    if not accept and not reason.strip():
        raise VigieError(
            "Dites pourquoi vous ne pouvez pas prendre ce signalement : la structure le confiera à un autre."
        )
    partner = signal.assigned_to
    if accept:
        signal = _step(signal, SignalStatus.ACCEPTED, by=by, now=now, partner=partner)
        signal.save(update_fields=["status"])
        _tell_vigie(signal, "pris en charge")
    else:
        signal = _step(signal, SignalStatus.QUALIFIED, by=by, now=now, partner=partner, note=reason.strip())
        signal.assigned_to = None
        signal.save(update_fields=["status", "assigned_to"])
    return signal


@transaction.atomic
def contact_made(*, signal: Signal, by, note: str = "", now=None) -> Signal:
    if not is_partner(by, signal):
        raise PermissionDenied("Seul le partenaire à qui ce signalement est confié note le contact.")
    signal = _step(signal, SignalStatus.CONTACTED, by=by, now=now, note=note)
    signal.save(update_fields=["status"])
    return signal


@transaction.atomic
def signal_close(*, signal: Signal, outcome: str, by, note: str = "", now=None) -> Signal:
    """Closed with its outcome, by the partner who took it (or the structure, before handing it: nothing needed)."""
    now = now or timezone.now()
    if not (is_partner(by, signal) or is_triager(by, signal.network)):
        raise PermissionDenied("Seuls la structure et le partenaire de ce signalement peuvent le clore.")
    if outcome not in Outcome.values:
        raise VigieError("Indiquez l'issue du signalement.")
    signal = _step(signal, SignalStatus.CLOSED, by=by, now=now, note=note)
    signal.outcome, signal.closed_at = outcome, now
    signal.save(update_fields=["status", "outcome", "closed_at"])
    _tell_vigie(signal, "clos")
    return signal


def vigie_status(signal: Signal) -> str:
    """What the vigie reads of her signal: « reçu », « pris en charge », « clos » — nothing more."""
    if signal.status == SignalStatus.CLOSED:
        return "clos"
    if signal.status in (SignalStatus.ACCEPTED, SignalStatus.CONTACTED):
        return "pris en charge"
    return "reçu"


def vigie_message(signal: Signal, state: str) -> str:
    """What the vigie is told: the day and the commune of her signal, and its state; never what was done."""
    when = timezone.localtime(signal.created_at)
    return f"Votre signalement du {when:%d/%m/%Y} à {signal.commune.name} est {state}. Merci de votre vigilance."


def _tell_vigie(signal: Signal, state: str) -> None:
    vigie = signal.vigie
    if vigie is None:
        return
    text = vigie_message(signal, state)
    notify(
        key=f"vigie-etat:{signal.pk}:{state}",
        email=vigie.email,
        phone=vigie.phone,
        subject=f"Votre signalement est {state}",
        body=f"Bonjour,\n\n{text}\n",
        sms=text,
    )


def escalate_overdue(*, now: datetime.datetime | None = None) -> int:
    """Each signal nobody took in charge past its urgency's delay is told to its network's lead, once."""
    now = now or timezone.now()
    count = 0
    overdue = Signal.objects.filter(status__in=WAITING, due_at__lt=now, escalated_at__isnull=True)
    for signal in overdue.select_related("network__lead", "commune"):
        with transaction.atomic():
            locked = Signal.objects.select_for_update().filter(pk=signal.pk, escalated_at__isnull=True).first()
            if locked is None:
                continue
            network = signal.network
            email = network.lead_email or (network.lead.email if network.lead else "")
            waited = now - signal.created_at
            hours = int(waited.total_seconds() // 3600)
            if email:
                send(
                    key=f"vigie-escalade:{signal.pk}",
                    channel=MessageChannel.EMAIL,
                    to=email,
                    subject="Un signalement attend au-delà de son délai",
                    text=(
                        f"Bonjour,\n\nUn signalement « {signal.get_urgency_display().lower()} » reçu il y a {hours} h "
                        f"({signal.commune.name}) est « {signal.get_status_display().lower()} » : personne ne l'a "
                        "encore pris en charge. Ouvrez la file du réseau pour le confier.\n"
                    ),
                )
            locked.escalated_at = now
            locked.save(update_fields=["escalated_at"])
            count += 1
    return count


# ---------------------------------------------------------------------------------------------------------------
# The structure registers its vigies and sends them their links

VIGIE_FIELDS = ("first_name", "last_name", "role", "phone", "email", "trained_on")


@transaction.atomic
def vigie_register(*, network: Network, by, **fields) -> Vigie:
    """A person the structure trained joins its network (only its agents register her); her link is sent apart."""
    if not is_triager(by, network):
        raise PermissionDenied("Seuls les agents de la structure du réseau inscrivent ses vigies.")
    unknown = set(fields) - set(VIGIE_FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {sorted(unknown)}")
    vigie = Vigie(network=network, **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()})
    if not (vigie.phone or vigie.email):
        raise VigieError("Indiquez un portable ou une adresse e-mail : la vigie y reçoit son lien.")
    try:
        vigie.full_clean()
    except ValidationError as exc:
        raise VigieError(" ".join(exc.messages)) from exc
    vigie.save()
    return vigie


@transaction.atomic
def vigie_link_send(*, vigie: Vigie, by, now: datetime.datetime | None = None) -> str:
    """A new personal link for the vigie (the earlier one stops working), sent by e-mail, or by SMS without an
    address; the channel used."""
    from django.conf import settings
    from django.urls import reverse

    network = vigie.network
    if not is_triager(by, network):
        raise PermissionDenied("Seuls les agents de la structure du réseau envoient leur lien aux vigies.")
    if not vigie.is_active:
        raise VigieError("Cette personne n'est plus vigie du réseau : aucun lien ne lui est envoyé.")
    if not (vigie.email or vigie.phone):
        raise VigieError("Cette vigie n'a ni portable ni adresse e-mail : ajoutez-en un pour lui envoyer son lien.")
    now = now or timezone.now()
    url = settings.PLATFORM_URL.rstrip("/") + reverse("vigies:vigie", args=[vigie_link_issue(vigie=vigie)])
    text = (
        f"Voici votre lien de vigie du réseau « {network.name} » : {url} — gardez-le sur votre téléphone pour nous "
        "signaler une personne qui semble en difficulté. Il remplace le précédent."
    )
    return notify(
        key=f"vigie-lien:{vigie.pk}:{int(now.timestamp() * 1_000_000)}",
        email=vigie.email,
        phone=vigie.phone,
        subject="Votre lien de vigie",
        body=f"Bonjour {vigie.first_name},\n\n{text}\n",
        sms=text,
    )
