from django.core.management.base import BaseCommand
from django.utils import timezone

from carteblanche.core.french import plural
from carteblanche.vigies import services


class Command(BaseCommand):
    help = (
        "Signale à la responsable de chaque réseau de vigies les signalements que personne n'a pris en charge dans "
        "le délai de leur urgence, une fois chacun (cron : tous les quarts d'heure)."
    )

    def handle(self, *args, **options):
        count = services.escalate_overdue(now=timezone.now())
        told = plural(count, "signalé", show_count=False)
        self.stdout.write(
            f"{plural(count, 'signalement en retard', 'signalements en retard')} {told} à la responsable."
        )
