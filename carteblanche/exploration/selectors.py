"""Read side of the exploration pages, and the theme review actions."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Avg, Count, Max, Q, Sum

from carteblanche.core.french import plural
from carteblanche.territories.models import Commune

from . import services
from .enums import IrritantStatus
from .models import Code, Excerpt, Irritant, Theme

# --- Codebook ---------------------------------------------------------------------------------------


@dataclass
class CodeNode:
    code: Code
    depth: int
    count: int  # excerpts tagged with this code
    total: int  # with its sub-codes


def codebook(operation) -> list[CodeNode]:
    """The codebook as an indented list, parents first, with counts per code and per branch."""
    codes = list(Code.objects.filter(operation=operation).annotate(n=Count("excerpts")))
    children: dict = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    nodes: list[CodeNode] = []

    def walk(parent_id, depth):
        total = 0
        for code in sorted(children.get(parent_id, []), key=lambda c: c.name.lower()):
            node = CodeNode(code, depth, code.n, code.n)
            nodes.append(node)
            node.total += walk(code.pk, depth + 1)
            total += node.total
        return total

    walk(None, 0)
    return nodes


def locate_passage(notes: str, passage: str, start_hint) -> int:
    """Where a passage sits in the notes: at the offset the browser gave, or its only occurrence."""
    notes = notes.replace("\r\n", "\n")
    if not passage.strip():
        raise services.ServiceError("Sélectionnez (ou collez) un passage des notes.")
    try:
        start = int(start_hint)
    except (TypeError, ValueError):
        start = None
    if start is not None and notes[start : start + len(passage)] == passage:
        return start
    first = notes.find(passage)
    if first < 0:
        raise services.ServiceError("Ce passage ne figure pas tel quel dans les notes.")
    if notes.find(passage, first + 1) >= 0:
        raise services.ServiceError("Ce passage figure plusieurs fois dans les notes : sélectionnez-en un plus long.")
    return first


def highlighted_segments(notes: str, excerpts) -> list[dict]:
    """Split the notes at every excerpt boundary: each piece knows which excerpts cover it."""
    notes = notes.replace("\r\n", "\n")
    cuts = sorted({0, len(notes), *(e.start for e in excerpts), *(e.end for e in excerpts)})
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        covering = [e.pk for e in excerpts if e.start <= start and end <= e.end]
        segments.append({"text": notes[start:end], "excerpts": covering})
    return segments


def coded_excerpts(operation, code_id=None):
    excerpts = (
        Excerpt.objects.filter(visit__operation=operation)
        .select_related("visit__site__commune", "visit__commune", "created_by")
        .prefetch_related("codes__parent", "evidence__irritant")
        .order_by("visit__date", "visit_id", "start")
    )
    if code_id:
        try:
            code = Code.objects.get(operation=operation, pk=int(code_id))
        except (ValueError, Code.DoesNotExist):
            return excerpts.none()
        branch = [code.pk]
        frontier = [code.pk]
        while frontier:
            frontier = list(Code.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            branch += frontier
        excerpts = excerpts.filter(codes__in=branch).distinct()
    return excerpts


# --- Irritant list ----------------------------------------------------------------------------------


@dataclass
class IrritantFilters:
    q: str = ""
    status: str = ""
    source: str = ""
    severity: int | None = None
    theme: str = ""
    commune: int | None = None
    group: int | None = None
    duplicates: bool = False

    @classmethod
    def from_query(cls, query) -> "IrritantFilters":
        def as_int(name):
            try:
                return int(query.get(name, ""))
            except ValueError:
                return None

        return cls(
            q=query.get("q", "").strip()[:200],
            status=query.get("statut", ""),
            source=query.get("origine", ""),
            severity=as_int("gravite"),
            theme=query.get("theme", ""),
            commune=as_int("commune"),
            group=as_int("public"),
            duplicates=query.get("doublons") == "1",
        )

    def querystring(self) -> str:
        pairs = {
            "q": self.q,
            "statut": self.status,
            "origine": self.source,
            "gravite": self.severity or "",
            "theme": self.theme,
            "commune": self.commune or "",
            "public": self.group or "",
            "doublons": "1" if self.duplicates else "",
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def irritants(operation, filters: IrritantFilters):
    queryset = Irritant.objects.filter(operation=operation).select_related("theme")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    else:
        queryset = queryset.exclude(status=IrritantStatus.MERGED)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.severity:
        queryset = queryset.filter(severity__gte=filters.severity)
    if filters.theme == "aucun":
        queryset = queryset.filter(theme__isnull=True)
    elif filters.theme.isdigit():
        queryset = queryset.filter(theme_id=int(filters.theme))
    if filters.commune:
        queryset = queryset.filter(communes=filters.commune)
    if filters.group:
        queryset = queryset.filter(affected_groups=filters.group)
    if filters.duplicates:
        queryset = queryset.filter(possible_duplicate_of__isnull=False)
    if filters.q:
        queryset = queryset.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    return queryset.only(
        "pk",
        "title",
        "status",
        "source",
        "severity",
        "frequency",
        "evidence_count",
        "created_at",
        "category",
        "captured_on_behalf",
        "possible_duplicate_of_id",
        "theme__name",
        "theme__auto_label",
        "theme__id",
        "operation_id",
    ).order_by("-created_at", "-pk")


# --- Themes -----------------------------------------------------------------------------------------


def themes_with_figures(operation):
    return (
        Theme.objects.filter(operation=operation)
        .annotate(
            size=Count("irritants", filter=~Q(irritants__status=IrritantStatus.MERGED)),
            evidence=Sum("irritants__evidence_count", filter=~Q(irritants__status=IrritantStatus.MERGED)),
        )
        .order_by("-size", "pk")
    )


def priority_rows(operation) -> list[dict]:
    """Themes by the people they touch: population of the communes named, counts, severity, frequency."""
    rows = []
    themes = themes_with_figures(operation).annotate(
        mean_severity=Avg("irritants__severity", filter=~Q(irritants__status=IrritantStatus.MERGED)),
        max_frequency=Max("irritants__frequency", filter=~Q(irritants__status=IrritantStatus.MERGED)),
    )
    for theme in themes:
        communes = Commune.objects.filter(irritants__in=theme.irritants.visible()).distinct()
        figures = communes.aggregate(population=Sum("population"), count=Count("pk"))
        rows.append(
            {
                "theme": theme,
                "size": theme.size,
                "evidence": theme.evidence or 0,
                "communes": figures["count"] or 0,
                "population": figures["population"] or 0,
                "severity": theme.mean_severity,
                "frequency": theme.max_frequency,
            }
        )
    rows.sort(key=lambda r: (-r["population"], -r["size"]))
    return rows


@dataclass
class ActionResult:
    message: str
    redirect_to: object
    moved: list[int] = field(default_factory=list)


@transaction.atomic
def apply_theme_action(theme: Theme, data, *, actor) -> ActionResult:
    """The team's review of a suggested theme: rename, merge into another, split off or move irritants.
    Every decision marks the theme as reviewed and pins the irritants moved, so a new analysis keeps them."""
    from .themes import refresh_theme_descriptions

    action = data.get("action")
    operation = theme.operation
    if action == "rename":
        name = data.get("name", "").strip()
        if not name:
            raise services.ServiceError("Donnez un nom au thème.")
        theme.name = name[:200]
        theme.reviewed = True
        theme.save(update_fields=["name", "reviewed"])
        return ActionResult(f"Thème renommé « {theme.name} ».", theme.get_absolute_url())
    if action == "merge":
        target = _other_theme(theme, data.get("target"))
        if target is None:
            raise services.ServiceError("Choisissez le thème dans lequel fusionner celui-ci.")
        moved = list(theme.irritants.values_list("pk", flat=True))
        Irritant.objects.filter(pk__in=moved).update(theme=target, theme_locked=True)
        _record_theme_moves(moved, target, actor, f"Thème « {theme.label} » fusionné dans « {target.label} »")
        target.reviewed = True
        target.save(update_fields=["reviewed"])
        label = theme.label
        theme.delete()
        refresh_theme_descriptions(operation)
        return ActionResult(f"« {label} » fusionné dans « {target.label} ».", target.get_absolute_url(), moved)
    numbers = [n for n in (as_int(v) for v in data.getlist("irritants")) if n]
    chosen = list(
        Irritant.objects.filter(operation=operation, theme=theme, pk__in=numbers).values_list("pk", flat=True)
    )
    if not chosen:
        raise services.ServiceError("Cochez au moins un irritant.")
    if action == "split":
        name = data.get("name", "").strip()
        if not name:
            raise services.ServiceError("Donnez un nom au nouveau thème.")
        target = Theme.objects.create(operation=operation, name=name[:200], reviewed=True)
    elif action == "move":
        target = _other_theme(theme, data.get("target"))
        if target is None:
            raise services.ServiceError("Choisissez le thème où déplacer les irritants.")
    else:
        raise services.ServiceError("Action inconnue.")
    Irritant.objects.filter(pk__in=chosen).update(theme=target, theme_locked=True)
    _record_theme_moves(chosen, target, actor, f"Placé par l'équipe dans le thème « {target.label} »")
    theme.reviewed = True
    theme.save(update_fields=["reviewed"])
    target.reviewed = True
    target.save(update_fields=["reviewed"])
    refresh_theme_descriptions(operation)
    moved = plural(len(chosen), "irritant détaché" if action == "split" else "irritant déplacé")
    where = "dans le nouveau thème" if action == "split" else "vers"
    return ActionResult(f"{moved} {where} « {target.label} ».", theme.get_absolute_url(), chosen)


def as_int(value) -> int | None:
    """A number typed or sent by someone (« 12 », « n° 12 »): None rather than an error when it is not one."""
    try:
        number = int(str(value).strip().removeprefix("n°").strip())
    except (TypeError, ValueError):
        return None
    return number if abs(number) < 2**63 else None  # no database holds more: « not one » too


def _other_theme(theme: Theme, value) -> Theme | None:
    number = as_int(value)
    if number is None:
        return None
    return Theme.objects.filter(operation=theme.operation_id, pk=number).exclude(pk=theme.pk).first()


def _record_theme_moves(pks: list[int], target: Theme, actor, message: str) -> None:
    from .enums import IrritantEventKind
    from .models import IrritantEvent

    label = actor.email if actor is not None and actor.is_authenticated else ""
    IrritantEvent.objects.bulk_create(
        IrritantEvent(
            irritant_id=pk,
            kind=IrritantEventKind.THEME,
            actor=actor if label else None,
            actor_label=label,
            message=message[:300],
            changes={"theme": target.pk},
        )
        for pk in pks
    )
