from django.conf import settings
from django.core.management.base import BaseCommand

from carteblanche.core.demo import demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Charge le territoire de démonstration (bassin de vie de Cahors) et les comptes de démonstration."

    def handle(self, *args, **options):
        if demo_is_loaded():
            self.stdout.write("Démonstration déjà chargée : rien à faire.")
            return
        for line in load_demo(password=settings.DEMO_PASSWORD):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Démonstration chargée."))
