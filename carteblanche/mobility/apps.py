from django.apps import AppConfig


class MobilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carteblanche.mobility"
    verbose_name = "Mobilité : bus itinérant et transport solidaire"
