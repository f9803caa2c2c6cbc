"""What the vigies app recorded about a resident, as she reads it in her own space (the rights app's): the signals a
structure brought to her space (``information.person_link``) and her registration in her commune's register of
vulnerable people (found by her name and birth date, keyed: ``models.identity``).

She reads what was recorded about her — the structure, the day, the place, what was seen, the words — and never who
signalled her. From there she objects to a signal (``information.person_objects``) or leaves the register
(``register_book.entry_objects``). Each reading is journaled in her own journal.
"""

import datetime
from dataclasses import dataclass

from carteblanche.rights.access import Reader, journal_read

from .enums import RegisterSource
from .models import RegisterEntry, Signal, identity
from .services import vigie_status

SIGNAL_FIELDS = ["signalements d'une vigie : lieu, nom noté, ce qui a été vu, mots"]
ENTRY_FIELDS = ["registre d'alerte : adresse, téléphone, personne à prévenir, services à domicile"]


@dataclass
class SignalShown:
    pk: int
    structure: str
    received: datetime.datetime
    commune: str
    place: str
    name: str  # her name, as the vigie wrote it (if she knew it)
    seen: list[str]
    words: str
    state: str  # « reçu », « pris en charge », « clos »: what the vigie reads too, nothing more
    informed: datetime.datetime | None


@dataclass
class EntryShown:
    pk: int
    commune: str
    address: str
    phone: str
    contact: str
    contact_phone: str
    home_services: str
    category: str
    how: str  # how she came in: her request, a third party's, a list
    registered: datetime.datetime
    acknowledged: datetime.datetime | None  # the acknowledgement (a request) sent
    informed: datetime.datetime | None  # the information letter (a list) sent


def her_signals(person):
    """The signals brought to her space and not erased."""
    return Signal.objects.filter(person=person, objected_at__isnull=True, anonymised_at__isnull=True)


def her_entries(person):
    """Her registrations in her territory's register (her name and birth date, keyed), those she did not leave."""
    key = identity(person.first_name, person.last_name, person.birth_date)
    return RegisterEntry.objects.filter(territory_id=person.territory_id, identity=key, objected_at__isnull=True)


def her_signal(person, pk) -> Signal | None:
    return her_signals(person).filter(pk=pk).first()


def her_entry(person, pk) -> RegisterEntry | None:
    return her_entries(person).filter(pk=pk).first()


def about(person) -> dict:
    """``{"signals": [SignalShown], "entries": [EntryShown]}``: what was recorded about her; reading it is journaled
    (when there is something to read)."""
    signals = [
        SignalShown(
            pk=signal.pk,
            structure=signal.network.organisation.name,
            received=signal.created_at,
            commune=signal.commune.name,
            place=signal.place,
            name=signal.person_name,
            seen=signal.seen_labels,
            words=signal.words,
            state=vigie_status(signal),
            informed=signal.informed_at,
        )
        for signal in her_signals(person).select_related("network__organisation", "commune").order_by("-created_at")
    ]
    entries = [
        EntryShown(
            pk=entry.pk,
            commune=entry.commune.name,
            address=entry.address,
            phone=entry.phone,
            contact=entry.contact_name,
            contact_phone=entry.contact_phone,
            home_services=entry.home_services,
            category=entry.get_category_display(),
            how=_how(entry),
            registered=entry.registered_at,
            acknowledged=entry.acknowledged_at,
            informed=entry.informed_at,
        )
        for entry in her_entries(person).select_related("commune").order_by("registered_at", "pk")
    ]
    fields = (SIGNAL_FIELDS if signals else []) + (ENTRY_FIELDS if entries else [])
    if fields:
        journal_read(
            Reader.own(person), person, fields=fields, reason="Consultation de ses signalements et de son registre"
        )
    return {"signals": signals, "entries": entries}


def _how(entry: RegisterEntry) -> str:
    if entry.source == RegisterSource.THIRD_PARTY and entry.third_party:
        return f"À la demande écrite de {entry.third_party}, avec votre accord"
    if entry.source == RegisterSource.SELF:
        return "À votre demande"
    return RegisterSource(entry.source).label
