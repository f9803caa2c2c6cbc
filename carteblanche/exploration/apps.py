from django.apps import AppConfig


class ExplorationConfig(AppConfig):
    name = "carteblanche.exploration"
    verbose_name = "Exploration"
