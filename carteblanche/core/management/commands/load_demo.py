import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from carteblanche.core.demo import demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Charge le territoire de démonstration (bassin de vie de Cahors) et les comptes de démonstration."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Le jour dont dérivent toutes les dates de la démonstration (AAAA-MM-JJ ; par défaut aujourd'hui).",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            # The demo accounts share a published password, and one of them administers the platform.
            raise CommandError(
                "Le mode démonstration est désactivé (DEMO_MODE) : les comptes de démonstration, dont le mot "
                "de passe est public, ne sont jamais créés sur une instance réelle."
            )
        quiet = options["verbosity"] == 0
        if demo_is_loaded():
            if not quiet:
                self.stdout.write("Démonstration déjà chargée : rien à faire.")
            return
        lines = load_demo(password=settings.DEMO_PASSWORD, today=options["today"])
        if not quiet:
            for line in lines:
                self.stdout.write(line)
            self.stdout.write(self.style.SUCCESS("Démonstration chargée."))
