from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.territories import importers
from carteblanche.territories.enums import TerritoryKind


class Command(BaseCommand):
    help = (
        "Importe les communes, leurs contours et les sites France services (fichiers du dépôt par défaut), "
        "puis construit un territoire à partir d'un code de département ou de bassin de vie."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=Path, default=importers.COMMUNES_CSV, help="CSV des communes")
        parser.add_argument("--contours", type=Path, default=importers.BOUNDARIES_GEOJSON, help="GeoJSON")
        parser.add_argument("--sites", type=Path, default=importers.SITES_CSV, help="CSV des sites")
        parser.add_argument("--departement", help="construire le territoire de ce département (ex. 46)")
        parser.add_argument("--bassin-de-vie", dest="living_area", help="construire ce bassin de vie (ex. 46042)")
        parser.add_argument("--nom", default="", help="nom du territoire construit")

    def handle(self, *args, **options):
        for key in ("communes", "contours", "sites"):
            if not options[key].exists():
                raise CommandError(f"Fichier introuvable : {options[key]}")
        try:
            report = importers.import_reference(
                communes=options["communes"], boundaries=options["contours"], sites=options["sites"]
            )
        except importers.ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        JournalEntry.log(
            action=Action.REFERENCE_IMPORTED, reason="Commande import_reference", details=report.as_dict()
        )
        self.stdout.write(
            f"Communes : {report.communes_created} créées, {report.communes_updated} mises à jour ; "
            f"contours : {report.boundaries} ; "
            f"sites : {report.sites_created} créés, {report.sites_updated} mis à jour."
        )
        for kind, code in (
            (TerritoryKind.DEPARTMENT, options["departement"]),
            (TerritoryKind.LIVING_AREA, options["living_area"]),
        ):
            if not code:
                continue
            try:
                territory, created = importers.build_territory(kind=kind, code=code, name=options["nom"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            JournalEntry.log(action=Action.TERRITORY_BUILT, target=territory, territory=territory)
            population = territory.communes.all()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Territoire {'créé' if created else 'mis à jour'} : {territory.name} — "
                    f"{population.count()} communes, {territory.population} habitants."
                )
            )
