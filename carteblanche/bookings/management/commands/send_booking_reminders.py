from django.core.management.base import BaseCommand

from carteblanche.bookings import services
from carteblanche.core.french import plural


class Command(BaseCommand):
    help = "Envoie les rappels de rendez-vous dus (deux jours et deux heures avant), une fois chacun (cron : 10 min)."

    def handle(self, *args, **options):
        sent = services.send_reminders()
        self.stdout.write(f"{plural(sent, 'rappel envoyé')}.")
