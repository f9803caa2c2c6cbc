from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carteblanche.core"
    verbose_name = "Socle"

    def ready(self):
        from . import forms_guard

        forms_guard.install()
