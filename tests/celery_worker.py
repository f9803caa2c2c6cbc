"""Start a Celery worker at a given instant (the tests' frozen day), with the clock running from there.

    python -m tests.celery_worker 2026-12-04T10:00:05+01:00 [celery worker options…]

The tests run on a frozen day (``TEST_TODAY``); a worker in another process must see the same day, or the
consents, months and plans it reads would belong to another date. time-machine moves this process's clock to
the given instant and lets it run; the worker is then Celery's own command line.
"""

import datetime
import sys

import time_machine


def main():
    start = datetime.datetime.fromisoformat(sys.argv[1])
    time_machine.travel(start, tick=True).start()
    from celery.__main__ import main as celery_main

    sys.argv = ["celery", "-A", "config", "worker", *sys.argv[2:]]
    celery_main()


if __name__ == "__main__":
    main()
