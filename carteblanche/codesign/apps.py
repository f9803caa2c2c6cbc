from django.apps import AppConfig


class CodesignConfig(AppConfig):
    name = "carteblanche.codesign"
    verbose_name = "Co-construction"

    def ready(self):
        from carteblanche.core import public_cache
        from carteblanche.exploration.models import PriorityExpectation, Theme
        from carteblanche.operations.models import Operation, Phase

        from . import models

        # An operation's public page: what the team writes and publishes follows each change; the figures counted
        # from residents' input (irritants heard, visits, excerpts) are at most five minutes old.
        public_cache.depends_on(
            "operation",
            Operation,
            Phase,
            Theme,
            PriorityExpectation,
            models.Persona,
            models.Experiment,
            models.Indicator,
            models.Measurement,
            models.Derogation,
        )
        public_cache.set_timeout("operation", 5 * 60)
