"""Weekly patterns in half-hour slots: when a child must be kept, when a provider is open or available, when a
childminder already keeps a child.

Stored as JSON ``{"0": [[13, 40]], "2": [[13, 29], [34, 40]]}``: weekday (0 Monday) → half-open ranges of slots
(slot 13 is 6 h 30 – 7 h 00, slot 40 ends at 20 h 00). Read into a frozenset of (weekday, slot) to compare, subtract
and count; turned into dated ``law.Presence`` rows to check the law over real days.
"""

import datetime

from django.core.exceptions import ValidationError

from .law import SLOTS_PER_DAY, Child, Presence

WEEKDAYS = range(7)
Slots = frozenset  # of (weekday, slot)


def slots_of(pattern: dict) -> Slots:
    found = set()
    for weekday, ranges in (pattern or {}).items():
        for start, end in ranges:
            found.update((int(weekday), slot) for slot in range(int(start), int(end)))
    return frozenset(found)


def pattern_of(slots) -> dict:
    """The JSON form of a set of (weekday, slot): consecutive slots merged into ranges."""
    pattern: dict[str, list[list[int]]] = {}
    for weekday in WEEKDAYS:
        day = sorted(slot for wd, slot in slots if wd == weekday)
        ranges: list[list[int]] = []
        for slot in day:
            if ranges and ranges[-1][1] == slot:
                ranges[-1][1] = slot + 1
            else:
                ranges.append([slot, slot + 1])
        if ranges:
            pattern[str(weekday)] = ranges
    return pattern


def validate(pattern) -> None:
    """A pattern as the forms and imports write it, or a French error."""
    if not isinstance(pattern, dict):
        raise ValidationError("Le planning doit donner, pour chaque jour, des plages de demi-heures.")
    for weekday, ranges in pattern.items():
        if str(weekday) not in {str(d) for d in WEEKDAYS}:
            raise ValidationError(f"Jour inconnu dans le planning : {weekday}.")
        for item in ranges:
            if (
                not isinstance(item, list | tuple)
                or len(item) != 2
                or not all(isinstance(v, int) for v in item)
                or not 0 <= item[0] < item[1] <= SLOTS_PER_DAY
            ):
                raise ValidationError("Chaque plage va d'une demi-heure à une autre plus tardive, dans la journée.")


def hours(slots) -> float:
    return len(slots) / 2


def presences(child: Child, slots, *, first: datetime.date, days: int) -> list[Presence]:
    """The child's dated presences over ``days`` days from ``first``, one per day and continuous range."""
    return presences_by_day(child, lambda day: slots, first=first, days=days)


def presences_by_day(child: Child, slots_on, *, first: datetime.date, days: int) -> list[Presence]:
    """The same, the week's half-hours read for each day from ``slots_on(day)`` (a particular week differs)."""
    found = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        day_slots = sorted(slot for wd, slot in slots_on(day) if wd == day.weekday())
        start = None
        for slot in day_slots + [None]:
            if start is None:
                start = previous = slot
                continue
            if slot is not None and slot == previous + 1:
                previous = slot
                continue
            found.append(Presence(child, day, start, previous + 1))
            start = previous = slot
    return found


def label(slots) -> str:
    """« lundi 6 h 30 – 20 h 00 ; mardi 13 h 00 – 20 h 00 » for a page."""
    from carteblanche.core.french import WEEKDAYS as NAMES

    from .law import slot_label

    parts = []
    for weekday, ranges in pattern_of(slots).items():
        spans = ", ".join(f"{slot_label(a)} – {slot_label(b)}" for a, b in ranges)
        parts.append(f"{NAMES[int(weekday)]} {spans}")
    return " ; ".join(parts) or "aucun créneau"


def weeks_label(weeks: list[dict]) -> str:
    """« semaine du 1er février 2027 : lundi 15 h 00 – 23 h 00 ; … » for the particular weeks of a need or a part
    (``[{"du": …, "planning": …, "tous_les": n}]``)."""
    from carteblanche.core import french

    found = []
    for item in weeks or []:
        every = item.get("tous_les") or 0
        when = f"semaine du {french.date(datetime.date.fromisoformat(item['du']))}"
        if every:
            when += f" puis une semaine sur {every}"
        found.append(f"{when} : {label(slots_of(item['planning']))}")
    return " ; ".join(found)
