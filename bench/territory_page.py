#!/usr/bin/env python
"""Benchmark: the territory page, its GeoJSON and the access computation, Cahors area and whole Lot.

    .venv/bin/python bench/territory_page.py [--repeat 50] [--database sqlite|postgresql|both]

Each database runs in a child process on a fresh database (see bench/common.py). Requests go through
Django's test client (the whole middleware stack, template rendering and database queries; no network).
Prints median and p95 in milliseconds.
"""

import argparse
import sys

from common import Timer, fetcher, run_per_database, setup_django


def child(repeat: int) -> None:
    setup_django()
    from django.db import connection
    from django.test import Client

    from carteblanche.accounts.models import User
    from carteblanche.territories.access import compute_access
    from carteblanche.territories.models import Territory
    from carteblanche.territories.selectors import all_sites, territory_access, territory_communes

    print(f"database={connection.vendor} repeat={repeat}")
    timer = Timer(repeat)
    cases = [
        ("bassin-de-vie-de-cahors", "equipe@demo.carteblanche.fr", "Cahors (59 communes)"),
        ("departement-du-lot", "departement@demo.carteblanche.fr", "Lot entier (312 communes)"),
    ]
    for slug, email, label in cases:
        client = Client()
        client.force_login(User.objects.get(email=email))
        fetch = fetcher(client)
        territory = Territory.objects.get(slug=slug)
        for name, url in (
            (f"page territoire — {label}", f"/territoires/{slug}/?jour=1"),
            (f"GeoJSON carte — {label}", f"/territoires/{slug}/communes.geojson?jour=1"),
        ):
            for _ in range(3):
                fetch(url)
            timer.measure(name, lambda url=url, fetch=fetch: fetch(url))
        timer.measure(
            f"calcul accès (requêtes + calcul) — {label}", lambda t=territory: territory_access(t, 1) and None
        )
        communes, sites = list(territory_communes(territory)), all_sites()
        timer.measure(
            f"calcul accès (calcul seul) — {label}", lambda c=communes, s=sites: compute_access(c, s, 1) and None
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.repeat)
        return 0
    return run_per_database(__file__, args.database, ["--repeat", str(args.repeat)])


if __name__ == "__main__":
    sys.exit(main())
