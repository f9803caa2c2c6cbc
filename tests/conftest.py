import datetime
import gc
import os

import pytest
from django.conf import settings
from django.core.management import call_command

from carteblanche.core import french

from . import snapshot
from .clock import PARIS, TestClock, parse
from .utils import set_journal_triggers

_clock: TestClock | None = None


def pytest_configure(config):
    """Freeze the clock before anything runs: the session's demo and every test share one day, TEST_TODAY."""
    global _clock
    try:
        moment = parse(os.getenv("TEST_TODAY", ""), real_today=datetime.date.today())
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    _clock = TestClock(moment)
    _clock.start()


def pytest_unconfigure(config):
    if _clock is not None:
        _clock.stop()


def pytest_report_header(config):
    moment = _clock.moment.astimezone(PARIS)
    return f"Date des tests : {moment.isoformat()} (horloge figée ; TEST_TODAY=AAAA-MM-JJ pour une autre date)"


@pytest.fixture(autouse=True)
def clock():
    """Every test starts at the session's instant, whatever the tests before it did to the clock."""
    _clock.reset()
    yield _clock
    _clock.reset()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the real reference data and the demo territory and accounts."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        snapshot.take()
    # What the session has loaded so far (Django, the French rules and their parameters: millions of objects) lives
    # until the end: out of the collector's sight, each full collection (pytest runs several at the end) takes
    # milliseconds instead of half a second.
    gc.collect()
    gc.freeze()


@pytest.fixture
def demo_password():
    return settings.DEMO_PASSWORD


@pytest.fixture
def reload_demo(transactional_db):
    """For transactional tests (browser, Celery worker): each starts from the demo as the session loaded it (a copy
    put back in a fraction of a second), since the test before it committed its changes."""
    set_journal_triggers(False)
    snapshot.restore()
    set_journal_triggers(True)
    yield
    set_journal_triggers(False)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test may use the database: inside a rolled-back transaction, or a real one for the tests
    that need other threads to see their data (browser, Celery worker). Marked here, before
    pytest-django orders the tests so that the transactional ones run last."""
    for item in items:
        if item.get_closest_marker("django_db"):
            continue
        transactional = "transactional_db" in item.fixturenames or "live_server" in item.fixturenames
        item.add_marker(pytest.mark.django_db(transaction=transactional))


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "IGNORÉS" in str(r.longrepr)]
    if skipped:
        reason = str(skipped[0].longrepr[-1]).removeprefix("Skipped: ")
        terminalreporter.write_sep("!", "ATTENTION", red=True, bold=True)
        terminalreporter.write_line(
            f"{french.plural(len(skipped), 'test', 'tests')} navigateur et accessibilité "
            f"{french.plural(len(skipped), 'NON JOUÉ', 'NON JOUÉS', show_count=False)} : {reason}. "
            "Sous CI=true ils sont obligatoires.",
            red=True,
            bold=True,
        )


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Caches live as long as the process: each test starts without the near-duplicate index and without
    the login-throttling counts of earlier tests."""
    from django.core.cache import cache

    from carteblanche.core import throttle
    from carteblanche.exploration import duplicates

    duplicates._cache.clear()
    cache.clear()
    throttle._local.clear()
