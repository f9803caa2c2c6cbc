"""Settings shared by every environment, read from the environment.

The embedded default (no variable set) runs on SQLite with background jobs in-process.
Production sets DJANGO_SETTINGS_MODULE=config.settings.prod and the variables listed in the README.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.getenv(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.getenv("SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "carteblanche.core",
    "carteblanche.accounts",
    "carteblanche.territories",
    "carteblanche.audit",
    "carteblanche.operations",
    "carteblanche.exploration",
    "carteblanche.codesign",
    "carteblanche.rights",
    "carteblanche.mobility",
    "carteblanche.quality",
    "carteblanche.bookings",
    "carteblanche.childcare",
    "carteblanche.vigies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "carteblanche.core.http.RefuseNullCharacters",
    "carteblanche.core.http.DatabaseUnavailable",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "carteblanche.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "carteblanche.core.pdf.PdfUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "carteblanche" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dsfr.context_processors.site_config",
                "carteblanche.core.context_processors.platform",
            ],
            # French plurals and formats, and numbers for machines, in every template (core/french.py).
            "builtins": ["carteblanche.core.templatetags.french"],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or any URL dj-database-url knows) with DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.getenv("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A runaway query or a stuck lock must never hold a web worker for long.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c statement_timeout=30000 -c lock_timeout=10000"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
# Agents with a password give a second factor (TOTP) at each login; production refuses to start without it.
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Carte blanche"
# ProConnect for agents, FranceConnect v2 for residents (accounts.oidc): each is on when its discovery URL and client
# are set. The discovery URLs of the integration platforms are the defaults' comments; production's are
# https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration (ProConnect) and
# https://oidc.franceconnect.gouv.fr/api/v2/.well-known/openid-configuration (FranceConnect).
OIDC_PROVIDERS = {
    "proconnect": {
        "label": "ProConnect",
        # integration: https://fca.integ01.dev-agentconnect.fr/api/v2/.well-known/openid-configuration
        "discovery_url": os.getenv("PROCONNECT_DISCOVERY_URL", ""),
        "client_id": os.getenv("PROCONNECT_CLIENT_ID", ""),
        "client_secret": os.getenv("PROCONNECT_CLIENT_SECRET", ""),
        "scopes": os.getenv("PROCONNECT_SCOPES", "openid email given_name usual_name uid siret idp_id"),
        "algorithm": os.getenv("PROCONNECT_SIGN_ALGO", "RS256"),  # the one chosen at registration
        "extra_params": {},  # ProConnect refuses any parameter it does not know
        "callback": "accounts:proconnect_callback",
        "post_logout": "accounts:oidc_logged_out",
    },
    "franceconnect": {
        "label": "FranceConnect",
        # sandbox: https://fcp-low.sbx.dev-franceconnect.fr/api/v2/.well-known/openid-configuration
        "discovery_url": os.getenv("FRANCECONNECT_DISCOVERY_URL", ""),
        "client_id": os.getenv("FRANCECONNECT_CLIENT_ID", ""),
        "client_secret": os.getenv("FRANCECONNECT_CLIENT_SECRET", ""),
        "scopes": os.getenv("FRANCECONNECT_SCOPES", "openid given_name family_name birthdate email"),
        "algorithm": os.getenv("FRANCECONNECT_SIGN_ALGO", "ES256"),
        "extra_params": {"acr_values": "eidas1", "prompt": "login consent"},
        "callback": "rights:franceconnect_callback",
        "post_logout": "rights:franceconnect_logged_out",
    },
}
OIDC_ORIGINS = sorted(
    {
        f"{urlsplit(conf['discovery_url']).scheme}://{urlsplit(conf['discovery_url']).netloc}"
        for conf in OIDC_PROVIDERS.values()
        if urlsplit(conf["discovery_url"]).netloc
    }
)
# Agents log in with ProConnect in production; a local password (with its second factor) only where this allows it
# (the embedded demo, a territory without ProConnect yet). Administrators keep theirs.
AGENT_PASSWORDS_ALLOWED = env_bool("AGENT_PASSWORDS_ALLOWED", True)
# The platform's own throttle slows wrong codes down (accounts.second_factor), with a French message.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "carteblanche" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Cache: login throttling counts. Per process by default; share it between web workers with Redis.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
    if os.getenv("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content security policy (django-csp 4): no inline script without the per-request nonce,
# no third-party origin at all (the map works with no tile server).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The providers' logout is reached by a form (a POST, then their end of session): their origins too.
        "form-action": [SELF, *OIDC_ORIGINS],
        "frame-ancestors": [NONE],
    }
}

# django-dsfr
DSFR_MARK_OPTIONAL_FIELDS = True

# Background jobs: Celery with a broker when CELERY_BROKER_URL is set, in-process otherwise.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL") or None
CELERY_RESULT_BACKEND = None  # progress and results live in the Job table
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a job whose worker dies is redelivered; tasks are idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
from celery.schedules import crontab  # noqa: E402

# Periodic tasks (the ``beat`` process of the Procfile); in embedded mode, cron runs the matching commands.
CELERY_BEAT_SCHEDULE = {
    "rappels-trajets-solidaires": {"task": "mobility.send_ride_reminders", "schedule": crontab(hour=17, minute=0)},
    "rappels-rendez-vous": {"task": "bookings.send_reminders", "schedule": 10 * 60.0},
    "webhooks-rendez-vous": {"task": "bookings.deliver_webhooks", "schedule": 60.0},
    "rappels-disponibilites-garde": {
        "task": "childcare.send_availability_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "vigies-en-retard": {"task": "vigies.escalate_overdue", "schedule": 15 * 60.0},
    "retention-quotidienne": {"task": "core.apply_retention", "schedule": crontab(hour=3, minute=30)},
    "reprise-des-taches": {"task": "core.resume_jobs", "schedule": 60.0},
    "messages-en-attente": {"task": "core.send_pending_messages", "schedule": 60.0},
}
# A running job whose worker wrote no heartbeat for this long is taken up by another (core.jobs).
JOB_STALL_SECONDS = int(os.getenv("JOB_STALL_SECONDS", "120"))

# Quality of service (issue 16): below this many observations a rate is published as its count and 95 % interval,
# never as a plain number; past this many answers from one source within an hour, answers are flagged for the team.
QUALITY_MIN_ANSWERS = int(os.getenv("QUALITY_MIN_ANSWERS", "30"))
QUALITY_BURST_PER_HOUR = int(os.getenv("QUALITY_BURST_PER_HOUR", "12"))
# Small counts (core.disclosure): a count of people under this, above zero, reads « moins de 3 » (childcare coverage,
# vigies' figures), and no median or share is computed from fewer.
SMALL_COUNT_MIN = int(os.getenv("SMALL_COUNT_MIN", "3"))
# Fail fast when Redis is down (the job then waits and says so) rather than hold the agent's request.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# In the embedded mode, run jobs in a background thread of the web process (True) or inline (False).
JOBS_IN_THREAD = env_bool("JOBS_IN_THREAD", True)

# Number of reverse proxies in front of the application that append the client to X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.getenv("TRUSTED_PROXY_COUNT", "0"))
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a job whose worker process is killed goes back to the queue

# SMS to people without e-mail (rights notices, ride proposals and reminders): a dotted path to a class with
# ``send(phone, text)``; the console backend prints them.
SMS_BACKEND = os.getenv("SMS_BACKEND", "carteblanche.core.messaging.ConsoleSmsBackend")
SMS_API_URL = os.getenv("SMS_API_URL", "")  # HttpSmsBackend: the gateway's HTTPS address
SMS_API_TOKEN = os.getenv("SMS_API_TOKEN", "")

# Where the administration is served ("admin/" by default); empty: no administration at all on this instance.
_ADMIN_PATH = os.getenv("ADMIN_URL", "admin").strip().strip("/")
ADMIN_URL = f"{_ADMIN_PATH}/" if _ADMIN_PATH else ""

# Show the demo accounts on the home and login pages (never in production).
DEMO_MODE = env_bool("DEMO_MODE", False)
DEMO_PASSWORD = "demo-carteblanche-2018"

PLATFORM_URL = os.getenv("PLATFORM_URL", "http://127.0.0.1:8000")  # for links in e-mails
PLATFORM_CONTACT_EMAIL = os.getenv("PLATFORM_CONTACT_EMAIL", "carteblanche@lot.gouv.fr")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Carte blanche <ne-pas-repondre@carteblanche.gouv.fr>")
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.getenv("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"kv": {"format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"}},
    "filters": {"one_line_refusals": {"()": "carteblanche.core.logs.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv", "filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "carteblanche.core.views.csrf_failure"
