from django.apps import AppConfig


class MobilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carteblanche.mobility"
    verbose_name = "Mobilité : bus itinérant et transport solidaire"

    def ready(self):
        from carteblanche.core import public_cache
        from carteblanche.territories.models import Commune, OpeningPeriod, ServiceSite, Territory

        from . import models

        # The residents' pages of the bus (timetable, communes, calendars, posters, map) read these rows only.
        public_cache.depends_on(
            "bus",
            models.TourSettings,
            models.Bus,
            models.Shift,
            models.CandidateStop,
            models.TourPlan,
            models.PlannedVisit,
            models.HitchhikingStop,
            Commune,
            Territory,
            ServiceSite,
            OpeningPeriod,
        )
