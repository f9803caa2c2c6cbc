from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "carteblanche.territories"
    verbose_name = "Territoires"
