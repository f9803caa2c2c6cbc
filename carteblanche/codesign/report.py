"""The operation's report (« bilan »): the same tables as an ODS workbook, CSV files and a PDF."""

import io

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from carteblanche.core import spreadsheets
from carteblanche.core.pdf import html_to_pdf
from carteblanche.exploration.enums import IrritantStatus
from carteblanche.operations.selectors import operation_figures

# Each sheet's key (the CSV's address) and its title (the ODS tab, the PDF's heading).
TITLES = {
    "synthese": "Synthèse",
    "phases": "Phases",
    "themes": "Thèmes",
    "ateliers": "Ateliers",
    "experimentations": "Expérimentations",
    "indicateurs": "Indicateurs",
    "derogations": "Dérogations",
}


def sheets(operation) -> dict[str, tuple[list[str], list[list]]]:
    """Sheet key → (headers, rows), rows holding values (dates, numbers), formatted by whoever writes them."""
    figures = operation_figures(operation)
    summary = [
        ["Opération", operation.name],
        ["Territoire", operation.territory.name],
        ["Début", operation.start_date],
        ["Visites de terrain", figures["visits"]],
        ["Extraits codés", figures["excerpts"]],
        ["Irritants", figures["irritants"]],
        ["Irritants venus des habitants", figures["from_residents"]],
        ["Irritants traités par une solution", figures["addressed"]],
        ["Ateliers", operation.workshops.count()],
        ["Expérimentations", operation.experiments.count()],
        ["Dérogations accordées", operation.derogations.filter(status__in=["accordee", "evaluee"]).count()],
    ]
    phases = [[p.order, p.name, p.current_status_label, p.start_date, p.end_date] for p in operation.phases.all()]
    themes = [
        [t.label, t.size, ", ".join(t.top_terms or [])]
        for t in operation.themes.annotate(
            size=Count("irritants", filter=~Q(irritants__status=IrritantStatus.MERGED))
        ).order_by("-size")
    ]
    workshops = [
        [
            w.title,
            w.date,
            w.place,
            w.get_status_display(),
            w.participants.count(),
            w.ideas.count(),
            w.ideas.filter(kept=True).count(),
        ]
        for w in operation.workshops.all()
    ]
    experiments, indicators = [], []
    for e in operation.experiments.prefetch_related("indicators__measurements"):
        experiments.append(
            [
                e.title,
                e.get_stage_display(),
                e.hypothesis_if,
                e.hypothesis_then,
                e.get_decision_display() if e.decision else "",
                e.decision_reasons,
            ]
        )
        for i in e.indicators.all():
            latest = i.latest
            indicators.append(
                [
                    e.title,
                    i.name,
                    i.unit,
                    i.baseline,
                    i.target,
                    latest.value if latest else "",
                    latest.date if latest else "",
                    {True: "oui", False: "non", None: ""}[i.reached()],
                ]
            )
    derogations = [
        [
            d.rule_reference,
            d.get_domain_display(),
            d.experiment.title,
            d.get_status_display(),
            d.duration_months,
            d.arrete_reference,
            d.decided_at.date() if d.decided_at else "",
        ]
        for d in operation.derogations.select_related("experiment")
    ]
    return {
        "synthese": (["Rubrique", "Valeur"], summary),
        "phases": (["Ordre", "Phase", "État", "Début", "Fin"], phases),
        "themes": (["Thème", "Irritants", "Mots caractéristiques"], themes),
        "ateliers": (["Atelier", "Date", "Lieu", "État", "Participants", "Idées", "Idées retenues"], workshops),
        "experimentations": (["Expérimentation", "Étape", "Si…", "Alors…", "Décision", "Raisons"], experiments),
        "indicateurs": (
            ["Expérimentation", "Indicateur", "Unité", "Départ", "Cible", "Dernière mesure", "Date", "Cible atteinte"],
            indicators,
        ),
        "derogations": (
            ["Règle", "Domaine", "Expérimentation", "État", "Durée (mois)", "Arrêté", "Décidée le"],
            derogations,
        ),
    }


def _machine_text(value) -> str:
    """A CSV cell, for software: ISO dates, points."""
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def as_csv(operation, sheet: str) -> str:
    headers, rows = sheets(operation)[sheet]
    buffer = io.StringIO()
    writer = spreadsheets.writer(buffer)
    writer.writerow(headers)
    writer.writerows([[_machine_text(v) for v in row] for row in rows])
    return buffer.getvalue()


def as_ods(operation) -> bytes:
    return spreadsheets.ods({TITLES[name]: sheet for name, sheet in sheets(operation).items()})


def pdf_html(operation) -> str:
    return render_to_string(
        "codesign/report_pdf.html",
        {
            "operation": operation,
            "sheets": [(TITLES[name], sheet) for name, sheet in sheets(operation).items()],
            "generated": timezone.localtime(),
        },
    )


def as_pdf(operation, request=None) -> bytes:
    return html_to_pdf(pdf_html(operation), base_url=request.build_absolute_uri("/") if request else None)
