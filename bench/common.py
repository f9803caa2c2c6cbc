"""Shared helpers of the benchmarks: a fresh database per run (SQLite file, or a PostgreSQL database created
and dropped on 127.0.0.1), Django set up in a child process, timings as median and p95."""

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.getenv("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/carteblanche_bench")


def percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def setup_django():
    """In the child: test settings on the database named by DATABASE_URL, migrated, with the demo loaded."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    import gc

    # As config/wsgi.py does once the application is loaded in a gunicorn worker.
    gc.collect()
    gc.freeze()


class Timer:
    """Prints one line per measure: name, median, p95 and an optional size."""

    def __init__(self, repeat: int):
        self.repeat = repeat
        print(f"{'mesure':<62} {'médiane ms':>10} {'p95 ms':>8} {'taille':>9}")

    def measure(self, name, action):
        timings, size = [], None
        for _ in range(self.repeat):
            start = time.perf_counter()
            size = action()
            timings.append((time.perf_counter() - start) * 1000)
        median, p95 = statistics.median(timings), percentile(timings, 95)
        size_label = f"{size / 1024:>6.0f} ko" if size else ""
        print(f"{name:<62} {median:>10.1f} {p95:>8.1f} {size_label:>9}")
        return median, p95


def fetcher(client):
    def fetch(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(response.content)

    return fetch


def _postgres_admin(action: str) -> bool:
    import psycopg

    admin_url = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    name = POSTGRES_URL.rsplit("/", 1)[1]
    try:
        with psycopg.connect(admin_url, connect_timeout=2, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            if action == "create":
                conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except psycopg.OperationalError:
        return False


def run_per_database(script: str, databases: str, extra_args: list[str]) -> int:
    """Run ``script --child`` once per database; returns a non-zero status if a run failed."""
    print(f"machine: {platform.node()} — {os.cpu_count()} cœurs — Python {platform.python_version()}", flush=True)
    command = [sys.executable, script, "--child", *extra_args]
    status = 0
    if databases in {"sqlite", "both"}:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
            status |= subprocess.run(command, env=env, cwd=ROOT).returncode
    if databases in {"postgresql", "both"}:
        if _postgres_admin("create"):
            try:
                env = {**os.environ, "DATABASE_URL": POSTGRES_URL}
                status |= subprocess.run(command, env=env, cwd=ROOT).returncode
            finally:
                _postgres_admin("drop")
        else:
            print(f"PostgreSQL ne répond pas ({POSTGRES_URL}) : mesure ignorée.")
            status |= 1 if databases == "postgresql" else 0
    return status
