"""Template filters of ``core.french`` (built in: no ``{% load %}`` needed; see ``config/settings/base.py``).

{{ n|plural:"encadrant" }}  {{ n|plural:"journal,journaux" }}  {{ amount|euros }}  {{ km|number:1 }}
{{ metres|distance }}  {{ y|machine }}  {{ phone|phone }}  {{ day|date_fr }}  {{ day|on_date }}
{{ name|of }}  {{ cell|fr }}  {{ moment|datetime_fr }}  {{ share|percent }}  {{ minutes|hours }}
"""

from django import template

from .. import french

register = template.Library()


@register.filter
def plural(count, words: str):
    singular, _, plural_form = words.partition(",")
    return french.plural(count or 0, singular, plural_form or None)


@register.filter
def plural_word(count, words: str):
    """The word alone, agreeing with the count: « {{ n }} {{ n|plural_word:"thème" }} »."""
    singular, _, plural_form = words.partition(",")
    return french.plural(count or 0, singular, plural_form or None, show_count=False)


@register.filter
def number(value, decimals=0):
    return french.number(value, int(decimals))


@register.filter
def percent(share, decimals=0):
    return french.percent(share, int(decimals))


@register.filter
def hours(minutes):
    return french.hours(minutes)


@register.filter
def euros(value, decimals=None):
    return french.euros(value, None if decimals in (None, "") else int(decimals))


@register.filter
def distance(metres):
    return french.distance(metres)


@register.filter
def machine(value):
    return french.machine(value)


@register.filter
def phone(value):
    return french.phone(value)


@register.filter
def date_fr(value, options: str = ""):
    """``{{ d|date_fr }}`` « 1er mars 2026 »; ``{{ d|date_fr:"sans année" }}``, ``{{ d|date_fr:"jour" }}``."""
    return french.date(value, year="sans année" not in options, weekday="jour" in options)


@register.filter
def on_date(value, options: str = ""):
    return french.on_date(value, year="sans année" not in options, weekday="jour" in options)


@register.filter(name="of")
def of_(name):
    return french.of(name)


@register.filter(name="fr")
def fr(value):
    """Any cell of a table for people: French date, number, oui/non."""
    return french.value(value)


@register.filter
def datetime_fr(value):
    """« 1er mars 2026 à 9 h 05 »."""
    return french.datetime_(value) if value else "—"


@register.filter
def tel(value):
    """The number of a ``tel:`` link: « 0565123456 » for a French number (for machines, like ``machine``)."""
    from ..messaging import national_phone

    return national_phone(value or "") or "".join(c for c in value or "" if c.isdigit() or c == "+")
