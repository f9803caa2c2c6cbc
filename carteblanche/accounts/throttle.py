"""Slow down password guessing: after too many failures for an address or from a client, wait.

Counts live in Django's cache (per process by default; point CACHE_URL at Redis in production so that
every web worker shares them)."""

import hashlib

from django.core.cache import cache

MAX_PER_ACCOUNT = 5
MAX_PER_CLIENT = 20
WINDOW_SECONDS = 15 * 60


def _keys(email: str, client: str) -> tuple[str, str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:account:{digest}", f"login-fail:client:{client}"


def is_blocked(email: str, client: str) -> bool:
    account, origin = _keys(email, client)
    return cache.get(account, 0) >= MAX_PER_ACCOUNT or cache.get(origin, 0) >= MAX_PER_CLIENT


def record_failure(email: str, client: str) -> None:
    for key in _keys(email, client):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)


def clear(email: str, client: str) -> None:
    cache.delete(_keys(email, client)[0])


def client_of(request) -> str:
    from carteblanche.core.http import client_ip

    return client_ip(request) or "inconnu"
