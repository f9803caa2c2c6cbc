#!/usr/bin/env python
"""Benchmark: the irritant list with 10,000 irritants, with and without filters.

    .venv/bin/python bench/irritant_list.py [--count 10000] [--repeat 40] [--database sqlite|postgresql|both]

The irritants are real Grand Débat answers (tests/exploration/data is too small: the shared sample is used
when present, otherwise synthetic texts), imported with the real importer into a fresh database.
"""

import argparse
import csv
import io
import sys

from common import ROOT, Timer, fetcher, run_per_database, setup_django

SAMPLE = ROOT.parent / "shared" / "data" / "contributions_sample.csv"


def child(count: int, repeat: int) -> None:
    setup_django()
    import datetime

    from django.db import connection
    from django.test import Client

    from carteblanche.accounts.models import User
    from carteblanche.exploration import importers
    from carteblanche.exploration.models import Irritant
    from carteblanche.operations import services as operation_services
    from carteblanche.territories.models import Territory

    operation = operation_services.operation_create(
        territory=Territory.objects.get(slug="bassin-de-vie-de-cahors"),
        name="Liste",
        slug="banc-liste",
        start_date=datetime.date.today(),
    )
    if SAMPLE.exists():
        rows = list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))[:count]
    else:
        rows = [
            {"id": f"s{i}", "text": f"Texte d'essai numéro {i} sur l'accueil des services publics"}
            for i in range(count)
        ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["id", "categorie", "text"])
    writer.writeheader()
    writer.writerows({"id": r["id"], "categorie": r.get("categorie", ""), "text": r["text"]} for r in rows)
    importers.import_irritants(operation=operation, raw=buffer.getvalue().encode(), file_name="liste.csv")
    Irritant.objects.filter(
        operation=operation, pk__in=Irritant.objects.filter(operation=operation).values("pk")[:3000]
    ).update(severity=3)
    print(f"database={connection.vendor} irritants={operation.irritants.count()} repeat={repeat}")
    client = Client()
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    fetch = fetcher(client)
    base = f"/operations/{operation.slug}/irritants/"
    timer = Timer(repeat)
    for name, url in (
        ("liste, sans filtre", base),
        ("liste, page 100", base + "?page=100"),
        ("liste, recherche « transport »", base + "?q=transport"),
        ("liste, statut + gravité ≥ 3", base + "?statut=nouveau&gravite=3"),
        ("liste, doublons probables", base + "?doublons=1"),
        ("liste, sans thème + recherche « retraite »", base + "?theme=aucun&q=retraite"),
    ):
        for _ in range(3):
            fetch(url)
        timer.measure(name, lambda url=url: fetch(url))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.count, args.repeat)
        return 0
    return run_per_database(__file__, args.database, ["--count", str(args.count), "--repeat", str(args.repeat)])


if __name__ == "__main__":
    sys.exit(main())
