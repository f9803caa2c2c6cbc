from django.db import models


class PhaseKind(models.TextChoices):
    EXPLORATION = "exploration", "Exploration"
    CO_CONSTRUCTION = "co_construction", "Co-construction"
    EXPERIMENTATION = "experimentation", "Expérimentation"
    EVALUATION = "evaluation", "Évaluation"
    GENERALISATION = "generalisation", "Généralisation"
    OTHER = "autre", "Autre"


class PhaseStatus(models.TextChoices):
    PLANNED = "a_venir", "À venir"
    ONGOING = "en_cours", "En cours"
    DONE = "terminee", "Terminée"


# The method's phases, in order: what a new operation starts with.
DEFAULT_PHASES = (
    PhaseKind.EXPLORATION,
    PhaseKind.CO_CONSTRUCTION,
    PhaseKind.EXPERIMENTATION,
    PhaseKind.EVALUATION,
    PhaseKind.GENERALISATION,
)
