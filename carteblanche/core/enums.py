from django.db import models


class JobStatus(models.TextChoices):
    PENDING = "en_attente", "En attente"
    RUNNING = "en_cours", "En cours"
    SUCCEEDED = "terminee", "Terminée"
    FAILED = "echouee", "Échouée"
