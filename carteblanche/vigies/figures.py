"""The vigies' figures for the territory (« pour le territoire »): per commune and month, the signals received, by
what was seen, urgency, origin and outcome; how long before a partner took them in charge, how many were told to
the network's lead, how many people were told within the month. They feed irritants and experiments. Reads only.

They are read from what the retention keeps of a signal (``retention.py``, ``information.person_objects``): the
commune, the day it was received, what was seen, its urgency, origin, outcome and the dates of its steps. So they
are the same for an anonymised signal and for one the person objected to; never a place, a name, words nor a vigie.

Small counts (``core.disclosure``): a count between 1 and ``minimum()`` - 1 reads « moins de 3 » on the page, in the
CSV, in the GeoJSON and on the map; a median or a share is computed from ``minimum()`` signals at least, else the
cell says « trop peu ».

Time is an input: ``today`` chooses the default period, ``now`` says which people are past their month to be told.
"""

import datetime
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from carteblanche.accounts.enums import Role
from carteblanche.core import french
from carteblanche.core.disclosure import enough, minimum, phrase, shown
from carteblanche.core.permissions import organisations_of
from carteblanche.territories.geo import communes_feature_collection
from carteblanche.territories.models import Commune

from .enums import INFORM_WITHIN, Origin, Outcome, Seen, SignalStatus, Urgency
from .models import Network, Signal, SignalEvent

DEFAULT_MONTHS = 12  # the period shown unless asked: the last twelve months, this one included
TOO_FEW = "trop peu"  # a median or a share not computed: fewer signals than the minimum
EXPERIMENT_TEXT_MAX = 1500  # the prefilled texts travel in a link's query


def may_read(user, territory) -> bool:
    """Who reads the figures: the territory's project team and prefecture, and the agents of the structures of its
    networks of vigies and of their partners."""
    if user.is_superuser or user.has_role(territory, Role.PROJECT_TEAM, Role.PREFECTURE):
        return True
    mine = organisations_of(user, territory, Role.AGENT)
    return bool(mine) and (
        Network.objects.filter(territory=territory).filter(Q(organisation__in=mine) | Q(partners__in=mine)).exists()
    )


# ---------------------------------------------------------------------------------------------------------------
# Months


def month_of(day: datetime.date) -> datetime.date:
    """The month of a day, as its first day."""
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from ``first`` to ``last``, both included."""
    found, month = [], month_of(first)
    while month <= last:
        found.append(month)
        month = add_months(month, 1)
    return found


def last_months(today: datetime.date, count: int = DEFAULT_MONTHS) -> tuple[datetime.date, datetime.date]:
    """The first and last months of the ``count`` months up to ``today``'s."""
    last = month_of(today)
    return add_months(last, -(count - 1)), last


def _start_of(month: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(month, datetime.time.min))


# ---------------------------------------------------------------------------------------------------------------
# What is read of a signal


@dataclass(frozen=True)
class Record:
    """One signal as the figures read it: nothing that points to the person."""

    commune_id: int
    month: datetime.date
    origin: str
    seen: tuple[str, ...]
    urgency: str
    outcome: str  # of a closed signal; "" while it is open
    hours_to_take: float | None  # from received to taken in charge (accepted by the partner, or contact made)
    escalated: bool
    informed: bool | None  # told within the month; None while her month runs (or she died untold)


def _informed(created_at, told_at, outcome: str, now) -> bool | None:
    if told_at is not None:
        return told_at <= created_at + INFORM_WITHIN
    if outcome == Outcome.DECEASED:
        return None
    return False if created_at + INFORM_WITHIN < now else None


def records(territory, *, first: datetime.date, last: datetime.date, now: datetime.datetime) -> list[Record]:
    """The signals of the territory's networks received from ``first``'s month to ``last``'s, as records."""

    def first_step(status):
        steps = SignalEvent.objects.filter(signal=OuterRef("pk"), status=status).order_by("at", "pk")
        return Subquery(steps.values("at")[:1])

    signals = (
        Signal.objects.filter(
            network__territory=territory,
            created_at__gte=_start_of(month_of(first)),
            created_at__lt=_start_of(add_months(month_of(last), 1)),
        )
        .annotate(accepted=first_step(SignalStatus.ACCEPTED), contacted=first_step(SignalStatus.CONTACTED))
        .order_by("created_at", "pk")
        .values_list(
            "commune_id",
            "created_at",
            "origin",
            "seen",
            "urgency",
            "status",
            "outcome",
            "escalated_at",
            "informed_at",
            "objected_at",
            "accepted",
            "contacted",
        )
    )
    found = []
    for (
        commune_id,
        created_at,
        origin,
        seen,
        urgency,
        status,
        outcome,
        escalated_at,
        informed_at,
        objected_at,
        *taken,
    ) in signals:
        taken_at = taken[0] or taken[1]  # accepted by the partner, or contact made when no acceptance was noted
        closed_outcome = outcome if status == SignalStatus.CLOSED else ""
        found.append(
            Record(
                commune_id=commune_id,
                month=month_of(timezone.localtime(created_at).date()),
                origin=origin,
                seen=tuple(code for code in (seen or []) if code in Seen.values),
                urgency=urgency,
                outcome=closed_outcome,
                hours_to_take=max((taken_at - created_at).total_seconds(), 0) / 3600 if taken_at else None,
                escalated=escalated_at is not None,
                # She could object only if she knew: her objection tells when she knew at the latest.
                informed=_informed(created_at, informed_at or objected_at, closed_outcome, now),
            )
        )
    return found


# ---------------------------------------------------------------------------------------------------------------
# Measures


@dataclass(frozen=True)
class Share:
    """A share of the signals (``hits`` out of ``n``), computed from ``minimum()`` signals on."""

    hits: int
    n: int

    @property
    def value(self) -> float | None:
        return self.hits / self.n if self.n and enough(self.n) else None

    @property
    def shown(self) -> str:
        if not self.n:
            return "—"
        return french.percent(self.value) if self.value is not None else TOO_FEW

    @property
    def for_machine(self) -> str:
        if not self.n:
            return ""
        return french.machine(round(self.value, 3)) if self.value is not None else TOO_FEW


@dataclass(frozen=True)
class Median:
    """The median of the hours to take a signal in charge, computed from ``minimum()`` signals on."""

    values: tuple[float, ...]

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def value(self) -> float | None:
        return statistics.median(self.values) if self.values and enough(self.n) else None

    @property
    def shown(self) -> str:
        """« 26 h », « 4,5 h », « trop peu », « — »."""
        if not self.n:
            return "—"
        if self.value is None:
            return TOO_FEW
        return french.number(self.value, 1 if self.value < 10 else 0, "h")

    @property
    def for_machine(self) -> str:
        if not self.n:
            return ""
        return french.machine(round(self.value, 1)) if self.value is not None else TOO_FEW


@dataclass(frozen=True)
class Tally:
    """One line of a breakdown: « Isolement : moins de 3 »."""

    code: str
    label: str
    count: int

    @property
    def shown(self) -> str:
        return shown(self.count)


@dataclass
class Summary:
    """The figures of some records: a commune × month cell, a commune, a month, the whole territory."""

    records: list[Record]

    @cached_property
    def count(self) -> int:
        return len(self.records)

    @property
    def count_shown(self) -> str:
        return shown(self.count)

    @property
    def phrase(self) -> str:
        """« 12 signalements », « moins de 3 signalements », « 0 signalement »."""
        return phrase(self.count, "signalement")

    def _tally(self, choices, codes) -> list[Tally]:
        counts = Counter(codes)
        return [Tally(code, label, counts[code]) for code, label in choices]

    @cached_property
    def by_seen(self) -> list[Tally]:
        """What was seen (a signal may say several things)."""
        return self._tally(Seen.choices, (code for r in self.records for code in r.seen))

    @cached_property
    def by_urgency(self) -> list[Tally]:
        return self._tally(Urgency.choices, (r.urgency for r in self.records))

    @cached_property
    def by_origin(self) -> list[Tally]:
        return self._tally(Origin.choices, (r.origin for r in self.records))

    @cached_property
    def by_outcome(self) -> list[Tally]:
        """The outcomes of the closed signals."""
        return self._tally(Outcome.choices, (r.outcome for r in self.records if r.outcome))

    @cached_property
    def closed(self) -> int:
        return sum(1 for r in self.records if r.outcome)

    @property
    def closed_shown(self) -> str:
        return shown(self.closed)

    @cached_property
    def delay(self) -> Median:
        return Median(tuple(r.hours_to_take for r in self.records if r.hours_to_take is not None))

    @cached_property
    def escalated(self) -> Share:
        return Share(sum(1 for r in self.records if r.escalated), self.count)

    @cached_property
    def informed(self) -> Share:
        known = [r.informed for r in self.records if r.informed is not None]
        return Share(sum(known), len(known))

    def top_seen(self) -> Tally | None:
        found = max(self.by_seen, key=lambda t: t.count, default=None)
        return found if found and found.count else None


# ---------------------------------------------------------------------------------------------------------------
# The map's bands


@dataclass(frozen=True)
class Band:
    key: str  # the swatch's class in the legend (cb-swatch--<key>)
    label: str
    colour: str


NO_SIGNAL = Band("b0", "aucun signalement", "#7f7f7f")
_BANDS = (  # (most signals, key, colour); the first band starts at the minimum
    (9, "b3", "#fee08b"),
    (24, "b4", "#fc8d59"),
    (None, "b5", "#d73027"),
)


def bands() -> list[tuple[int | None, Band]]:
    """Each band with the most signals it holds (None: no most); « moins de 3 » one band, never more precise."""
    least = minimum()
    found: list[tuple[int | None, Band]] = []
    if least > 1:
        found.append((least - 1, Band("b2", f"moins de {least} signalements", "#91cf60")))
    start = least
    for most, key, colour in _BANDS:
        if most is not None and most < start:
            continue
        label = f"{french.number(start)} signalements et plus" if most is None else f"{start} à {most} signalements"
        found.append((most, Band(key, label, colour)))
        if most is not None:
            start = most + 1
    return found


def band_of(count: int) -> Band:
    if not count:
        return NO_SIGNAL
    return next(band for most, band in bands() if most is None or count <= most)


@dataclass
class CommuneRow:
    commune: Commune
    summary: Summary
    band: Band

    @property
    def description(self) -> str:
        """« Cahors : 12 signalements », « Pradines : moins de 3 signalements » (the map's tooltip)."""
        if not self.summary.count:
            return f"{self.commune.name} : aucun signalement"
        return f"{self.commune.name} : {self.summary.phrase}"


@dataclass
class MonthRow:
    month: datetime.date
    summary: Summary

    @property
    def label(self) -> str:
        """« mars 2026 »."""
        return french.month(self.month)


@dataclass
class CellRow(MonthRow):
    commune: Commune


# ---------------------------------------------------------------------------------------------------------------
# The figures


def _alphabetical(name: str) -> str:
    """« Cézac » before « Crayssac »: letters without their accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


@dataclass
class Figures:
    territory: object
    first: datetime.date  # the first month (its first day)
    last: datetime.date  # the last month (its first day)
    communes: list[Commune]
    records: list[Record]
    cells: dict[tuple[int, datetime.date], list[Record]] = field(init=False)  # (commune, month) → its records

    def __post_init__(self):
        grouped = defaultdict(list)
        for record in self.records:
            grouped[(record.commune_id, record.month)].append(record)
        self.cells = dict(grouped)

    @property
    def months(self) -> list[datetime.date]:
        return months(self.first, self.last)

    def commune(self, pk) -> Commune | None:
        return next((c for c in self.communes if c.pk == pk), None)

    def summary(self, *, commune_id: int | None = None, month: datetime.date | None = None) -> Summary:
        """The figures of a cell, a commune, a month or the whole territory."""
        if commune_id is not None and month is not None:
            return Summary(self.cells.get((commune_id, month), []))
        return Summary(
            [
                r
                for r in self.records
                if (commune_id is None or r.commune_id == commune_id) and (month is None or r.month == month)
            ]
        )

    @cached_property
    def commune_rows(self) -> list[CommuneRow]:
        """Every commune with its totals over the period, the most signals first (the map and its table)."""
        rows = []
        for commune in self.communes:
            summary = self.summary(commune_id=commune.pk)
            rows.append(CommuneRow(commune, summary, band_of(summary.count)))
        rows.sort(key=lambda r: (-r.summary.count, _alphabetical(r.commune.name)))
        return rows

    def month_rows(self, commune_id: int | None = None) -> list[MonthRow]:
        """Each month of the period, for the territory or one commune."""
        return [MonthRow(month, self.summary(commune_id=commune_id, month=month)) for month in self.months]

    def cell_rows(self, commune_id: int | None = None) -> list[CellRow]:
        """The commune × month cells that hold signals, commune by commune, month by month."""
        rows = []
        for commune in self.communes:
            if commune_id is not None and commune.pk != commune_id:
                continue
            for month in self.months:
                found = self.cells.get((commune.pk, month))
                if found:
                    rows.append(CellRow(month, Summary(found), commune))
        return rows

    def legend(self) -> list[tuple[Band, int]]:
        """Each band of the map with its number of communes."""
        counts = Counter(row.band.key for row in self.commune_rows)
        return [(band, counts[band.key]) for band in (NO_SIGNAL, *(band for _, band in bands()))]

    def csv_rows(self, commune_id: int | None = None) -> list[list]:
        """One row per commune × month of the period (none left out, zeros included); small counts as « moins de
        3 », medians and shares from fewer signals as « trop peu »."""
        header = ["mois", "code INSEE", "commune", "signalements"]
        header += [f"vu : {label}" for label in Seen.labels]
        header += [f"urgence : {label}" for label in Urgency.labels]
        header += [f"envoyé par : {label}" for label in Origin.labels]
        header += ["clos"] + [f"issue : {label}" for label in Outcome.labels]
        header += [
            "pris en charge",
            "délai médian de prise en charge (heures)",
            "part signalée à la responsable",
            "part des personnes informées dans le mois",
        ]
        out = [header]
        for commune in self.communes:
            if commune_id is not None and commune.pk != commune_id:
                continue
            for month in self.months:
                cell = self.summary(commune_id=commune.pk, month=month)
                tallies = [*cell.by_seen, *cell.by_urgency, *cell.by_origin]
                out.append(
                    [
                        month.strftime("%Y-%m"),
                        commune.insee_code,
                        commune.name,
                        shown(cell.count, for_machine=True),
                        *(shown(t.count, for_machine=True) for t in tallies),
                        shown(cell.closed, for_machine=True),
                        *(shown(t.count, for_machine=True) for t in cell.by_outcome),
                        shown(cell.delay.n, for_machine=True),
                        cell.delay.for_machine,
                        cell.escalated.for_machine,
                        cell.informed.for_machine,
                    ]
                )
        return out

    def feature_collection(self) -> str:
        """The communes as GeoJSON for the map: their boundary (or their centre, never a place within), their band
        and what the table says."""
        return communes_feature_collection(
            (
                row.commune,
                {
                    "code_insee": row.commune.insee_code,
                    "nom": row.commune.name,
                    "signalements": row.summary.count_shown,
                    "classe": row.band.key,
                    "couleur": row.band.colour,
                    "texte": row.description,
                },
            )
            for row in self.commune_rows
        )

    @property
    def period(self) -> str:
        """« en mars 2026 », « d'avril 2025 à mars 2026 »."""
        if self.first == self.last:
            return f"en {french.month(self.first)}"
        return f"{french.of(french.month(self.first))} à {french.month(self.last)}"

    def experiment(self, commune_id: int | None = None) -> dict[str, str]:
        """What a new experiment starts from (title, « si… », « alors… »): what the vigies signal most, where, and
        the figures that say it (small counts hidden)."""
        summary = self.summary(commune_id=commune_id)
        commune = self.commune(commune_id)
        if commune is not None:
            where = f"à {commune.name}"
        else:
            most = [r.commune.name for r in self.commune_rows if enough(r.summary.count)][:3]
            where = f"à {french.join(most)}" if most else "sur le territoire"
        top = summary.top_seen()
        kind = f"« {top.label.lower()} »" if top else "ce que les vigies remarquent"
        facts = [summary.phrase]
        if top:
            facts[0] += f", dont {phrase(top.count, 'signalement')} pour {kind}"
        if summary.delay.value is not None:
            facts.append(f"prise en charge par un partenaire en {summary.delay.shown} (médiane)")
        if summary.escalated.value is not None:
            facts.append(f"{summary.escalated.shown} signalés à la responsable faute de prise en charge dans le délai")
        if summary.informed.value is not None:
            facts.append(f"{summary.informed.shown} des personnes informées dans le mois")
        alors = (
            "alors les personnes qui semblent en difficulté seraient aidées plus tôt, avant que leur situation ne "
            f"s'aggrave. Constat des vigies {self.period} {where} : {' ; '.join(facts)} (chiffres des vigies)."
        )
        if len(alors) > EXPERIMENT_TEXT_MAX:
            alors = alors[: EXPERIMENT_TEXT_MAX - 1] + "…"
        return {
            "intitule": f"Vigies : {top.label.lower() if top else 'signalements'} {where}"[:200],
            "si": (
                f"Si les partenaires du réseau de vigies proposaient {where} une réponse commune (visite, appel, "
                f"accompagnement d'une démarche) à ce que les vigies signalent le plus : {kind}"
            ),
            "alors": alors,
        }

    def irritant(self, commune_id: int | None = None) -> dict:
        """What a new irritant starts from: what the vigies signal, where, with the figures (small counts hidden),
        and the communes concerned."""
        found = self.experiment(commune_id)
        commune = self.commune(commune_id)
        communes = [commune.pk] if commune else [r.commune.pk for r in self.commune_rows if enough(r.summary.count)]
        return {
            "titre": found["intitule"],
            "description": found["alors"].split("Constat des vigies ", 1)[-1].capitalize()[:1500],
            "communes": communes[:20],
        }


def compute(territory, *, first: datetime.date, last: datetime.date, now: datetime.datetime) -> Figures:
    """The figures of the territory's signals received from ``first``'s month to ``last``'s."""
    first, last = month_of(first), month_of(last)
    found = records(territory, first=first, last=last, now=now)
    used = {r.commune_id for r in found}
    communes = Commune.objects.filter(Q(territories=territory) | Q(pk__in=used)).distinct()
    communes = sorted(
        communes.only("pk", "insee_code", "name", "latitude", "longitude"), key=lambda c: _alphabetical(c.name)
    )
    return Figures(territory=territory, first=first, last=last, communes=communes, records=found)
