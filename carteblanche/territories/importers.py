"""Import of the reference data: communes, their boundaries and the service sites.

Every file is read and checked in full before anything is written; one malformed row anywhere and
nothing is imported. Errors carry the file name and the line number (the header is line 1).
Rerunning an import updates rows in place: nothing is duplicated, nothing else is lost.
"""

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from carteblanche.core import french, jsondata
from carteblanche.core.french import plural

from .enums import SiteKind, TerritoryKind, Weekday
from .models import Commune, OpeningPeriod, ServiceSite, Territory

REFERENCE_DIR = Path(settings.BASE_DIR) / "data" / "reference"
COMMUNES_CSV = REFERENCE_DIR / "communes_lot.csv"
BOUNDARIES_GEOJSON = REFERENCE_DIR / "communes_lot.geojson"
SITES_CSV = REFERENCE_DIR / "service_sites_lot.csv"

DEPARTMENT_NAMES = {"46": "Lot"}
INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
HOURS_RE = re.compile(r"^(\d{1,2})[:h](\d{2})\s*-\s*(\d{1,2})[:h](\d{2})$")
WEEKDAY_COLUMNS = {
    "h_lundi": Weekday.MONDAY,
    "h_mardi": Weekday.TUESDAY,
    "h_mercredi": Weekday.WEDNESDAY,
    "h_jeudi": Weekday.THURSDAY,
    "h_vendredi": Weekday.FRIDAY,
    "h_samedi": Weekday.SATURDAY,
    "h_dimanche": Weekday.SUNDAY,
}
COMMUNE_COLUMNS = ("code_insee", "nom", "population", "latitude", "longitude")
SITE_COLUMNS = ("site_id", "nom", "code_insee", "latitude", "longitude")


@dataclass
class RowError:
    source: str
    line: int | None
    message: str

    def __str__(self):
        where = f"{self.source}, ligne {self.line}" if self.line else self.source
        return f"{where} : {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{plural(len(errors), 'erreur')} : rien n'a été importé.")


@dataclass
class ImportReport:
    communes_created: int = 0
    communes_updated: int = 0
    boundaries: int = 0
    sites_created: int = 0
    sites_updated: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "communes_creees": self.communes_created,
            "communes_mises_a_jour": self.communes_updated,
            "contours": self.boundaries,
            "sites_crees": self.sites_created,
            "sites_mis_a_jour": self.sites_updated,
        }


def _read_csv(raw: str | bytes, source: str, required: tuple[str, ...], errors: list[RowError]):
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            errors.append(RowError(source, None, "le fichier n'est pas encodé en UTF-8."))
            return []
    reader = csv.DictReader(io.StringIO(raw.lstrip("\ufeff")))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        errors.append(
            RowError(
                source, 1, f"{plural(len(missing), 'colonne manquante', show_count=False)} : {', '.join(missing)}."
            )
        )
        return []
    rows = []
    for row in reader:
        if None in row:
            errors.append(RowError(source, reader.line_num, "trop de valeurs sur la ligne."))
            continue
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    return rows


def _float_in(value: str, low: float, high: float) -> float | None:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None
    return number if low <= number <= high else None


def _check_lengths(model, values: dict, problems: list[str]) -> None:
    """Values longer than their column would fail on PostgreSQL and be cut silently on SQLite: refuse them."""
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except Exception:  # keys that are not model fields (insee_code of a site, hours)
            continue
        if isinstance(value, str) and field.max_length and len(value) > field.max_length:
            problems.append(f"{field.verbose_name} trop long ({len(value)} caractères, {field.max_length} au plus)")


def _coordinates(row: dict, problems: list[str]) -> tuple[float | None, float | None]:
    latitude = _float_in(row["latitude"], -90, 90)
    longitude = _float_in(row["longitude"], -180, 180)
    if latitude is None:
        problems.append(f"latitude « {row['latitude']} » invalide")
    if longitude is None:
        problems.append(f"longitude « {row['longitude']} » invalide")
    return latitude, longitude


def parse_communes(raw, source="communes", errors=None) -> list[dict]:
    errors = errors if errors is not None else []
    parsed, seen = [], set()
    for line, row in _read_csv(raw, source, COMMUNE_COLUMNS, errors):
        problems = []
        code = row["code_insee"]
        if not INSEE_RE.match(code):
            problems.append(f"code INSEE « {code} » invalide (5 caractères attendus)")
        elif code in seen:
            problems.append(f"code INSEE {code} en double")
        if not row["nom"]:
            problems.append("nom manquant")
        try:
            population = int(row["population"])
            if population < 0:
                raise ValueError
        except ValueError:
            problems.append(f"population « {row['population']} » invalide (nombre entier positif attendu)")
            population = None
        latitude, longitude = _coordinates(row, problems)
        if problems:
            errors.append(RowError(source, line, " ; ".join(problems) + "."))
            continue
        values = {
            "insee_code": code,
            "name": row["nom"],
            "population": population,
            "latitude": latitude,
            "longitude": longitude,
            "postcodes": row.get("codes_postaux", "").replace(";", ", "),
            "department_code": code[:2] if not code.startswith("97") else code[:3],
            "epci_code": row.get("code_epci", ""),
            "epci_name": row.get("nom_epci", ""),
            "living_area_code": row.get("bv2012_code", ""),
            "living_area_name": row.get("bv2012_nom", ""),
        }
        _check_lengths(Commune, values, problems)
        if problems:
            errors.append(RowError(source, line, " ; ".join(problems) + "."))
            continue
        seen.add(code)
        parsed.append(values)
    return parsed


def parse_boundaries(raw, source="contours", errors=None) -> dict[str, str]:
    """Map INSEE code to the GeoJSON text of the commune's geometry."""
    errors = errors if errors is not None else []
    try:
        data = jsondata.load(raw)
    except jsondata.UnreadableJson as exc:
        errors.append(RowError(source, exc.line, f"le fichier n'est pas un GeoJSON lisible ({exc.reason})."))
        return {}
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        errors.append(RowError(source, None, "une FeatureCollection GeoJSON est attendue."))
        return {}
    boundaries = {}
    for number, feature in enumerate(features, start=1):
        where = f"{source}, entité n° {number}"
        props = (feature or {}).get("properties") or {}
        geometry = (feature or {}).get("geometry") or {}
        code = str(props.get("code_insee") or props.get("code") or "")
        if not INSEE_RE.match(code):
            errors.append(RowError(where, None, f"code INSEE « {code} » manquant ou invalide."))
            continue
        if geometry.get("type") not in {"Polygon", "MultiPolygon"} or not geometry.get("coordinates"):
            errors.append(RowError(where, None, f"géométrie de {code} absente ou non surfacique."))
            continue
        boundaries[code] = json.dumps(geometry, separators=(",", ":"))
    return boundaries


def parse_hours(value: str) -> list[tuple[datetime.time, datetime.time]] | None:
    """« 09:00 - 12:00 / 14:00 - 17:15 » → periods; None when malformed; [] when closed."""
    if not value or value.lower() in {"fermé", "ferme"}:
        return []
    periods = []
    for chunk in value.split("/"):
        match = HOURS_RE.match(chunk.strip())
        if not match:
            return None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            opens, closes = datetime.time(h1, m1), datetime.time(h2, m2)
        except ValueError:
            return None
        if opens >= closes:
            return None
        periods.append((opens, closes))
    return periods


def parse_sites(raw, known_communes: set[str] | dict, source="sites", errors=None) -> list[dict]:
    """``known_communes`` maps each INSEE code to its commune (or anything with ``latitude``, ``longitude`` and
    ``boundary_geojson``): a site must lie in its commune, or within half a kilometre of its boundary (a typo in
    the coordinates would otherwise put a France services on the public map in the sea)."""
    from .geo import MARGIN_KM, in_commune

    errors = errors if errors is not None else []
    parsed, seen = [], set()
    for line, row in _read_csv(raw, source, SITE_COLUMNS, errors):
        problems = []
        site_id = row["site_id"]
        if not site_id:
            problems.append("identifiant manquant")
        elif site_id in seen:
            problems.append(f"identifiant {site_id} en double")
        if not row["nom"]:
            problems.append("nom manquant")
        if row["code_insee"] not in known_communes:
            problems.append(f"commune {row['code_insee'] or '(vide)'} inconnue")
        latitude, longitude = _coordinates(row, problems)
        commune = known_communes.get(row["code_insee"]) if isinstance(known_communes, dict) else None
        placed = commune is not None and latitude is not None and longitude is not None
        if placed and not in_commune(commune, latitude, longitude):
            problems.append(
                f"coordonnées {french.number(latitude, 5)} ; {french.number(longitude, 5)} hors de la commune "
                f"{row['code_insee']} (à plus de {french.number(MARGIN_KM, 1)} km de ses limites) : vérifiez "
                "l'ordre latitude, longitude et le signe"
            )
        hours = {}
        for column, weekday in WEEKDAY_COLUMNS.items():
            periods = parse_hours(row.get(column, ""))
            if periods is None:
                problems.append(f"horaires du {weekday.label} « {row[column]} » illisibles (ex. 09:00 - 12:00)")
            else:
                hours[int(weekday)] = periods
        fmt = row.get("format_fs", "").lower()
        values = {
            "external_id": site_id,
            "kind": SiteKind.FRANCE_SERVICES
            if "france services" in row.get("categorie", "france services").lower()
            else SiteKind.OTHER,
            "name": row["nom"],
            "insee_code": row["code_insee"],
            "address": row.get("adresse", ""),
            "address_complement": row.get("complement_adresse", ""),
            "postcode": row.get("code_postal", ""),
            "latitude": latitude,
            "longitude": longitude,
            "is_mobile": "bus" in fmt or "itin" in fmt,
            "phone": row.get("telephone", ""),
            "email": row.get("mail", ""),
            "appointment_required": row.get("prise_rdv", "").lower() == "oui",
            "hours": hours,
        }
        _check_lengths(ServiceSite, values, problems)
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                problems.append(f"adresse e-mail « {values['email']} » invalide")
        if problems:
            errors.append(RowError(source, line, " ; ".join(problems) + "."))
            continue
        seen.add(site_id)
        parsed.append(values)
    return parsed


def _places(commune_rows: list[dict], boundary_map: dict[str, str]) -> dict:
    """Every commune a site may name, with where it lies: the file's values over the database's."""
    from types import SimpleNamespace

    places = {c.insee_code: c for c in Commune.objects.only("insee_code", "latitude", "longitude", "boundary_geojson")}
    for row in commune_rows:
        old = places.get(row["insee_code"])
        places[row["insee_code"]] = SimpleNamespace(
            latitude=row["latitude"],
            longitude=row["longitude"],
            boundary_geojson=boundary_map.get(row["insee_code"]) or (old.boundary_geojson if old else ""),
        )
    for code, geometry in boundary_map.items():
        if code in places and not isinstance(places[code], SimpleNamespace):
            old = places[code]
            places[code] = SimpleNamespace(latitude=old.latitude, longitude=old.longitude, boundary_geojson=geometry)
    return places


def _read(source: Path | bytes) -> bytes:
    """A file is given by its path, or directly as its content (an upload)."""
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def import_reference(
    *, communes=COMMUNES_CSV, boundaries=BOUNDARIES_GEOJSON, sites=SITES_CSV, progress=None
) -> ImportReport:
    """Check the three files, then write them in one transaction. Raises ImportFailed with every error."""
    errors: list[RowError] = []
    commune_rows = parse_communes(_read(communes), _name(communes, "communes"), errors) if communes else []
    boundary_map = parse_boundaries(_read(boundaries), _name(boundaries, "contours"), errors) if boundaries else {}
    known = _places(commune_rows, boundary_map)
    unknown = sorted(set(boundary_map) - set(known))
    if unknown:
        errors.append(RowError(_name(boundaries, "contours"), None, f"communes inconnues : {', '.join(unknown)}."))
    site_rows = parse_sites(_read(sites), known, _name(sites, "sites"), errors) if sites else []
    if errors:
        raise ImportFailed(errors)

    report = ImportReport()
    with transaction.atomic():
        _write_communes(commune_rows, boundary_map, report)
        if progress:
            progress(60, "Communes enregistrées")
        _write_sites(site_rows, report)
    return report


def _name(source, default: str) -> str:
    return Path(source).name if isinstance(source, Path) else default


def _write_communes(rows: list[dict], boundaries: dict[str, str], report: ImportReport) -> None:
    existing = {c.insee_code: c for c in Commune.objects.all()}
    to_create, to_update = [], []
    fields = [k for k in (rows[0] if rows else {}) if k != "insee_code"]
    for row in rows:
        commune = existing.get(row["insee_code"])
        if commune is None:
            to_create.append(Commune(**row, boundary_geojson=boundaries.get(row["insee_code"], "")))
        else:
            for key in fields:
                setattr(commune, key, row[key])
            to_update.append(commune)
    Commune.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Commune.objects.bulk_update(to_update, fields, batch_size=500)
    report.communes_created, report.communes_updated = len(to_create), len(to_update)
    if boundaries:
        by_code = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=boundaries)}
        for code, geometry in boundaries.items():
            by_code[code].boundary_geojson = geometry
        Commune.objects.bulk_update(by_code.values(), ["boundary_geojson"], batch_size=200)
        report.boundaries = len(by_code)


def _write_sites(rows: list[dict], report: ImportReport) -> None:
    communes = dict(Commune.objects.values_list("insee_code", "pk"))
    for row in rows:
        row = dict(row)
        hours = row.pop("hours")
        row["commune_id"] = communes[row.pop("insee_code")]
        site, created = ServiceSite.objects.update_or_create(external_id=row.pop("external_id"), defaults=row)
        if created:
            report.sites_created += 1
        else:
            report.sites_updated += 1
            site.opening_periods.all().delete()
        OpeningPeriod.objects.bulk_create(
            OpeningPeriod(site=site, weekday=weekday, opens=opens, closes=closes)
            for weekday, periods in hours.items()
            for opens, closes in periods
        )


@transaction.atomic
def build_territory(*, kind: str, code: str, name: str = "", slug: str = "") -> tuple[Territory, bool]:
    """Create or refresh a territory from a department or living-area code (2012 living areas)."""
    if kind == TerritoryKind.DEPARTMENT:
        communes = Commune.objects.filter(department_code=code)
        default_name = (
            f"Département du {DEPARTMENT_NAMES[code]}" if code in DEPARTMENT_NAMES else f"Département {code}"
        )
    elif kind == TerritoryKind.LIVING_AREA:
        communes = Commune.objects.filter(living_area_code=code)
        first = communes.exclude(living_area_name="").first()
        default_name = f"Bassin de vie de {first.living_area_name}" if first else f"Bassin de vie {code}"
    elif kind == TerritoryKind.EPCI:
        communes = Commune.objects.filter(epci_code=code)
        first = communes.exclude(epci_name="").first()
        default_name = first.epci_name if first else f"EPCI {code}"
    else:
        raise ValueError(f"Nature de territoire inconnue : {kind}")
    commune_ids = list(communes.values_list("pk", flat=True))
    if not commune_ids:
        raise ValueError(f"Aucune commune importée pour le code {code} : importez d'abord le référentiel.")
    territory = Territory.objects.filter(kind=kind, code=code).first()
    created = territory is None
    if created:
        name = name or default_name
        slug = slug or slugify(name)[:80]
        if Territory.objects.filter(slug=slug).exists():
            raise ValueError(
                f"L'identifiant « {slug} » est déjà pris par un autre territoire : choisissez un autre nom."
            )
        territory = Territory.objects.create(kind=kind, code=code, name=name, slug=slug)
    elif name or slug:
        # A rerun keeps the name and the address people already use, unless told otherwise.
        territory.name = name or territory.name
        territory.slug = slug or territory.slug
        territory.save(update_fields=["name", "slug"])
    territory.communes.set(commune_ids)
    return territory, created
