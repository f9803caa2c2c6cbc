"""Embedded default: one command, SQLite, jobs in-process, demo accounts shown."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.getenv("SECRET_KEY") or "django-insecure-embedded-mode-only-never-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
DEMO_MODE = env_bool("DEMO_MODE", True)
