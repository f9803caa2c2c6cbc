from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "carteblanche.audit"
    verbose_name = "Journal"
