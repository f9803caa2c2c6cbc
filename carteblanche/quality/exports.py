"""Exports in the shapes Services Publics + publishes: results (structure, indicator code and label, value,
frequency, update date) and experiences (status, date, feeling, description, reply); CSV and JSON for anyone
(open data), an ODS for the prefecture. Values below the minimum of answers are empty, their interval given."""

import datetime
import io
import json

from carteblanche.core import french, spreadsheets

from . import indicators, publication, selectors
from .enums import ExperienceStatus
from .models import Experience, Structure

SHAPES = ("resultats", "experiences")
RESULT_COLUMNS = [
    "structure",
    "identifiant_structure",
    "code_indicateur",
    "indicateur",
    "valeur",
    "unite",
    "nombre_observations",
    "intervalle_bas",
    "intervalle_haut",
    "periode_debut",
    "periode_fin",
    "frequence",
    "methode",
    "date_mise_a_jour",
]
EXPERIENCE_COLUMNS = [
    "structure",
    "identifiant_structure",
    "statut",
    "date",
    "ressenti",
    "description",
    "reponse",
    "date_reponse",
    "delai_reponse_jours",
]
WHOLE = "Ensemble du territoire"


def _unit(indicator: indicators.Indicator) -> str:
    return {"share": "%", "median": indicator.unit, "count": "nombre"}[indicator.kind]


def _bound(indicator: indicators.Indicator, i: int):
    if indicator.kind == "count" or indicator.enough or not indicator.interval:
        return None
    value = indicator.interval[i]
    return round(value * 100, 1) if indicator.kind == "share" else value


def _result_rows(name, code, result: selectors.Results, today) -> list[list]:
    rows = []
    for start in result.quarters:
        values = result.by_quarter.get(start)
        if values is None:
            continue
        end = min(selectors.shift_quarter(start, 1) - datetime.timedelta(days=1), today)
        for key in publication.SHOWN:
            indicator = values[key]
            if not indicator.n:
                continue
            rows.append(
                [
                    name,
                    code,
                    key,
                    indicator.label,
                    indicator.machine_value,
                    _unit(indicator),
                    indicator.n,
                    _bound(indicator, 0),
                    _bound(indicator, 1),
                    start,
                    end,
                    "trimestrielle",
                    indicator.method,
                    today,
                ]
            )
    return rows


def results(territory, *, today: datetime.date) -> list[list]:
    rows, total = selectors.territory_results(territory, today=today)
    found = _result_rows(WHOLE, territory.slug, total, today)
    for structure, result in rows:
        found += _result_rows(structure.name, structure.public_code, result, today)
    return found


def experiences(territory, *, internal: bool = False) -> list[list]:
    found = Experience.objects.filter(structure__territory=territory).select_related("structure").order_by("told_at")
    if not internal:
        found = found.filter(status=ExperienceStatus.PUBLISHED, structure__is_published=True)
    rows = []
    for item in found:
        status = "répondue" if item.replied_at else item.get_status_display().lower()
        rows.append(
            [
                item.structure.name,
                item.structure.public_code,
                status,
                item.told_at.date(),
                item.get_feeling_display().lower(),
                item.published_text,
                item.reply,
                item.replied_at.date() if item.replied_at else None,
                item.reply_days,
            ]
        )
    return rows


def _machine(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def render(territory, *, what: str, fmt: str, today: datetime.date) -> tuple[bytes | str, str]:
    columns, rows = (
        (RESULT_COLUMNS, results(territory, today=today))
        if what == "resultats"
        else (EXPERIENCE_COLUMNS, experiences(territory))
    )
    if fmt == "json":
        payload = {
            "territoire": territory.name,
            "date_mise_a_jour": today.isoformat(),
            "minimum_observations": indicators.minimum(),
            "lignes": [dict(zip(columns, [_machine(v) for v in row], strict=True)) for row in rows],
        }
        return json.dumps(payload, ensure_ascii=False, indent=1), "application/json; charset=utf-8"
    buffer = io.StringIO()
    writer = spreadsheets.writer(buffer, delimiter=";")
    writer.writerow(columns)
    writer.writerows([[("" if v is None else _machine(v)) for v in row] for row in rows])
    return buffer.getvalue(), "text/csv; charset=utf-8"


def ods(territory, *, today: datetime.date) -> bytes:
    """The prefecture's file: results by quarter, the experiences (all, with their state), the structures."""
    structures = Structure.objects.filter(territory=territory)
    return spreadsheets.ods(
        {
            "Résultats": (RESULT_COLUMNS, results(territory, today=today)),
            "Expériences": (EXPERIENCE_COLUMNS, experiences(territory, internal=True)),
            "Structures": (
                ["structure", "nature", "résultats publiés", "délai annoncé (jours)", "engagements"],
                [
                    [s.name, s.get_kind_display(), s.is_published, s.promised_days, french.join(s.engagements)]
                    for s in structures
                ],
            ),
        }
    )
