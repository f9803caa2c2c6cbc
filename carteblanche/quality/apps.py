from django.apps import AppConfig


class QualityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carteblanche.quality"
    verbose_name = "Qualité de service"

    def ready(self):
        from carteblanche.core import public_cache

        from . import models, signals

        signals.connect_results()

        # What the team changes shows at once; what residents and agents add (answers, visits, calls) within
        # ten minutes: recounting 100,000 answers at each new one would cost every reader.
        public_cache.depends_on("quality", models.Structure, models.Experience)
        public_cache.set_timeout("quality", 10 * 60)
