"""Database-level protection of the journal.

The journal tables carry triggers (see the migration) that refuse any UPDATE or DELETE. On SQLite the
trigger asks the function ``audit_purge_allowed()``, which this module registers on each connection and
which answers 0: a connection that lacks it (the sqlite3 shell, another program) fails closed.
Only the test harness, which empties the whole database between browser tests, ever opens the gate.
"""

from django.db.backends.signals import connection_created

_purge_allowed = False


def _audit_purge_allowed() -> int:
    return 1 if _purge_allowed else 0


def _register(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("audit_purge_allowed", 0, _audit_purge_allowed, deterministic=False)


def install():
    connection_created.connect(_register, dispatch_uid="audit_guard")


def allow_purge_for_tests(allowed: bool) -> None:
    """Used by the test suite only, to flush the database between transactional tests."""
    global _purge_allowed
    _purge_allowed = allowed
