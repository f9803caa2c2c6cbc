"""The tests' clock: every test runs at one frozen instant of one day, never on the machine's clock.

`TEST_TODAY=YYYY-MM-DD` (or `YYYY-MM-DDTHH:MM`, local time in Paris) chooses the day; without it the suite runs
on the machine's date, read once before anything else, at 10:00 in Paris. The clock is frozen for the whole
session (the demo loaded once for the session is built on that day too) and put back to that instant before each
test. Tests move it with the `clock` fixture (`clock.shift(datetime.timedelta(days=1))`).

Below the frozen clock sits a guard: anything that reads the time while no test clock is set (a test that stopped
it, a thread started outside the session's clock) gets `RealClockError` instead of the machine's time.
"""

import datetime
import zoneinfo

import time_machine

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DEFAULT_TIME = datetime.time(10, 0)


class RealClockError(AssertionError):
    pass


class _Guard:
    """Stands at the bottom of time-machine's stack of travellers: it answers only when no test clock is set."""

    def time_ns(self) -> int:
        raise RealClockError(
            "Un test a lu l'horloge réelle : les tests tournent à une date figée (TEST_TODAY), "
            "déplacez-la avec la fixture « clock »."
        )

    def _start(self) -> None:
        pass

    def _stop(self) -> None:
        pass


def parse(value: str, *, real_today: datetime.date) -> datetime.datetime:
    """The instant the suite runs at, from TEST_TODAY; a French error for anything else than a date."""
    value = value.strip()
    if not value:
        return datetime.datetime.combine(real_today, DEFAULT_TIME, PARIS)
    try:
        if "T" in value or " " in value:
            moment = datetime.datetime.fromisoformat(value)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=PARIS)
        else:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(value), DEFAULT_TIME, PARIS)
    except ValueError:
        raise ValueError(
            f"TEST_TODAY={value!r} n'est pas une date : écrivez AAAA-MM-JJ (ex. 2027-01-01) "
            "ou AAAA-MM-JJTHH:MM (heure de Paris)."
        ) from None
    # A real instant, in UTC: 02:30 on the night clocks go forward does not exist (it reads as 03:30), and on the night
    # they go back it happens twice (the first one is taken).
    return moment.astimezone(datetime.UTC)


class TestClock:
    """The session's frozen clock: one instant, restored before each test."""

    def __init__(self, moment: datetime.datetime):
        self.moment = moment
        self._travel = time_machine.travel(moment, tick=False)
        self._traveller = None

    def start(self) -> None:
        self._traveller = self._travel.start()
        # time-machine patches the clock functions once its stack is not empty; the guard takes the bottom place.
        time_machine.traveller_stack.insert(0, _Guard())

    def stop(self) -> None:
        time_machine.traveller_stack[:] = [t for t in time_machine.traveller_stack if not isinstance(t, _Guard)]
        self._travel.stop()

    def reset(self) -> None:
        if self._traveller not in time_machine.traveller_stack:
            time_machine.traveller_stack.append(self._traveller)
        self._traveller.move_to(self.moment, tick=False)

    # What tests use
    def shift(self, delta: datetime.timedelta) -> None:
        self._traveller.shift(delta)

    def move_to(self, moment: datetime.datetime | datetime.date) -> None:
        if not isinstance(moment, datetime.datetime):
            moment = datetime.datetime.combine(moment, DEFAULT_TIME, PARIS)
        elif moment.tzinfo is None:
            moment = moment.replace(tzinfo=PARIS)
        self._traveller.move_to(moment, tick=False)

    def unfrozen(self):
        """Take the test clock away for a moment (to show that the guard refuses the machine's clock)."""
        clock = self

        class _Unfrozen:
            def __enter__(self):
                time_machine.traveller_stack.remove(clock._traveller)

            def __exit__(self, *exc):
                clock.reset()
                return False

        return _Unfrozen()

    @property
    def today(self) -> datetime.date:
        return self.moment.astimezone(PARIS).date()

    def now(self) -> datetime.datetime:
        return datetime.datetime.now(PARIS)

    def local_today(self) -> datetime.date:
        return self.now().date()
