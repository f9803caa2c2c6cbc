"""Backups of the whole platform, and their restoration into an empty database.

A backup is one ``.tar`` file holding:
- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite's own backup API,
  consistent even while the site is used);
- ``media/``: the uploaded files (field attachments, signed prefectoral orders);
- ``manifest.json``: when, which engine, and the number of rows of every table.

``restore`` refuses a database that already holds data, loads the backup, puts the files back, then counts every
table again: a row missing anywhere fails the restoration loudly (``BackupError``), in French.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def row_counts() -> dict[str, int]:
    """Rows of every table of the database (Django's and the platform's)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} a échoué : {done.stderr.strip()[:500]}")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup(output: Path) -> dict:
    """Write the backup to ``output`` (a .tar file); returns its manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        counts = row_counts()
        if connection.vendor == "postgresql":
            dump = work / "database.dump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
        elif connection.vendor == "sqlite":
            dump = work / "database.sqlite3"
            # Its own connection: what is committed, consistent even while the site writes (WAL).
            source, target = sqlite3.connect(connection.settings_dict["NAME"]), sqlite3.connect(dump)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        else:
            raise BackupError(f"Base {connection.vendor} non prise en charge : PostgreSQL ou SQLite.")
        manifest = {
            "format": 1,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "rows": counts,
            "total_rows": sum(counts.values()),
        }
        partial = output.with_name(output.name + ".partiel")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.datetime.now(datetime.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            if _media_root().is_dir():
                archive.add(_media_root(), arcname="media")
        partial.replace(output)  # a backup cut short never looks like a complete one
    return manifest


def _is_empty() -> bool:
    tables = [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]
    if not tables:
        return True
    counts = row_counts()
    return sum(n for table, n in counts.items() if table != "django_migrations") == 0


def restore(source: Path) -> dict:
    """Load the backup into this (empty) database and its files into MEDIA_ROOT, then count every row."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Sauvegarde introuvable : {source}")
    if not _is_empty():
        raise BackupError(
            "La base de destination contient déjà des données : la restauration se fait dans une base vide "
            "(créez-la, puis relancez)."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(source) as archive:
        work = Path(work)
        archive.extractall(work, filter="data")
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("engine") != connection.vendor:
            raise BackupError(
                f"Sauvegarde d'une base {manifest.get('engine')} : elle se restaure dans une base du même moteur, "
                f"pas dans {connection.vendor}."
            )
        if connection.vendor == "postgresql":
            connection.close()
            database = _pg_env()["PGDATABASE"]
            options = ["--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={database}"]
            _run(["pg_restore", *options, str(work / "database.dump")])
        else:
            connection.ensure_connection()
            backup_db = sqlite3.connect(work / "database.sqlite3")
            try:
                backup_db.backup(connection.connection)
            finally:
                backup_db.close()
            connection.close()
        if (work / "media").is_dir():
            shutil.copytree(work / "media", _media_root(), dirs_exist_ok=True)
    found = row_counts()
    missing = {t: (n, found.get(t, 0)) for t, n in manifest["rows"].items() if found.get(t, 0) != n}
    if missing:
        detail = ", ".join(f"{t} : {n} attendues, {m} trouvées" for t, (n, m) in sorted(missing.items())[:10])
        raise BackupError(f"Restauration incomplète : {detail}.")
    return manifest
