from django.apps import AppConfig


class RightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carteblanche.rights"
    verbose_name = "Droits et consentements"
