"""Headers, cookies, CSRF and redirects, checked on the real URL configuration."""

import re
import subprocess
import sys
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.demo import demo_user

SLUG_VALUES = {"slug": "bassin-de-vie-de-cahors"}


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("who", [None, "equipe"])
def test_every_page_sends_a_strict_content_security_policy_and_the_framing_and_sniffing_headers(client, who):
    if who:
        client.force_login(demo_user(who))
    response = client.get(reverse("core:home"))
    directives = _csp(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["object-src"] == "object-src 'none'"
    assert "'nonce-" in directives["script-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_httponly_and_same_site(client):
    client.get(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"), {"username": "equipe@demo.carteblanche.fr", "password": "demo-carteblanche-2018"}
    )
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["samesite"] == "Lax"


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "import django; django.setup(); from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_HTTPONLY)\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "k" * 20 + "Zq8-x" * 8,
        "ALLOWED_HOSTS": "carteblanche.lot.gouv.fr",
        "DATABASE_URL": "postgres://carteblanche@127.0.0.1/carteblanche",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SMS_BACKEND": "carteblanche.core.messaging.HttpSmsBackend",
        "SMS_API_URL": "https://sms.exemple.fr/envoi",
        "PLATFORM_URL": "https://carteblanche.lot.gouv.fr",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["True"] * 5, out.stderr


def _routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _concrete(route: str) -> str | None:
    values = {"slug": SLUG_VALUES["slug"], "int": "1", "uuid": str(uuid.uuid4()), "str": "x", "path": "x"}

    def fill(match):
        converter, name = match.group(1) or "str", match.group(2)
        return SLUG_VALUES.get(name) or values.get(converter, "x")

    if route.startswith("^") or "(?P" in route:
        return None  # regular expressions: the admin's own, protected by Django
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def test_every_route_refuses_a_post_without_its_csrf_token():
    """A state-changing request forged from another site fails on every route of the platform, signed in or not."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_user("admin"))
    checked = []
    for route, pattern in _routes():
        url = _concrete(route)
        if url is None or getattr(pattern.callback, "csrf_exempt", False) and route.startswith("admin"):
            continue
        assert not getattr(pattern.callback, "csrf_exempt", False), f"{route} is exempt from CSRF"
        response = client.post(url, {"x": "1"})
        assert response.status_code == 403, (route, response.status_code)
        checked.append(route)
    assert len(checked) > 100


@pytest.mark.parametrize(
    "target", ["https://pirate.example/", "//pirate.example/", "/\\pirate.example/", "https:pirate.example"]
)
def test_the_login_never_redirects_to_another_site(client, target):
    url = reverse("accounts:login") + "?next=" + target
    response = client.post(url, {"username": "equipe@demo.carteblanche.fr", "password": "demo-carteblanche-2018"})
    assert response.status_code == 302
    assert "pirate" not in response["Location"] and response["Location"].startswith("/")
