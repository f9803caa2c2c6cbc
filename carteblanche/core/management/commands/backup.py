from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carteblanche.core import backup
from carteblanche.core.french import plural


class Command(BaseCommand):
    help = "Sauvegarde la base (pg_dump ou SQLite) et les fichiers déposés dans une archive .tar."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="fichier .tar à écrire (par défaut : sauvegardes/carteblanche-AAAA-MM-JJTHHMM.tar)",
        )

    def handle(self, *args, output=None, **options):
        output = output or Path("sauvegardes") / f"carteblanche-{timezone.localtime():%Y-%m-%dT%H%M}.tar"
        try:
            manifest = backup.backup(output)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Sauvegarde écrite : {output} ({plural(len(manifest['rows']), 'table')}, "
            f"{plural(manifest['total_rows'], 'ligne')})."
        )
