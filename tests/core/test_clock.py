"""The suite's clock: frozen at TEST_TODAY, and the machine's clock refused."""

import datetime
import subprocess
import time
from pathlib import Path

import pytest
from django.utils import timezone

from tests.clock import PARIS, RealClockError, parse

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_starts_at_the_sessions_instant(clock):
    assert timezone.now() == clock.moment
    assert timezone.localdate() == clock.today
    assert datetime.date.today() == clock.today
    clock.shift(datetime.timedelta(days=3))
    assert timezone.localdate() == clock.today + datetime.timedelta(days=3)


def test_the_clock_is_back_to_the_sessions_instant_after_a_test_moved_it(clock):
    assert timezone.now() == clock.moment


def test_the_clock_does_not_move_during_a_test():
    before = timezone.now()
    time.sleep(0.01)
    assert timezone.now() == before


def test_reading_the_real_clock_is_an_error(clock):
    with clock.unfrozen():
        for read in (timezone.now, datetime.date.today, datetime.datetime.now, time.time, timezone.localdate):
            with pytest.raises(RealClockError, match="horloge réelle"):
                read()
    assert timezone.now() == clock.moment  # and the test clock is back


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2027-01-01", datetime.datetime(2027, 1, 1, 10, 0, tzinfo=PARIS)),
        ("2028-02-29", datetime.datetime(2028, 2, 29, 10, 0, tzinfo=PARIS)),
        ("2027-03-28T02:30", datetime.datetime(2027, 3, 28, 3, 30, tzinfo=PARIS)),  # clocks go forward at 2:00
        ("2026-10-25T02:30", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC)),  # the first 2:30
        ("", datetime.datetime(2026, 12, 31, 10, 0, tzinfo=PARIS)),
    ],
)
def test_test_today_reads_a_date_or_a_paris_time(value, expected):
    assert parse(value, real_today=datetime.date(2026, 12, 31)) == expected


def test_a_wrong_test_today_says_what_to_write():
    with pytest.raises(ValueError, match="AAAA-MM-JJ"):
        parse("31/12/2026", real_today=datetime.date(2026, 12, 31))


def test_make_test_stops_at_once_with_the_apt_get_line_when_a_package_is_missing():
    """A machine without HarfBuzz-Subset (simulated): one French line with the command, before anything runs."""
    result = subprocess.run(
        ["make", "--no-print-directory", "test", "PYTEST_ARGS=--version"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "SYSTEM_DEPS_ABSENT": "libharfbuzz-subset0", "SYSTEM_DEPS_APT": "no"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "pytest" not in result.stdout + result.stderr  # nothing ran
    lines = [line for line in result.stderr.splitlines() if "apt-get" in line]
    assert lines == [
        "Paquets Debian manquants (libharfbuzz-subset0) : installez-les avec "
        "« sudo apt-get install -y libharfbuzz-subset0 », puis relancez."
    ]


def test_make_run_needs_no_browser_but_make_test_does():
    env = {"PATH": "/usr/bin:/bin", "SYSTEM_DEPS_ABSENT": "chromium", "SYSTEM_DEPS_APT": "no"}
    script = str(ROOT / "scripts" / "system-deps")
    assert subprocess.run([script, "run"], env=env, capture_output=True, timeout=30).returncode == 0
    result = subprocess.run([script, "test"], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "apt-get install -y chromium" in result.stderr


def test_the_demo_is_built_on_the_suites_day(clock):
    """The session's demo derives every date from the suite's day: the bus plan starts this week's Monday, the
    consents are running, the rights are those of this month."""
    from carteblanche.mobility.services import previous_plan
    from carteblanche.rights.models import Consent, RightsAssessment
    from carteblanche.rights.services import current_month
    from carteblanche.territories.models import Territory

    cahors = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    assert previous_plan(cahors).period_start == clock.today - datetime.timedelta(days=clock.today.weekday())
    consents = Consent.objects.filter(person__territory=cahors)
    assert consents.exists() and all(c.is_active() for c in consents)
    assert set(RightsAssessment.objects.values_list("month", flat=True)) == {current_month()}


def test_demo_now_is_noon_of_another_day():
    from carteblanche.core.demo import demo_now

    assert demo_now(timezone.localdate()) == timezone.now()
    other = timezone.localdate() + datetime.timedelta(days=400)  # never the suite's own day, whichever it is
    assert timezone.localtime(demo_now(other)) == datetime.datetime.combine(other, datetime.time(12), tzinfo=PARIS)
