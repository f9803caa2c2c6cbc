"""Database triggers that keep the journal append-only, whatever code runs against the database.

SQLite: UPDATE always refused; DELETE refused unless audit_purge_allowed() (registered by
carteblanche.audit.guard, opened only by the test harness) answers 1.
PostgreSQL: UPDATE and DELETE always refused; TRUNCATE refused unless the session setting
carteblanche.audit_purge is 'on' (set only by the test harness before it empties the database).

A later migration that rebuilds the table on SQLite drops these triggers: recreate them there.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_journalentry_no_update BEFORE UPDATE ON audit_journalentry
       BEGIN SELECT RAISE(ABORT, 'Le journal est en ajout seul : modification refusée.'); END""",
    """CREATE TRIGGER audit_journalentry_no_delete BEFORE DELETE ON audit_journalentry
       WHEN audit_purge_allowed() = 0
       BEGIN SELECT RAISE(ABORT, 'Le journal est en ajout seul : suppression refusée.'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_journalentry_no_update",
    "DROP TRIGGER IF EXISTS audit_journalentry_no_delete",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_journalentry_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'TRUNCATE' AND current_setting('carteblanche.audit_purge', true) = 'on' THEN
           RETURN NULL;
         END IF;
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


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
