from django.core.management.base import BaseCommand

from carteblanche.core.french import plural
from carteblanche.mobility import rides


class Command(BaseCommand):
    help = "Envoie le rappel de la veille aux passagers et chauffeurs des trajets solidaires confirmés pour demain."

    def handle(self, *args, **options):
        sent = rides.send_reminders()
        self.stdout.write(f"{plural(sent, 'rappel envoyé')}.")
