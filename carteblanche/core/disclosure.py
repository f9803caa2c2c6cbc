"""Small counts, one rule for the whole platform: a count of people (families' needs, signals about a person…)
between 1 and ``minimum()`` - 1 is never shown as such but as « moins de 3 », on a page, on a map, in a CSV; and a
median or a share is not computed from fewer than ``minimum()`` of them.

``minimum()`` is the setting ``SMALL_COUNT_MIN`` (3 by default). Zero is shown as it is: nobody is behind it.
"""

from django.conf import settings

from . import french


def minimum() -> int:
    """Fewer than this (but some) is shown as « moins de … » (setting ``SMALL_COUNT_MIN``)."""
    return int(getattr(settings, "SMALL_COUNT_MIN", 3))


def is_small(count: int) -> bool:
    """Some, but fewer than the minimum: not to be shown as such."""
    return 0 < count < minimum()


def enough(count: int) -> bool:
    """Enough to compute a median or a share from."""
    return count >= minimum()


def shown(count: int, *, for_machine: bool = False) -> str:
    """A count as a person (or a spreadsheet) may read it: « moins de 3 » between 1 and the minimum."""
    if is_small(count):
        return f"moins de {minimum()}"
    return french.machine(count) if for_machine else french.number(count)


def phrase(count: int, singular: str, plural: str | None = None) -> str:
    """« 12 besoins », « moins de 3 besoins », « 0 besoin »."""
    if is_small(count):
        least = minimum()
        return f"moins de {least} {french.plural(least, singular, plural, show_count=False)}"
    return french.plural(count, singular, plural)
