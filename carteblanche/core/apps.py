from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carteblanche.core"
    verbose_name = "Socle"
