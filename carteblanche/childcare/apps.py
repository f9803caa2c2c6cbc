from django.apps import AppConfig


class ChildcareConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carteblanche.childcare"
    verbose_name = "Garde d'enfants"
