from django.core.management.base import BaseCommand
from django.utils import timezone

from carteblanche.core import retention
from carteblanche.core.french import plural


class Command(BaseCommand):
    help = "Efface les données personnelles qui ont dépassé leur durée de conservation (chaque nuit, par cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien effacer")

    def handle(self, *args, dry_run=False, **options):
        done = retention.apply_all(now=timezone.now(), dry_run=dry_run)
        verb = "à effacer" if dry_run else "effacées ou réduites"
        for each in retention.rules():
            self.stdout.write(f"{each.what} : {plural(done[each.key], 'donnée', 'données', show_count=True)} {verb}.")
