import importlib
import os

from django.db import connection

# Under CI=true the tests that need a service (Redis, Chromium) fail instead of skipping.
CI = os.getenv("CI", "").lower() in {"1", "true", "yes"}

triggers = importlib.import_module("carteblanche.audit.migrations.0002_append_only_triggers")


def set_journal_triggers(enabled: bool) -> None:
    """The test harness, as the owner of the test database, lifts the journal's triggers just long enough
    to empty the database between transactional tests, then puts them back."""
    triggers.run_statements(triggers.BACKWARD, connection)
    if enabled:
        triggers.run_statements(triggers.FORWARD, connection)
