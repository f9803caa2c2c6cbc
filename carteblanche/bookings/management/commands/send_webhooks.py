from django.core.management.base import BaseCommand

from carteblanche.bookings import webhooks
from carteblanche.bookings.enums import DeliveryStatus
from carteblanche.core.french import plural


class Command(BaseCommand):
    help = "Envoie les webhooks de rendez-vous à réessayer (cron : chaque minute)."

    def handle(self, *args, **options):
        counts = webhooks.deliver_due()
        self.stdout.write(
            f"{plural(counts.get(DeliveryStatus.DELIVERED, 0), 'envoi reçu', 'envois reçus')}, "
            f"{plural(counts.get(DeliveryStatus.PENDING, 0), 'à réessayer', 'à réessayer')}, "
            f"{plural(counts.get(DeliveryStatus.FAILED, 0), 'abandonné')}."
        )
