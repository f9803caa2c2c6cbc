"""Embedded default: one command, SQLite, jobs in-process, demo accounts shown."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

# Under `make run` the pages a user sees are the real ones, the French 404 and 403 included (never Django's debug
# page listing every URL): DJANGO_DEBUG=1 brings the debug pages back for a developer. WhiteNoise serves the
# static files straight from the apps' folders, without collectstatic.
DEBUG = env_bool("DJANGO_DEBUG", False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
SECRET_KEY = os.getenv("SECRET_KEY") or "django-insecure-embedded-mode-only-never-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
DEMO_MODE = env_bool("DEMO_MODE", True)
# The demo accounts sign in with the password shown on the login page; SECOND_FACTOR_REQUIRED=1 asks them for
# the second factor as production does (enrolment with any authenticator application at the first login).
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", False)
