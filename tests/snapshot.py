"""A copy of the test database once the demo is loaded, to put it back in a fraction of a second.

Transactional tests (browser journeys, the Celery worker) commit for real and Django empties the database after
each of them; rebuilding the demo took seconds each time (the rights of the demo households come from OpenFisca).
Instead, the session loads the demo once, copies every table beside it (an attached SQLite file, or a PostgreSQL
schema), and each transactional test starts from that copy.
"""

from django.core.management.color import no_style
from django.db import connection, transaction

SCHEMA = "demo_snapshot"


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _sqlite_file() -> str:
    return f"{connection.settings_dict['NAME']}.snapshot"


def _attach() -> None:
    with connection.cursor() as cursor:
        attached = {row[1] for row in cursor.execute("PRAGMA database_list").fetchall()}
        if SCHEMA not in attached:
            cursor.execute(f"ATTACH DATABASE %s AS {SCHEMA}", [_sqlite_file()])


def take() -> None:
    """Copy every table of the current database into the snapshot (replacing an older one)."""
    tables = _tables()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            import pathlib

            if connection.settings_dict["NAME"] == ":memory:" or "mode=memory" in connection.settings_dict["NAME"]:
                raise RuntimeError("La copie de la démonstration demande une base SQLite dans un fichier.")
            if SCHEMA in {row[1] for row in cursor.execute("PRAGMA database_list").fetchall()}:
                cursor.execute(f"DETACH DATABASE {SCHEMA}")
            pathlib.Path(_sqlite_file()).unlink(missing_ok=True)
            _attach()
            for table in tables:
                cursor.execute(f'CREATE TABLE {SCHEMA}."{table}" AS SELECT * FROM main."{table}"')
            cursor.execute(f"CREATE TABLE {SCHEMA}.sequences AS SELECT * FROM main.sqlite_sequence")
        else:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
            for table in tables:
                cursor.execute(f'CREATE TABLE {SCHEMA}."{table}" AS SELECT * FROM public."{table}"')


def restore() -> None:
    """Put every table back as it was when the snapshot was taken (the journal's triggers must be lifted)."""
    from django.apps import apps

    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _attach()
            cursor.execute("PRAGMA defer_foreign_keys = ON")
            for table in tables:
                cursor.execute(f'DELETE FROM main."{table}"')
                cursor.execute(f'INSERT INTO main."{table}" SELECT * FROM {SCHEMA}."{table}"')
            cursor.execute("DELETE FROM main.sqlite_sequence")
            cursor.execute(f"INSERT INTO main.sqlite_sequence SELECT * FROM {SCHEMA}.sequences")
        else:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("TRUNCATE " + ", ".join(f'public."{t}"' for t in tables))
            for table in tables:
                cursor.execute(f'INSERT INTO public."{table}" SELECT * FROM {SCHEMA}."{table}"')
            models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
