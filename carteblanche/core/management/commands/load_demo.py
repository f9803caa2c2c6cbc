from django.conf import settings
from django.core.management.base import BaseCommand

from carteblanche.core.demo import demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Charge le territoire de démonstration (bassin de vie de Cahors) et les comptes de démonstration."

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0
        if demo_is_loaded():
            if not quiet:
                self.stdout.write("Démonstration déjà chargée : rien à faire.")
            return
        lines = load_demo(password=settings.DEMO_PASSWORD)
        if not quiet:
            for line in lines:
                self.stdout.write(line)
            self.stdout.write(self.style.SUCCESS("Démonstration chargée."))
