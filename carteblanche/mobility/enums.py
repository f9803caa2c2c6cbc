from django.db import models


class Frequency(models.TextChoices):
    WEEKLY = "hebdomadaire", "Chaque semaine"
    FORTNIGHTLY = "quinzaine", "Une semaine sur deux"


class PlanStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    PUBLISHED = "publie", "Publié"
    ARCHIVED = "archive", "Remplacé"


class MatrixSource(models.TextChoices):
    ESTIMATE = "estimation", "Estimation (vol d'oiseau × facteur routier)"
    ROAD = "routier", "Temps routiers importés"


class RoutingEngine(models.TextChoices):
    OSRM = "osrm", "OSRM (service « table »)"
    VALHALLA = "valhalla", "Valhalla (« sources_to_targets »)"


# The ten half-days a stop may be allowed on: (code, weekday, afternoon?).
HALF_DAYS = [(f"{day}-{half}", day, half == "pm") for day in range(5) for half in ("am", "pm")]
WEEKDAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
HALF_DAY_CHOICES = [
    (code, f"{WEEKDAY_NAMES[day].capitalize()} {'après-midi' if pm else 'matin'}") for code, day, pm in HALF_DAYS
]
