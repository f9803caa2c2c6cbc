"""A real Celery worker started by the fault tests (tests/core/test_faults.py), in its own process: the test
settings, on the test database the test names (DATABASE_URL) and the test broker, Redis database 15."""

import os

from .test import *  # noqa: F403
from .test import TEST_CELERY_BROKER_URL

CELERY_BROKER_URL = TEST_CELERY_BROKER_URL
JOB_STALL_SECONDS = int(os.getenv("JOB_STALL_SECONDS", "120"))
# Each fault test has its own queue (tests/core/test_faults.py): workers of other tests never take its jobs.
CELERY_TASK_DEFAULT_QUEUE = os.getenv("TEST_CELERY_QUEUE", "celery")
# Small rounds: a screening killed halfway has saved some files and not others.
RIGHTS_SCREENING_BATCH = int(os.getenv("RIGHTS_SCREENING_BATCH", "0")) or None
