from django.apps import AppConfig


class ExplorationConfig(AppConfig):
    name = "carteblanche.exploration"
    verbose_name = "Exploration"

    def ready(self):
        from carteblanche.operations.signals import operation_created

        from .services import seed_operation

        operation_created.connect(seed_operation, dispatch_uid="exploration.seed_operation")
