from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carteblanche.bookings"
    verbose_name = "Rendez-vous"

    def ready(self):
        from . import signals

        signals.connect()
