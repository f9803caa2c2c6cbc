from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carteblanche.core import backup
from carteblanche.core.french import plural


class Command(BaseCommand):
    help = "Restaure une sauvegarde de « manage.py backup » dans une base vide, puis recompte chaque table."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="fichier .tar écrit par manage.py backup")

    def handle(self, *args, archive, **options):
        try:
            manifest = backup.restore(archive)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Sauvegarde du {manifest['created_at'][:16].replace('T', ' à ')} restaurée : "
            f"{plural(len(manifest['rows']), 'table')}, {plural(manifest['total_rows'], 'ligne')}, toutes retrouvées."
        )
