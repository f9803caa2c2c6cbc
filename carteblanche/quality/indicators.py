"""The indicators a site publishes, computed from counts the database groups (never row by row in Python).

A share (« 82 % de très satisfaits ») is shown as a plain number only from ``minimum()`` observations on; below, the
page shows how many there are and the 95 % interval the true share lies in (Wilson's interval), so that a small
sample is neither hidden nor over-read. A median (the waiting time) comes from the histogram of whole minutes, with
its distribution-free interval (order statistics of a binomial) below the minimum.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings

from carteblanche.core import french

Z95 = 1.959963984540054


def minimum() -> int:
    """Fewer observations than this and no rate is shown as a plain number (setting ``QUALITY_MIN_ANSWERS``)."""
    return int(getattr(settings, "QUALITY_MIN_ANSWERS", 30))


def wilson(hits: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval of a share, within 0..1 (sound for small samples and for 0 % or 100 %)."""
    if n <= 0:
        return (0.0, 1.0)
    p = hits / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def median_of(histogram: Counter) -> float | None:
    """The median of values given as {value: how many}; the mean of the two middle ones for an even count."""
    n = sum(histogram.values())
    if not n:
        return None
    return (_rank(histogram, (n + 1) // 2) + _rank(histogram, n // 2 + 1)) / 2


def _rank(histogram: Counter, rank: int):
    """The value of the ``rank``-th smallest observation (1-based)."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError(rank)


def median_interval(histogram: Counter) -> tuple[float, float] | None:
    """A distribution-free 95 % interval of the median: the observations of ranks j and n + 1 - j, j the largest
    rank with P(Binomial(n, ½) < j) ≤ 2,5 % (the whole range when the sample is too small for that)."""
    n = sum(histogram.values())
    if not n:
        return None
    if n > 100:  # the normal approximation of the binomial is within a rank there
        j = math.floor(n / 2 - Z95 * math.sqrt(n) / 2)
    else:
        j, cumulative = 0, 0.0
        while j <= n:
            cumulative += math.comb(n, j) / 2**n  # P(X ≤ j)
            if cumulative > 0.025:
                break
            j += 1  # P(X < j) ≤ 2,5 %
    j = max(j, 1)
    return (_rank(histogram, j), _rank(histogram, n + 1 - j))


@dataclass
class Indicator:
    """One published indicator over one period: its value, how many observations it rests on, and how computed."""

    code: str
    label: str
    method: str
    kind: str  # "share", "median" or "count"
    unit: str = ""
    hits: int = 0
    n: int = 0
    histogram: Counter = field(default_factory=Counter)
    noun: tuple[str, str] = ("réponse", "réponses")

    @property
    def value(self) -> float | None:
        if self.kind == "share":
            return self.hits / self.n if self.n else None
        if self.kind == "median":
            return median_of(self.histogram)
        return self.n

    @property
    def enough(self) -> bool:
        """A count is what it is; a share or a median needs ``minimum()`` observations to be shown plainly."""
        return self.kind == "count" or self.n >= minimum()

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.kind == "share":
            return wilson(self.hits, self.n) if self.n else None
        if self.kind == "median":
            return median_interval(self.histogram)
        return None

    @property
    def count_label(self) -> str:
        return french.plural(self.n, *self.noun)

    def _format(self, value) -> str:
        if value is None:
            return "—"
        if self.kind == "share":
            return french.number(value * 100, 0, "%")
        if self.kind == "median":
            return french.number(value, 0 if float(value).is_integer() else 1, self.unit)
        return french.number(value)

    @property
    def shown(self) -> str:
        """What the page prints as the value: the number, or below the minimum the interval it lies in."""
        if not self.n:
            return "pas encore de données"
        if self.kind == "count" or self.enough:
            return self._format(self.value)
        low, high = self.interval
        return f"entre {self._format(low)} et {self._format(high)}"

    @property
    def machine_value(self):
        """The value in files for software: a number (a share in %, one decimal), or None below the minimum."""
        value = self.value
        if value is None or (self.kind != "count" and not self.enough):
            return None
        return round(value * 100, 1) if self.kind == "share" else round(float(value), 1)

    def add(self, other: "Indicator") -> None:
        self.hits += other.hits
        self.n += other.n
        self.histogram.update(other.histogram)


# What each indicator means, in the order a page shows them. The label says what 100 % would be.
DEFINITIONS = {
    "satisfaction": (
        "Usagers très satisfaits",
        "Part des réponses « Très bien » à la question « Comment s'est passée votre démarche ? » (questionnaire au "
        "format « Je donne mon avis »), parmi toutes les réponses retenues.",
        "share",
        "",
    ),
    "clarte": (
        "Informations claires",
        "Part des réponses 4 ou 5 sur 5 à la question sur la clarté des informations et des instructions données.",
        "share",
        "",
    ),
    "joignabilite": (
        "Administration jointe",
        "Parmi les personnes qui ont cherché de l'aide, part de celles qui ont réussi à joindre l'administration.",
        "share",
        "",
    ),
    "qualite_aide": (
        "Aide de qualité",
        "Parmi les personnes qui ont obtenu de l'aide, part de celles qui la jugent bonne ou très bonne.",
        "share",
        "",
    ),
    "attente": (
        "Attente médiane à l'accueil",
        "Temps entre l'arrivée et la prise en charge par un agent, relevé au guichet ; la moitié des personnes "
        "attendent moins, l'autre moitié plus.",
        "median",
        "min",
    ),
    "resolution": (
        "Demandes résolues sur place",
        "Part des passages terminés où la demande a été résolue le jour même, sans orientation ailleurs.",
        "share",
        "",
    ),
    "orientations": (
        "Orientations vers un autre service",
        "Nombre de personnes orientées vers un autre service, avec le délai de réponse annoncé.",
        "count",
        "",
    ),
    "delais": (
        "Délais annoncés tenus",
        "Parmi les orientations dont le délai annoncé est passé ou qui ont reçu leur réponse, part de celles "
        "répondues dans le délai annoncé.",
        "share",
        "",
    ),
    "appels": (
        "Appels décrochés",
        "Part des appels téléphoniques reçus qui ont été décrochés (relevé des agents ou de la téléphonie).",
        "share",
        "",
    ),
    "reponse_experiences": (
        "Délai médian de réponse aux expériences",
        "Jours entre le récit d'une expérience par un usager et la réponse publique de la structure.",
        "median",
        "jours",
    ),
    "rendez_vous": (
        "Rendez-vous honorés",
        "Nombre de rendez-vous pris en ligne, au guichet ou par téléphone et honorés (la personne est venue).",
        "count",
        "",
    ),
    "lapins": (
        "Rendez-vous non honorés",
        "Parmi les rendez-vous passés, part de ceux où la personne n'est pas venue sans prévenir (« lapins ») ; "
        "les rendez-vous annulés ou excusés ne comptent pas.",
        "share",
        "",
    ),
    "premier_creneau": (
        "Délai médian jusqu'au premier créneau libre",
        "Jours entre une réservation en ligne et le premier créneau libre à ce moment-là pour le même motif.",
        "median",
        "jours",
    ),
}
NOUNS = {
    "rendez_vous": ("rendez-vous", "rendez-vous"),
    "lapins": ("rendez-vous", "rendez-vous"),
    "premier_creneau": ("réservation", "réservations"),
    "attente": ("passage", "passages"),
    "resolution": ("passage", "passages"),
    "orientations": ("orientation", "orientations"),
    "delais": ("orientation", "orientations"),
    "appels": ("appel", "appels"),
    "reponse_experiences": ("expérience", "expériences"),
}


def blank(code: str) -> Indicator:
    label, method, kind, unit = DEFINITIONS[code]
    return Indicator(code=code, label=label, method=method, kind=kind, unit=unit, noun=NOUNS.get(code, Indicator.noun))


def blank_set() -> dict[str, Indicator]:
    return {code: blank(code) for code in DEFINITIONS}
