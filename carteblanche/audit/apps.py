from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "carteblanche.audit"
    verbose_name = "Journal"

    def ready(self):
        from . import guard

        guard.install()
