"""``manage.py backup`` and ``restore``: a backup restored into an empty database finds every row and every file."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from carteblanche.core import backup

ROOT = Path(settings.BASE_DIR)


def _empty_database(tmp_path: Path) -> tuple[str, callable]:
    """The address of a new, empty database of the same engine, and how to drop it."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restauree.sqlite3'}", lambda: None
    import psycopg

    db = connection.settings_dict
    name = f"cb_restore_{uuid.uuid4().hex[:8]}"
    params = {"user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"] or None, "port": db["PORT"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{db['PORT'] or 5432}/{name}", drop


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_a_backup_restored_into_an_empty_database_finds_every_row_and_file(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    order = Path(settings.MEDIA_ROOT) / "arretes" / "2026" / "arrete-2026-041.pdf"
    order.parent.mkdir(parents=True)
    order.write_bytes(b"%PDF-1.7 arrete signe")
    archive = tmp_path / "sauvegarde.tar"

    call_command("backup", output=archive)
    source = backup.row_counts()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "media/arretes/2026/arrete-2026-041.pdf" in names
    assert manifest["rows"] == source and manifest["total_rows"] > 1000
    assert source["audit_journalentry"] > 0 and source["rights_person"] > 0

    url, drop = _empty_database(tmp_path)
    restored_media = tmp_path / "media-restaure"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(restored_media),
    }
    try:
        done = _manage("restore", str(archive), env=env)
        assert done.returncode == 0, done.stderr
        assert "toutes retrouvées" in done.stdout
        counted = subprocess.run(
            [sys.executable, "-c", "import django, json; django.setup(); from carteblanche.core.backup import "
             "row_counts; print(json.dumps(row_counts()))"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert json.loads(counted.stdout) == source
        assert (restored_media / "arretes/2026/arrete-2026-041.pdf").read_bytes() == b"%PDF-1.7 arrete signe"
        # A second restoration into the same database would mix two states: refused.
        again = _manage("restore", str(archive), env=env)
        assert again.returncode != 0 and "contient déjà des données" in again.stderr
    finally:
        drop()


def test_restore_refuses_a_database_that_holds_data_and_a_missing_file(tmp_path):
    archive = tmp_path / "sauvegarde.tar"
    call_command("backup", output=archive)
    with pytest.raises(CommandError, match="contient déjà des données"):
        call_command("restore", archive)
    with pytest.raises(CommandError, match="Sauvegarde introuvable"):
        call_command("restore", tmp_path / "absente.tar")
