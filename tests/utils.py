from django.db import connection

from carteblanche.audit import guard


def set_journal_purge_gate(open_: bool) -> None:
    """Let the test harness empty the journal between transactional tests, and only it."""
    guard.allow_purge_for_tests(open_)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('carteblanche.audit_purge', %s, false)", ["on" if open_ else "off"])
