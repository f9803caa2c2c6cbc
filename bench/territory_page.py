#!/usr/bin/env python
"""Benchmark: the territory page, its GeoJSON and the access computation, Cahors area and whole Lot.

    .venv/bin/python bench/territory_page.py [--repeat 50] [--database sqlite|postgresql|both]

Each database runs in a child process on a fresh database (a temporary SQLite file; a PostgreSQL
database ``carteblanche_bench`` created and dropped on 127.0.0.1, skipped if no server answers, or the
one given by BENCH_POSTGRES_URL). Requests go through Django's test client (the whole middleware
stack, template rendering and database queries; no network). Prints median and p95 in milliseconds.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.getenv("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/carteblanche_bench")


def percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def child(repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from carteblanche.accounts.models import User
    from carteblanche.territories.models import Territory
    from carteblanche.territories.selectors import all_sites, territory_access, territory_communes

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    import gc

    # As config/wsgi.py does once the application is loaded in a gunicorn worker.
    gc.collect()
    gc.freeze()
    cases = [
        ("bassin-de-vie-de-cahors", "equipe@demo.carteblanche.fr", "Cahors (59 communes)"),
        ("departement-du-lot", "departement@demo.carteblanche.fr", "Lot entier (312 communes)"),
    ]
    from carteblanche.territories.access import compute_access

    print(f"database={connection.vendor} repeat={repeat}")
    print(f"{'mesure':<62} {'médiane ms':>10} {'p95 ms':>8} {'taille':>9}")

    def measure(name, action):
        timings, size = [], None
        for _ in range(repeat):
            start = time.perf_counter()
            size = action()
            timings.append((time.perf_counter() - start) * 1000)
        median, p95 = statistics.median(timings), percentile(timings, 95)
        size_label = f"{size / 1024:>6.0f} ko" if size else ""
        print(f"{name:<62} {median:>10.1f} {p95:>8.1f} {size_label:>9}")

    for slug, email, label in cases:
        client = Client()
        client.force_login(User.objects.get(email=email))
        territory = Territory.objects.get(slug=slug)

        def fetch(url, client=client):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return len(response.content)

        for name, url in (
            (f"page territoire — {label}", f"/territoires/{slug}/?jour=1"),
            (f"GeoJSON carte — {label}", f"/territoires/{slug}/communes.geojson?jour=1"),
        ):
            for _ in range(3):
                fetch(url)
            measure(name, lambda url=url: fetch(url))
        measure(f"calcul accès (requêtes + calcul) — {label}", lambda t=territory: territory_access(t, 1) and None)
        communes, sites = list(territory_communes(territory)), all_sites()
        measure(f"calcul accès (calcul seul) — {label}", lambda c=communes, s=sites: compute_access(c, s, 1) and None)


def postgres_available() -> bool:
    import psycopg

    admin_url = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, connect_timeout=2, autocommit=True) as conn:
            name = POSTGRES_URL.rsplit("/", 1)[1]
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except psycopg.OperationalError:
        return False


def drop_postgres() -> None:
    import psycopg

    admin_url = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_URL.rsplit("/", 1)[1]}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.repeat)
        return 0
    print(f"machine: {platform.node()} — {os.cpu_count()} cœurs — Python {platform.python_version()}")
    status = 0
    command = [sys.executable, __file__, "--child", "--repeat", str(args.repeat)]
    if args.database in {"sqlite", "both"}:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
            status |= subprocess.run(command, env=env, cwd=ROOT).returncode
    if args.database in {"postgresql", "both"}:
        if postgres_available():
            try:
                status |= subprocess.run(
                    command, env={**os.environ, "DATABASE_URL": POSTGRES_URL}, cwd=ROOT
                ).returncode
            finally:
                drop_postgres()
        else:
            print(f"PostgreSQL ne répond pas ({POSTGRES_URL}) : mesure ignorée.")
            status |= 1 if args.database == "postgresql" else 0
    return status


if __name__ == "__main__":
    sys.exit(main())
