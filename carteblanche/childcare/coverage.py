"""The territory's childcare coverage: for each commune and each half-hour of the week, the open needs that want it,
the places offered there, and the needs that no place within their accepted travel covers. Reads only.

The needs counted are those still open on the day, begun or starting within six months (``HORIZON``): a gap is
seen before the child needs the place. Counts only, never a name nor a birth date; a count of needs under
``minimum()`` (``core.disclosure``: setting ``SMALL_COUNT_MIN``, 3 by default) but above zero is never shown as
such: « moins de 3 », on the page, on the map and in the CSV.

A place is a child more that a provider can take at that half-hour: a childminder, her agrément (the law's
``agrement_max`` at most) less the children she keeps then (not her own); a structure, its capacity less the
children it keeps then. A need is uncovered at a half-hour when no commune within its accepted travel (its own
commune included) offers a place then. Places are not shared out among the needs: one place within reach of two
needs covers both, so the uncovered counts are the least that is missing.
"""

import datetime
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from carteblanche.core import french
from carteblanche.core.disclosure import minimum as minimum  # the page says it: coverage_views
from carteblanche.core.disclosure import phrase, shown
from carteblanche.territories.geo import communes_feature_collection
from carteblanche.territories.models import Commune

from . import law, patterns, services
from .enums import NeedStatus
from .models import Need, Provider

OPEN_STATUSES = (NeedStatus.OPEN, NeedStatus.PROPOSED)
HORIZON = datetime.timedelta(days=183)  # a need starting within six months counts already: it must be prepared for
HOURS = range(24)
EXPERIMENT_TEXT_MAX = 1500  # the prefilled texts travel in a link's query


def needs_phrase(count: int, singular: str = "besoin") -> str:
    """« 12 besoins », « moins de 3 besoins », « 0 besoin »."""
    return phrase(count, singular)


@dataclass(frozen=True)
class Band:
    key: str  # the swatch's class in the legend (cb-swatch--<key>)
    label: str
    colour: str


# Communes on the map, by the half-hours of the week their needs find no place within reach.
NO_NEED = Band("b0", "aucun besoin ouvert", "#7f7f7f")
BANDS = (
    (0, Band("b1", "besoins tous couverts", "#1a9850")),
    (10, Band("b3", "1 à 10 demi-heures non couvertes", "#fee08b")),
    (30, Band("b4", "11 à 30 demi-heures non couvertes", "#fc8d59")),
    (None, Band("b5", "plus de 30 demi-heures non couvertes", "#d73027")),
)


def band_of(needs: int, uncovered_half_hours: int) -> Band:
    if not needs:
        return NO_NEED
    return next(band for most, band in BANDS if most is None or uncovered_half_hours <= most)


@dataclass(frozen=True)
class NeedCover:
    """One need as the coverage reads it: its commune and half-hours, nothing of the family."""

    commune_id: int
    wanted: frozenset
    uncovered: frozenset


@dataclass
class CommuneRow:
    commune: Commune
    needs: int
    uncovered_half_hours: int  # half-hours of the week when one of its needs at least has no place within reach
    offered_half_hours: int  # half-hours of the week when a place is offered in the commune
    band: Band

    @property
    def needs_shown(self) -> str:
        return shown(self.needs)

    @property
    def description(self) -> str:
        """« Cahors : moins de 3 besoins, 12 demi-heures non couvertes par semaine » (the map's tooltip)."""
        if not self.needs:
            return f"{self.commune.name} : aucun besoin ouvert"
        needs = needs_phrase(self.needs)
        if not self.uncovered_half_hours:
            return f"{self.commune.name} : {needs}, aucune demi-heure non couverte"
        half_hours = french.plural(self.uncovered_half_hours, "demi-heure non couverte", "demi-heures non couvertes")
        return f"{self.commune.name} : {needs}, {half_hours} par semaine"


@dataclass
class GridCell:
    needs: int
    uncovered: int
    places: int

    @property
    def uncovered_shown(self) -> str:
        return shown(self.uncovered)


@dataclass
class GridRow:
    label: str  # « 6 h – 7 h »
    cells: list[GridCell]


@dataclass
class Coverage:
    territory: object
    on: datetime.date
    communes: list[Commune]
    needs: list[NeedCover]
    places: dict[int, Counter]  # commune id → (weekday, slot) → places
    rows: list[CommuneRow] = field(default_factory=list)

    @property
    def need_count(self) -> int:
        return len(self.needs)

    @property
    def uncovered_slots(self) -> frozenset:
        """The half-hours of the week when one need at least, anywhere in the territory, has no place within reach."""
        return frozenset().union(*(need.uncovered for need in self.needs))

    def commune(self, pk) -> Commune | None:
        return next((c for c in self.communes if c.pk == pk), None)

    def legend(self) -> list[tuple[Band, int]]:
        """Each band of the map with its number of communes."""
        counts = Counter(row.band.key for row in self.rows)
        return [(band, counts[band.key]) for band in (NO_NEED, *(band for _, band in BANDS))]

    def cells(self, commune_id: int) -> dict[tuple[int, int], tuple[int, int, int]]:
        """(weekday, slot) → (needs, uncovered needs, places) of one commune: its needs, the places offered in it."""
        found: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        for need in self.needs:
            if need.commune_id != commune_id:
                continue
            for slot in need.wanted:
                found[slot][0] += 1
            for slot in need.uncovered:
                found[slot][1] += 1
        for slot, count in self.places.get(commune_id, {}).items():
            found[slot][2] += count
        return {slot: tuple(values) for slot, values in found.items()}

    def grid(self, commune_id: int | None = None) -> list[GridRow]:
        """Day × hour for the territory (or one commune): the needs that want a half-hour of that hour, those of them
        uncovered in one of its half-hours, the fewest places offered in its two half-hours. Hours when nothing
        is wanted nor offered are left out."""
        needs = [n for n in self.needs if commune_id is None or n.commune_id == commune_id]
        places: Counter = Counter()
        for pk, counts in self.places.items():
            if commune_id is None or pk == commune_id:
                places.update(counts)
        rows = []
        for hour in HOURS:
            cells = []
            for weekday in patterns.WEEKDAYS:
                half_hours = {(weekday, 2 * hour), (weekday, 2 * hour + 1)}
                cells.append(
                    GridCell(
                        needs=sum(1 for n in needs if n.wanted & half_hours),
                        uncovered=sum(1 for n in needs if n.uncovered & half_hours),
                        places=min(places[s] for s in half_hours),
                    )
                )
            if any(c.needs or c.places for c in cells):
                rows.append(GridRow(f"{hour}\u00a0h – {hour + 1}\u00a0h", cells))
        return rows

    def csv_rows(self) -> list[list]:
        """One row per commune × weekday × half-hour; counts of needs under the minimum as « moins de 3 »."""
        out = [
            [
                "date",
                "code INSEE",
                "commune",
                "jour",
                "demi-heure",
                "besoins",
                "besoins non couverts",
                "places offertes",
            ]
        ]
        for commune in self.communes:
            cells = self.cells(commune.pk)
            for weekday in patterns.WEEKDAYS:
                for slot in range(law.SLOTS_PER_DAY):
                    needs, uncovered, places = cells.get((weekday, slot), (0, 0, 0))
                    out.append(
                        [
                            self.on.isoformat(),
                            commune.insee_code,
                            commune.name,
                            french.WEEKDAYS[weekday],
                            f"{slot // 2:02d}:{30 * (slot % 2):02d}-{(slot + 1) // 2:02d}:{30 * ((slot + 1) % 2):02d}",
                            shown(needs, for_machine=True),
                            shown(uncovered, for_machine=True),
                            places,
                        ]
                    )
        return out

    def feature_collection(self) -> str:
        """The communes as GeoJSON for the map: their boundary (or centre), their band and what the table says."""
        return communes_feature_collection(
            (
                row.commune,
                {
                    "code_insee": row.commune.insee_code,
                    "nom": row.commune.name,
                    "besoins": row.needs_shown,
                    "non_couvertes": row.uncovered_half_hours,
                    "classe": row.band.key,
                    "couleur": row.band.colour,
                    "texte": row.description,
                },
            )
            for row in self.rows
        )

    def experiment(self, commune_id: int | None = None) -> dict[str, str]:
        """What a new experiment starts from (title, « si… », « alors… »): the half-hours nobody covers, where."""
        needs = [n for n in self.needs if commune_id is None or n.commune_id == commune_id]
        uncovered = frozenset().union(*(n.uncovered for n in needs))
        commune = self.commune(commune_id)
        if commune is not None:
            where = f"à {commune.name}"
        else:
            worst = [r.commune.name for r in self.rows if r.uncovered_half_hours][:5]
            where = f"à {french.join(worst)}" if worst else "sur le territoire"
        hours = patterns.label(uncovered) if uncovered else "aucune demi-heure"
        if len(hours) > EXPERIMENT_TEXT_MAX:
            hours = hours[: EXPERIMENT_TEXT_MAX - 1] + "…"
        needs_text = needs_phrase(len(needs), "besoin de garde")
        return {
            "intitule": f"Garde d'enfants en horaires décalés {where}"[:200],
            "si": (
                "Si une crèche à vocation d'insertion professionnelle (AVIP) ou une maison d'assistants maternels "
                f"aux horaires élargis accueillait des enfants {where} aux heures que personne ne couvre : {hours}"
            ),
            "alors": (
                "alors les parents aux horaires décalés trouveraient une garde dans le temps de trajet qu'ils "
                f"acceptent. Constat du {french.date(self.on)} : {needs_text}, "
                f"{french.plural(len(uncovered), 'demi-heure non couverte', 'demi-heures non couvertes')} par "
                "semaine (carte de couverture de la garde d'enfants)."
            ),
        }


def _alphabetical(name: str) -> str:
    """« Cézac » before « Crayssac »: letters without their accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


def places_of(providers, *, on: datetime.date) -> dict[int, Counter]:
    """Commune id → (weekday, slot) → places: what each active provider can still take at each half-hour."""
    found: dict[int, Counter] = defaultdict(Counter)
    agreed = int(law.limit("agrement_max", on).value)
    for provider in providers:
        kept: Counter = Counter()
        for child in provider.kept.all():
            if child.first_date <= on and (child.last_date is None or child.last_date >= on):
                if provider.is_childminder and child.own:
                    continue
                kept.update(patterns.slots_of(child.schedule))
        capacity = min(provider.capacity, agreed) if provider.is_childminder else provider.capacity
        for slot in patterns.slots_of(provider.opening):
            free = capacity - kept[slot]
            if free > 0:
                found[provider.commune_id][slot] += free
    return found


def compute(territory, *, on: datetime.date, travel: Callable[[int, int], int | None] | None = None) -> Coverage:
    """The coverage of the territory on ``on``: its open needs, the places its active providers offer, who is
    covered within reach (``travel``: minutes between two communes, the bus planner's estimate by default)."""
    travel = travel or services.travel_minutes(territory)
    communes = sorted(
        Commune.objects.filter(territories=territory).only("pk", "insee_code", "name", "latitude", "longitude"),
        key=lambda c: _alphabetical(c.name),
    )
    providers = Provider.objects.filter(territory=territory, is_active=True).prefetch_related("kept")
    places = places_of(providers, on=on)
    offered = {pk: frozenset(slot for slot, count in counts.items() if count > 0) for pk, counts in places.items()}
    needs = []
    open_needs = Need.objects.filter(
        territory=territory, status__in=OPEN_STATUSES, start_date__lte=on + HORIZON
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    for commune_id, schedule, max_travel in open_needs.values_list("commune_id", "schedule", "max_travel_minutes"):
        wanted = patterns.slots_of(schedule)
        within_reach: set = set()
        for pk, slots in offered.items():
            minutes = 0 if pk == commune_id else travel(commune_id, pk)
            if minutes is not None and minutes <= max_travel:
                within_reach |= slots
        needs.append(NeedCover(commune_id, wanted, frozenset(wanted - within_reach)))
    coverage = Coverage(territory=territory, on=on, communes=communes, needs=needs, places=places)
    for commune in communes:
        own = [n for n in needs if n.commune_id == commune.pk]
        uncovered = len(frozenset().union(*(n.uncovered for n in own)))
        coverage.rows.append(
            CommuneRow(
                commune=commune,
                needs=len(own),
                uncovered_half_hours=uncovered,
                offered_half_hours=len(offered.get(commune.pk, ())),
                band=band_of(len(own), uncovered),
            )
        )
    coverage.rows.sort(key=lambda r: (-r.uncovered_half_hours, -r.needs, _alphabetical(r.commune.name)))
    return coverage
