"""French for people, numbers for machines: the one home of plurals, number and date formats, phone numbers and
the small words that change with the next one (« de Sarah », « d'Odette », « du bassin de vie »).

Everything a person reads goes through here (or its template filters, ``{% load french %}``); everything a machine
reads (SVG coordinates, JSON, CSV for software, data attributes) goes through ``machine``, never localised."""

import datetime
import math
from decimal import Decimal

NARROW_NBSP = "\u202f"  # between thousands: « 50 849 »
NBSP = "\u00a0"  # between a number and its unit: « 14,5 km »

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

# Words before which « de » and « le » elide although they start with a consonant letter (mute h).
_MUTE_H = ("habitant", "hôpital", "heure", "hiver", "histoire", "homme", "hébergement", "hôtel", "huissier")
_VOWELS = "aâàäeéèêëiîïoôöuûùüyœæAÂÀÄEÉÈÊËIÎÏOÔÖUÛÙÜYŒÆ"


def number(value, decimals: int = 0, unit: str = "") -> str:
    """« 50 849 », « 14,5 km », « 1 147 € »; « — » for an unknown value. Rounded half away from zero."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding='ROUND_HALF_UP'):,.{decimals}f}"
    text = text.replace(",", NARROW_NBSP).replace(".", ",")
    return f"{text}{NBSP}{unit}" if unit else text


def percent(share, decimals: int = 0) -> str:
    """A share of 1 as a percentage: 0.823 → « 82 % » (non-breaking spaces)."""
    return number(share * 100, decimals, "%")


def hours(minutes: int) -> str:
    """A duration in minutes as hours: 90 → « 1 h 30 », 120 → « 2 h », 45 → « 45 min »."""
    h, m = divmod(int(minutes or 0), 60)
    if not h:
        return f"{m}{NBSP}min"
    return f"{number(h)}{NBSP}h{NBSP}{m:02d}" if m else f"{number(h)}{NBSP}h"


def euros(value, decimals: int | None = None) -> str:
    """« 1 147 € », « 42,50 € »: cents only when there are some (or when ``decimals`` says)."""
    if value is None:
        return "—"
    if decimals is None:
        decimals = 0 if float(value) == round(float(value)) else 2
    return number(value, decimals, "€")


def distance(metres) -> str:
    """A distance for a person: « 850 m », « 12,4 km », « 578 km » (never « 578 053 m »)."""
    if metres is None:
        return "—"
    if metres < 1000:
        return number(round(metres, -1), 0, "m")
    km = metres / 1000
    return number(km, 1 if km < 100 else 0, "km")


def machine(value) -> str:
    """A number as software reads it: a point for decimals, no grouping, no unit (« 40.0 », « -3.25 »). Integral
    floats keep one decimal only when they were floats; ``None`` is the empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    number_ = float(value)
    if number_ == int(number_) and abs(number_) < 1e15:
        return f"{int(number_)}"
    return repr(round(number_, 6))


def plural(count, singular: str, plural_form: str | None = None, *, show_count: bool = True) -> str:
    """« 0 habitant », « 1 encadrant », « 2 encadrants », « 1 147 habitants »: French takes the singular for 0 and 1
    (and any count under 2). ``plural_form`` for the irregular ones (« 3 journaux »)."""
    word = singular if abs(count) < 2 else (plural_form or _plural_of(singular))
    return f"{number(count)}{NBSP}{word}" if show_count else word


def _plural_of(phrase: str) -> str:
    """The regular plural of the first word of a phrase, then of each adjective after it: « irritant fusionné »
    → « irritants fusionnés ». Phrases with « de » keep what follows (« demande de dérogation »)."""
    head, sep, tail = phrase.partition(" de ")
    words = [_plural_word(w) for w in head.split(" ")]
    return " ".join(words) + (sep + tail if sep else "")


def _plural_word(word: str) -> str:
    if not word or word[-1] in "sxz" or not word[0].isalpha():
        return word
    if word.endswith(("au", "eau", "eu")) and word not in ("pneu", "bleu"):
        return word + "x"
    if word.endswith("al") and word not in ("bal", "festival", "récital", "final", "natal", "naval"):
        return word[:-2] + "aux"
    return word + "s"


def agreed(word_masculine: str, word_feminine: str, gender: str | None) -> str:
    """The form that agrees with a person's known gender (« inscrite », « inscrit »); without one, the caller
    should rephrase rather than write « inscrit(e) »: this returns the masculine, the grammatical default."""
    return word_feminine if gender in ("F", "f", "femme", "female") else word_masculine


def elides(word: str) -> bool:
    """Whether « de », « le », « que » elide before this word (« d'Odette », « l'hôtel »)."""
    first = word.strip()[:1]
    return bool(first) and (first in _VOWELS or word.strip().lower().startswith(_MUTE_H))


# Names that start with a common noun take its article: « du bassin de vie de Cahors », « de la communauté… ».
_HEADS = {
    "bassin": "du ",
    "canton": "du ",
    "centre": "du ",
    "conseil": "du ",
    "département": "du ",
    "pays": "du ",
    "parc": "du ",
    "quartier": "du ",
    "secteur": "du ",
    "territoire": "du ",
    "commune": "de la ",
    "communauté": "de la ",
    "métropole": "de la ",
    "région": "de la ",
    "vallée": "de la ",
    "ville": "de la ",
    "agglomération": "de l'",
    "association": "de l'",
    "espace": "de l'",
}


def of(name) -> str:
    """« de » before a name, with its elision and contractions: « de Sarah », « d'Odette », « du bassin de vie de
    Cahors » (le, or a name that starts with a common noun), « des Causses » (les), « de la Bastide », « de l'Hôtel
    Wilson »."""
    name = str(name or "").strip()
    lowered = name.lower()
    head = lowered.split(" ", 1)[0]
    if head in _HEADS and " " in name:
        return _HEADS[head] + name[0].lower() + name[1:]
    if lowered.startswith("le "):
        return "du " + name[3:]
    if lowered.startswith("les "):
        return "des " + name[4:]
    if lowered.startswith(("la ", "l'", "l’")):
        return "de " + name[0].lower() + name[1:]
    return ("d'" if elides(name) else "de ") + name


def ordinal_day(day: int) -> str:
    return "1er" if day == 1 else str(day)


def date(value: datetime.date | datetime.datetime | None, *, year: bool = True, weekday: bool = False) -> str:
    """« 1er mars 2026 », « mardi 14 décembre », « — » when unknown."""
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)
    text = f"{ordinal_day(value.day)} {MONTHS[value.month - 1]}"
    if year:
        text += f" {value.year}"
    if weekday:
        text = f"{WEEKDAYS[value.weekday()]} {text}"
    return text


def on_date(value, *, year: bool = True, weekday: bool = False) -> str:
    """« le 1er mars 2026 », « le mardi 14 décembre »."""
    return "le " + date(value, year=year, weekday=weekday) if value else "—"


def month(value: datetime.date | None) -> str:
    """« mars 2026 »."""
    return f"{MONTHS[value.month - 1]} {value.year}" if value else "—"


def datetime_(value: datetime.datetime | None) -> str:
    """« 1er mars 2026 à 9 h 05 » (local time when aware)."""
    if value is None:
        return "—"
    if value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)
    return f"{date(value)} à {value.hour} h {value.minute:02d}"


def phone(value: str | None) -> str:
    """« 05 65 12 34 56 » for a French number however it was written; other numbers as given."""
    from .messaging import national_phone

    digits = national_phone(value or "")
    if not digits:
        return (value or "").strip()
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def waiting(seconds: int) -> str:
    """How long to wait, as a person reads it: « 1 seconde », « 40 secondes », « 15 minutes » (minutes rounded up)."""
    if seconds < 60:
        return plural(seconds, "seconde")
    return plural(-(-seconds // 60), "minute")


def join(items, last: str = "et") -> str:
    """« A », « A et B », « A, B et C »."""
    items = [str(i) for i in items if str(i)]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def value(v) -> str:
    """Any value of a table a person reads (a PDF, a spreadsheet's text): French dates, numbers and yes/no; empty
    for nothing. (Files for machines — CSV, JSON — keep ISO dates and points: ``machine``.)"""
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, datetime.datetime):
        return datetime_(v)
    if isinstance(v, datetime.date):
        return date(v)
    if isinstance(v, (int, float, Decimal)):
        decimals = 0 if float(v) == round(float(v)) else (1 if round(float(v), 1) == float(v) else 2)
        return number(v, decimals)
    return str(v)
