"""Test settings: fixed fake values, fast hashing, jobs run inline unless a test starts a worker."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-secret-key-not-for-production"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_MODE = True
# Most tests sign in with force_login; the second factor's own tests (tests/accounts/test_second_factor.py) and
# the permission matrix turn it on.
SECOND_FACTOR_REQUIRED = False
JOBS_IN_THREAD = False
CELERY_BROKER_URL = None
TEST_CELERY_BROKER_URL = os.getenv("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise otherwise indexes every static file (3,600 with the design system) when a handler loads its
# middleware, which each test client does at its first request: 0.6 s per test. Looked up per request instead.
WHITENOISE_AUTOREFRESH = True
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": os.getenv("TEST_DATABASE_NAME") or None}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: an in-memory database shares one connection between the live server's request threads,
    # and concurrent requests of the browser tests (two participants and a facilitator) then break each other's
    # savepoints. Durability does not matter for a test database. TEST_DATABASE_NAME names another file, for two
    # sessions side by side (CI runs the suite on several days at once).
    DATABASES["default"]["TEST"]["NAME"] = os.getenv("TEST_DATABASE_NAME") or str(BASE_DIR / ".test-db.sqlite3")  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
