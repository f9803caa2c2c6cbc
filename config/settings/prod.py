"""Production: everything comes from the environment, and missing essentials stop the start."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, CELERY_BROKER_URL, SECOND_FACTOR_REQUIRED, SECRET_KEY, env_bool

DEBUG = False
DEMO_MODE = env_bool("DEMO_MODE", False)
# Agents log in with ProConnect; a password only on a demo instance or where the territory has no ProConnect yet.
AGENT_PASSWORDS_ALLOWED = env_bool("AGENT_PASSWORDS_ALLOWED", DEMO_MODE)
JOBS_IN_THREAD = env_bool("JOBS_IN_THREAD", False)

_WEAK_KEY_MARKERS = ("insecure", "changeme", "change-me", "secret", "test")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or any(m in SECRET_KEY.lower() for m in _WEAK_KEY_MARKERS):
    raise ImproperlyConfigured(
        "SECRET_KEY manquante ou trop faible : en production, donnez une valeur aléatoire d'au moins "
        "50 caractères (python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS manquant : en production, listez les noms de domaine servis, séparés par des virgules."
    )

if not SECOND_FACTOR_REQUIRED:
    raise ImproperlyConfigured(
        "SECOND_FACTOR_REQUIRED ne peut pas être désactivé en production : un mot de passe seul n'ouvre aucun dossier."
    )

if not os.getenv("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL manquante : en production, indiquez la base PostgreSQL (postgres://utilisateur:mot-de-passe@hôte/base)."
    )
if not CELERY_BROKER_URL and not JOBS_IN_THREAD:
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL manquante : en production, les tâches longues passent par un courtier Redis "
        "(redis://hôte:6379/0) et des workers Celery."
    )

# Messages carry one-time login links and codes (bearer credentials to a resident's whole file): never to a log.
_DEVELOPMENT_MAIL = ("console", "locmem", "dummy", "filebased")
if not os.getenv("EMAIL_BACKEND") or any(f".{name}." in os.environ["EMAIL_BACKEND"] for name in _DEVELOPMENT_MAIL):
    raise ImproperlyConfigured(
        "EMAIL_BACKEND manquant ou de développement : en production, les liens de connexion partiraient dans le "
        "journal du serveur. Indiquez django.core.mail.backends.smtp.EmailBackend et EMAIL_HOST (EMAIL_PORT, "
        "EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS)."
    )
if not os.getenv("SMS_BACKEND") or os.environ["SMS_BACKEND"].rsplit(".", 1)[-1] in (
    "ConsoleSmsBackend",
    "LocmemSmsBackend",
):
    raise ImproperlyConfigured(
        "SMS_BACKEND manquant ou de développement : en production, les codes envoyés par SMS partiraient dans le "
        "journal du serveur. Indiquez carteblanche.core.messaging.HttpSmsBackend avec SMS_API_URL et SMS_API_TOKEN, "
        "ou la classe de votre prestataire."
    )
if os.environ["SMS_BACKEND"].endswith(".HttpSmsBackend") and not os.getenv("SMS_API_URL", "").startswith("https://"):
    raise ImproperlyConfigured("SMS_API_URL manquante : l'adresse HTTPS de la passerelle SMS (https://…).")
if not os.getenv("PLATFORM_URL"):
    raise ImproperlyConfigured(
        "PLATFORM_URL manquante : l'adresse publique du service (https://carteblanche.exemple.gouv.fr), celle des "
        "liens envoyés par courriel et SMS."
    )
if env_bool("SECURE_SSL_REDIRECT", True) and not os.environ["PLATFORM_URL"].startswith("https://"):
    raise ImproperlyConfigured("PLATFORM_URL doit commencer par https:// : les liens envoyés ouvrent des dossiers.")
if not os.getenv("CACHE_URL"):
    raise ImproperlyConfigured(
        "CACHE_URL manquante : en production, les limites d'essais (connexion, liens, codes) sont comptées dans un "
        "cache partagé par tous les processus (redis://hôte:6379/1) ; sans lui, chaque processus compterait à part "
        "et tout serait oublié à chaque redémarrage."
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("BEHIND_HTTPS_PROXY", False):
    # Only behind a proxy that sets (and strips from clients) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
