from django.apps import AppConfig


class VigiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carteblanche.vigies"
    verbose_name = "Vigies solidaires"
