from django.db import models


class Role(models.TextChoices):
    PROJECT_TEAM = "equipe_projet", "Équipe projet"
    PREFECTURE = "prefecture", "Préfecture"
    AGENT = "agent", "Agent"
    JURY = "jury", "Jury"
