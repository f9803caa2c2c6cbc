"""Date arithmetic the whole platform shares."""

import datetime


def age(birth: datetime.date, on: datetime.date) -> int:
    """Full years from ``birth`` to ``on`` (a person born on 29 February turns a year older on 1 March)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
