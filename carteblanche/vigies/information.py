"""The person a signal is about (RGPD art. 14): she did not give these data herself, so she is told, within a month
at the latest, what was recorded, by which structure, why, for how long, and that she may object — then everything
that points to her is erased at once, and the signal is closed.

The notice is the text the structure hands or reads to her (at the visit, by phone, by letter); the platform
records when and how she was told, and shows the structure which signals are near their month.

When she has a space on the platform (the rights app's), the structure may bring the signal to it with her name and
birth date (``person_link``): she reads there what was recorded and may object herself. The structure is never told
whether a space was found.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import french

from .enums import INFORM_WITHIN, InformedHow, Outcome, SignalStatus
from .models import Signal, SignalEvent
from .services import VigieError, is_partner, is_triager


def notice(signal: Signal) -> str:
    """What she is told: what was recorded about her, by whom, why, how long, her rights."""
    network = signal.network
    seen = ", ".join(label.lower() for label in signal.seen_labels)
    return (
        f"{network.organisation.name} a reçu le {french.date(signal.created_at)} un signalement vous concernant, "
        f"fait par une personne de votre entourage ou qui vous rencontre dans son travail ({seen}). Il a été "
        "enregistré pour vous proposer une aide si vous en avez besoin : c'est sa seule utilisation. Sont "
        "enregistrés la commune et le lieu, ce qui a été remarqué et, le cas échéant, votre nom ; aucune donnée de "
        f"santé. Ces informations sont effacées {french.plural(network.kept_months, 'mois', 'mois')} après la fin du "
        "suivi. Vous pouvez vous opposer à ce signalement : il est alors effacé immédiatement. Vous pouvez aussi "
        f"demander à le consulter ou à le corriger auprès de {network.organisation.name}."
    )


def _may(user, signal: Signal) -> bool:
    return is_triager(user, signal.network) or is_partner(user, signal)


@transaction.atomic
def person_informed(*, signal: Signal, how: str, by, now: datetime.datetime | None = None) -> Signal:
    """The structure or its partner told her (``how``: at the visit, by phone, by letter)."""
    now = now or timezone.now()
    signal = Signal.objects.select_for_update(of=("self",)).select_related("network__territory").get(pk=signal.pk)
    if not _may(by, signal):
        raise VigieError("Seuls la structure et le partenaire de ce signalement notent l'information de la personne.")
    if how not in InformedHow.values:
        raise VigieError("Indiquez comment la personne a été informée.")
    signal.informed_at, signal.informed_how = now, how
    signal.save(update_fields=["informed_at", "informed_how"])
    SignalEvent.objects.create(
        signal=signal, at=now, actor=by, status=signal.status, note=f"Personne informée ({InformedHow(how).label})"
    )
    return signal


LINKED = "Rapproché de l'espace de la personne, s'il existe"


@transaction.atomic
def person_link(
    *, signal: Signal, first_name: str, last_name: str, birth_date, by, now: datetime.datetime | None = None
) -> Signal:
    """The structure or its partner brings the signal to her space: the one resident of the network's territory with
    these names (accents, case, hyphens aside) and this birth date, if there is exactly one. The answer is the same
    whether a space was found or not, so that a structure cannot learn who has a file on the platform; the names
    given last decide (a link made by mistake is undone by giving the right ones)."""
    from carteblanche.rights.importers import normalise
    from carteblanche.rights.models import Person

    now = now or timezone.now()
    locked = Signal.objects.select_for_update(of=("self",)).select_related(
        "network__territory", "network__organisation"
    )
    signal = locked.get(pk=signal.pk)
    if not _may(by, signal):
        raise VigieError("Seuls la structure et le partenaire de ce signalement le rapprochent d'un espace.")
    if signal.objected_at or signal.anonymised_at:
        raise VigieError("Ce signalement est effacé : il ne peut plus être rapproché de l'espace de la personne.")
    wanted = (normalise(first_name or ""), normalise(last_name or ""))
    if not all(wanted) or birth_date is None:
        raise VigieError("Indiquez le prénom, le nom et la date de naissance de la personne.")
    territory = signal.network.territory
    candidates = Person.objects.filter(territory=territory, birth_date=birth_date)
    found = [p for p in candidates if (normalise(p.first_name), normalise(p.last_name)) == wanted]
    fields = ["prénom", "nom", "date de naissance"]
    # Two residents of one name and birth date: neither is shown what may not be hers. Names that match nobody undo
    # an earlier link (a mistake corrected), without a word either.
    person = found[0] if len(found) == 1 else None
    signal.person = person
    signal.save(update_fields=["person"])
    if person is not None:
        JournalEntry.log(  # her own journal says which structure brought it to her space
            action=Action.PERSONAL_DATA_WRITTEN,
            actor=by,
            target=person,
            territory=territory,
            reason=f"Signalement d'une vigie reçu par {signal.network.organisation.name} rapproché de son espace",
            fields=fields,
        )
    JournalEntry.log(
        action=Action.PERSONAL_DATA_WRITTEN,
        actor=by,
        target=signal,
        territory=territory,
        reason="Rapprochement de l'espace de la personne demandé",
        fields=fields,
    )
    SignalEvent.objects.create(signal=signal, at=now, actor=by, status=signal.status, note=LINKED)
    return signal


@transaction.atomic
def person_objects(*, signal: Signal, by=None, person=None, now: datetime.datetime | None = None) -> Signal:
    """She objects: what points to her is erased now (place, name, words, the steps' notes, the link to her space),
    the signal is closed; the commune, the month, what was seen and the outcome « opposition » stay for the figures.
    ``by``: the structure's or the partner's agent who notes it; ``person``: she does it from her own space, for a
    signal brought to it."""
    now = now or timezone.now()
    signal = Signal.objects.select_for_update(of=("self",)).select_related("network__territory").get(pk=signal.pk)
    if person is not None:
        if signal.person_id is None or signal.person_id != person.pk:
            raise VigieError("Ce signalement n'est pas dans votre espace.")
    elif by is None or not _may(by, signal):
        raise VigieError("Seuls la structure et le partenaire de ce signalement enregistrent une opposition.")
    if signal.objected_at:
        raise VigieError("L'opposition de la personne est déjà enregistrée : le signalement est effacé.")
    signal.place = signal.person_name = signal.words = ""
    signal.vigie = signal.person = None
    signal.objected_at = signal.anonymised_at = now
    if signal.status != SignalStatus.CLOSED:
        signal.status, signal.outcome, signal.closed_at = SignalStatus.CLOSED, Outcome.OBJECTED, now
    signal.save()
    signal.events.update(note="")
    note = "Opposition depuis son espace : effacé" if person is not None else "Opposition : effacé"
    SignalEvent.objects.create(signal=signal, at=now, actor=by, status=signal.status, note=note)
    JournalEntry.log(
        action=Action.PERSONAL_DATA_WRITTEN,
        actor=by,
        target=signal,
        territory=signal.network.territory,
        reason=note,
        fields=["lieu", "nom de la personne", "mots de la vigie"],
    )
    return signal


def to_inform(signals, *, now: datetime.datetime | None = None, within: datetime.timedelta | None = None):
    """The signals whose person is not yet told, oldest first; with ``within``, only those due within it."""
    now = now or timezone.now()
    found = signals.filter(informed_at__isnull=True, objected_at__isnull=True, anonymised_at__isnull=True)
    if within is not None:
        found = found.filter(created_at__lte=now + within - INFORM_WITHIN)
    return found.order_by("created_at")
