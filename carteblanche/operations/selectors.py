"""What the operation's pages read, through the relations each phase's models hang on the operation."""

from django.db.models import Count

from carteblanche.exploration.enums import IrritantStatus


def operation_figures(operation) -> dict:
    """The figures of the operation's page and of its public page: field work, what was heard, what is at trial."""
    irritants = operation.irritants.visible()
    return {
        "visits": operation.visits.count(),
        "excerpts": operation.visits.aggregate(n=Count("excerpts"))["n"] or 0,
        "irritants": irritants.count(),
        "from_residents": irritants.filter(source__in=["usager", "guichet"]).count(),
        "addressed": irritants.filter(status=IrritantStatus.ADDRESSED).count(),
        "themes": operation.themes.count(),
    }
