"""Database triggers that keep the journal append-only, whatever code runs against the database.

SQLite and PostgreSQL refuse every UPDATE and DELETE of a journal line; PostgreSQL also refuses TRUNCATE.
There is no switch: only the owner of the table can drop or disable a trigger, so in production the
application connects with a role that does not own the tables (see README, « Journal »).

A later migration that rebuilds the table on SQLite drops these triggers: recreate them there.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_journalentry_no_update BEFORE UPDATE ON audit_journalentry
       BEGIN SELECT RAISE(ABORT, 'Le journal est en ajout seul : modification refusée.'); END""",
    """CREATE TRIGGER audit_journalentry_no_delete BEFORE DELETE ON audit_journalentry
       BEGIN SELECT RAISE(ABORT, 'Le journal est en ajout seul : suppression refusée.'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_journalentry_no_update",
    "DROP TRIGGER IF EXISTS audit_journalentry_no_delete",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_journalentry_append_only() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'Le journal est en ajout seul : % refusé.', TG_OP;
       END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_journalentry_no_change BEFORE UPDATE OR DELETE ON audit_journalentry
       FOR EACH ROW EXECUTE FUNCTION audit_journalentry_append_only()""",
    """CREATE TRIGGER audit_journalentry_no_truncate BEFORE TRUNCATE ON audit_journalentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_journalentry_append_only()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_journalentry_no_change ON audit_journalentry",
    "DROP TRIGGER IF EXISTS audit_journalentry_no_truncate ON audit_journalentry",
    "DROP FUNCTION IF EXISTS audit_journalentry_append_only()",
]
FORWARD = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
BACKWARD = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}


def run_statements(statements_by_vendor, connection):
    with connection.cursor() as cursor:
        for statement in statements_by_vendor.get(connection.vendor, []):
            cursor.execute(statement)


def _forward(apps, schema_editor):
    run_statements(FORWARD, schema_editor.connection)


def _backward(apps, schema_editor):
    run_statements(BACKWARD, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_forward, _backward)]
