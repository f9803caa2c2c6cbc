from django.core.management.base import BaseCommand
from django.utils import timezone

from carteblanche.childcare import availability
from carteblanche.core.french import plural


class Command(BaseCommand):
    help = (
        "Envoie aux assistantes maternelles et MAM le rappel de déclarer leurs disponibilités (à partir du 15 mai et "
        "du 15 novembre), une fois par campagne chacune (cron : chaque jour)."
    )

    def handle(self, *args, **options):
        sent = availability.reminders_send(today=timezone.localdate())
        self.stdout.write(f"{plural(sent, 'rappel envoyé')}.")
