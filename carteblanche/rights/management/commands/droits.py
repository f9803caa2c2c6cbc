"""python manage.py droits SITUATION.json: the rights of one household, as JSON, for people who check rules."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from carteblanche.rights import services
from carteblanche.rights.enums import Benefit
from carteblanche.rights.situation_json import SituationError, situation_from_json


def rights_of(evaluation: dict) -> dict:
    """Benefit code → monthly amount (yearly for the yearly ones), ``null`` where not evaluable; the free CSS is
    a yes or no."""
    out = {}
    for row in sorted(evaluation["results"], key=lambda r: list(Benefit.values).index(r["benefit"])):
        if not row["evaluable"]:
            out[row["benefit"]] = None
        elif row["benefit"] == Benefit.CSS_FREE:
            out[row["benefit"]] = row["eligible"]
        else:
            out[row["benefit"]] = row["amount"]
    return out


class Command(BaseCommand):
    help = "Droits d'un foyer décrit en JSON (format : README, « Vérifier une règle »), affichés en JSON."

    def add_arguments(self, parser):
        parser.add_argument("situation", help="fichier JSON du foyer, ou - pour l'entrée standard")
        parser.add_argument(
            "--details", action="store_true", help="ajouter les hypothèses faites et les données manquantes"
        )

    def handle(self, *args, situation, details, **options):
        try:
            if situation == "-":
                data = json.load(sys.stdin)
            else:
                with open(situation, encoding="utf-8") as handle:
                    data = json.load(handle)
        except OSError as error:
            raise CommandError(f"Fichier illisible : {situation} ({error.strerror}).") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"JSON invalide, ligne {error.lineno}, colonne {error.colno} : {error.msg}.") from None
        try:
            household, month = situation_from_json(data)
        except SituationError as error:
            raise CommandError(str(error)) from None
        evaluation = services.evaluate(household, month)
        result = rights_of(evaluation)
        if details:
            result = {
                "droits": result,
                "hypotheses": evaluation["assumptions"],
                "manquant": evaluation["missing"],
            }
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2 if details else None))
