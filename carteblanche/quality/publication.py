"""What the public pages show: a territory's and a structure's indicators with their trend by quarter, the
engagements applied, the experiences and their replies; the A4 poster with the questionnaire's QR code."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import french
from carteblanche.core.pdf import html_to_pdf
from carteblanche.core.qr import qr_data_uri

from . import indicators, selectors
from .enums import Engagement, ExperienceStatus
from .models import Experience, Structure

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 240, 64, 12, 16, 72
# Indicators a page shows, in order; a structure without visits or calls simply shows « pas encore de données ».
SHOWN = [
    "satisfaction",
    "clarte",
    "joignabilite",
    "qualite_aide",
    "attente",
    "resolution",
    "delais",
    "appels",
    "rendez_vous",
    "lapins",
    "premier_creneau",
]


def trend_chart(result: selectors.Results, code: str) -> dict | None:
    """An SVG bar chart by quarter (no script): a plain bar from the minimum number of observations on, the 95 %
    interval as a whisker and a hollow marker below it, nothing for a quarter without data; each bar labelled."""
    rows = result.trend(code)
    if not any(row["indicator"].n for row in rows):
        return None
    kind = rows[0]["indicator"].kind
    if kind == "share":
        top = 1.0
    else:
        highs = [row["indicator"].interval[1] for row in rows if row["indicator"].n and not row["indicator"].enough]
        highs += [row["indicator"].value or 0 for row in rows if row["indicator"].n]
        top = max(max(highs), 1) * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(rows)

    def y(value):
        return round(TOP + plot_h * (1 - min(float(value), top) / top), 1)

    bars = []
    for i, row in enumerate(rows):
        indicator = row["indicator"]
        x = round(LEFT + step * i + step * 0.2, 1)
        bar = {
            "x": x,
            "centre": round(x + step * 0.3, 1),
            "width": round(step * 0.6, 1),
            "label": row["quarter"].split(" ")[0],
            "year": row["start"].year,
            "n": indicator.n,
            "text": f"{row['quarter']} : {indicator.shown} ({indicator.count_label})",
        }
        if indicator.n and indicator.value is not None:
            bar["y"] = y(indicator.value)
            bar["height"] = round(TOP + plot_h - bar["y"], 1)
            bar["enough"] = indicator.enough or indicator.kind == "count"
            if not bar["enough"] and indicator.interval:
                low, high = indicator.interval
                bar["low"], bar["high"] = y(low), y(high)
        bars.append(bar)
    ticks = [0, 0.5, 1] if kind == "share" else [0, top / 2, top]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "baseline": TOP + plot_h,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "ticks": [
            {
                "y": y(t),
                "label": french.number(t * 100, 0, "%") if kind == "share" else french.number(t, 0),
            }
            for t in ticks
        ],
        "count_y": HEIGHT - 6,
        "year_y": HEIGHT - 28,
        "label_y": HEIGHT - 50,
    }


def indicator_rows(result: selectors.Results) -> list[dict]:
    return [
        {"indicator": result.current[code], "chart": trend_chart(result, code), "code": code}
        for code in SHOWN
        if result.current[code].n or any(q[code].n for q in result.by_quarter.values())
    ]


def _experiences(structures, limit=20):
    return (
        Experience.objects.filter(structure__in=structures, status=ExperienceStatus.PUBLISHED)
        .select_related("structure")
        .order_by("-told_at")[:limit]
    )


def _common(territory, today):
    return {
        "territory": territory,
        "minimum": indicators.minimum(),
        "today": today,
    }


def territory_page(territory) -> dict:
    today = timezone.localdate()
    rows, total = selectors.territory_results(territory, today=today)
    return {
        **_common(territory, today),
        "title": f"Qualité des services publics — {territory.name}",
        "period": total.period,
        "indicators": indicator_rows(total),
        "structures": [
            {"structure": s, "satisfaction": r.current["satisfaction"], "attente": r.current["attente"]}
            for s, r in rows
        ],
        "experiences": _experiences([s for s, _ in rows], limit=10),
        "breadcrumb_data": {"links": [], "current": "Qualité des services publics"},
    }


def structure_page(structure: Structure) -> dict:
    today = timezone.localdate()
    result = selectors.results_for([structure], today=today)[structure.pk]
    experiences = list(_experiences([structure]))
    replied = [e.reply_days for e in experiences if e.reply_days is not None]
    return {
        **_common(structure.territory, today),
        "title": f"{structure.name} : qualité de service",
        "structure": structure,
        "period": result.period,
        "indicators": indicator_rows(result),
        "channels": selectors.by_channel(structure, today=today),
        "engagements": [Engagement(code).label for code in structure.engagements if code in Engagement.values],
        "experiences": experiences,
        "reply_days": result.current["reponse_experiences"],
        "replied": len(replied),
        "breadcrumb_data": {
            "links": [
                {
                    "url": reverse("quality:public_territory", args=[structure.territory.slug]),
                    "title": "Qualité des services publics",
                }
            ],
            "current": structure.name,
        },
    }


def answer_url(structure: Structure, request=None) -> str:
    path = reverse("quality:answer", args=[structure.public_code])
    return request.build_absolute_uri(path) if request else settings.PLATFORM_URL.rstrip("/") + path


def poster_pdf(request, structure: Structure, today: datetime.date | None = None) -> bytes:
    """An A4 poster for the counter's wall: the question, a large QR code to the questionnaire, its short address,
    and the address of the published results."""
    url = answer_url(structure, request)
    results = request.build_absolute_uri(structure.get_public_url())
    html = render_to_string(
        "quality/poster.html",
        {"structure": structure, "url": url, "results_url": results, "qr": qr_data_uri(url, scale=10)},
    )
    return html_to_pdf(html)
