"""The platform's one throttle: attempts counted per account, per browser and per network address.

Every form that can be guessed or flooded (staff login, the residents' one-time links and codes, a workshop's
participant code, the public form) declares a ``Throttle`` with a name and a limit for each scope it counts:

- ``account``: what the person typed to say who she is (an e-mail, a phone number, a workshop and its code);
- ``browser``: the browser's session (its cookie), for public forms where no one says who she is;
- ``address``: the network address, as ``core.http.client_ip`` reads it behind ``TRUSTED_PROXY_COUNT`` proxies.

Nothing personal is kept: every key is a keyed fingerprint (``fingerprint``), never an address or an e-mail.
Counts live in Django's cache: per process by default, shared by every web worker once ``CACHE_URL`` points at
Redis (production). Each throttle has its own counters: residents asking for a link never use up the staff's.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from .http import client_ip

SCOPES = ("account", "browser", "address")


def fingerprint(value: str) -> str:
    """A value that must be compared but not kept (an address, a session, an e-mail), keyed with the secret key."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()


def address_of(request) -> str:
    """The fingerprint of the request's network address (``client_ip`` trusts only the configured proxies)."""
    return fingerprint(client_ip(request) or "inconnu")


def browser_of(request) -> str:
    """The fingerprint of the browser's session; a session is started if the browser had none."""
    if not request.session.session_key:
        request.session.save()
    return fingerprint(request.session.session_key)


@dataclass(frozen=True)
class Throttle:
    """``limits`` maps each counted scope to the attempts allowed within ``window`` seconds."""

    name: str
    limits: dict[str, int] = field(default_factory=dict)
    window: int = 15 * 60

    def __post_init__(self):
        unknown = set(self.limits) - set(SCOPES)
        if unknown:
            raise ValueError(f"Portées inconnues : {', '.join(sorted(unknown))}")

    def _keys(self, request, account: str) -> dict[str, str]:
        keys = {}
        for scope in self.limits:
            if scope == "account":
                value = fingerprint(account.strip().lower())
            elif scope == "browser":
                value = browser_of(request)
            else:
                value = address_of(request)
            keys[scope] = f"throttle:{self.name}:{scope}:{value[:40]}"
        return keys

    def is_blocked(self, request, account: str = "") -> bool:
        """True once any counted scope has reached its limit within the window."""
        keys = self._keys(request, account)
        counts = cache.get_many(list(keys.values()))
        return any(counts.get(key, 0) >= self.limits[scope] for scope, key in keys.items())

    def hit(self, request, account: str = "") -> None:
        """Count one attempt in every scope (the window starts at the first attempt)."""
        for key in self._keys(request, account).values():
            cache.add(key, 0, self.window)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, self.window)

    def clear(self, request, account: str = "") -> None:
        """A success forgets the account's failures (not the address's: others may be guessing from it)."""
        if "account" in self.limits:
            cache.delete(self._keys(request, account)["account"])
