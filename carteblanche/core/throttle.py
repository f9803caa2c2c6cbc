"""The platform's one throttle: attempts counted per account, per browser and per network address.

Every form that can be guessed or flooded (staff login, the residents' one-time links and codes, a workshop's
participant code, the public form) declares a ``Throttle`` with a name and a limit for each scope it counts:

- ``account``: what the person typed to say who she is (an e-mail, a phone number, a workshop and its code);
- ``browser``: the browser's session (its cookie), for public forms where no one says who she is;
- ``address``: the network address, as ``core.http.client_ip`` reads it behind ``TRUSTED_PROXY_COUNT`` proxies.

A throttle either refuses for the rest of its window once a limit is reached (links, codes, public forms), or,
with ``slowing=True`` (staff logins), makes each attempt past the limit wait twice as long as the one before
(1 s, 2 s, 4 s… up to ``max_delay``): a person who mistyped waits seconds, a guesser gets a few tries an hour.

Nothing personal is kept: every key is a keyed fingerprint (``fingerprint``), never an address or an e-mail.
Counts live in Django's cache: per process by default, shared by every web worker once ``CACHE_URL`` points at
Redis (production). Each throttle has its own counters: residents asking for a link never use up the staff's.
When the shared cache cannot be reached (Redis down), each process counts on its own until it is back: the
limits are looser for that time (one count per web worker), never lifted, and nobody is locked out by the outage.
"""

import hashlib
import logging
import math
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache

from .http import client_ip

logger = logging.getLogger(__name__)

SCOPES = ("account", "browser", "address")

_local = LocMemCache("throttle-repli", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def unreachable_errors() -> tuple[type[Exception], ...]:
    """What the shared cache raises when Redis cannot be reached (also read by ``core.public_cache``)."""
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis comes with celery[redis]
        return (ConnectionError, TimeoutError)
    return (RedisError, ConnectionError, TimeoutError)


class _Counts:
    """The shared cache, or this process's own while the shared one cannot be reached."""

    def __getattr__(self, method):
        def call(*args):
            try:
                return getattr(shared_cache, method)(*args)
            except unreachable_errors() as exc:
                logger.warning("throttle_shared_cache_unreachable error=%s", type(exc).__name__)
                return getattr(_local, method)(*args)

        return call


cache = _Counts()


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
    """``limits`` maps each counted scope to the attempts allowed within ``window`` seconds.

    With ``slowing``, an attempt past a limit is refused only until ``wait`` seconds after the last one."""

    name: str
    limits: dict[str, int] = field(default_factory=dict)
    window: int = 15 * 60
    slowing: bool = False
    max_delay: int = 15 * 60

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

    def delay(self, count: int, limit: int) -> int:
        """Seconds an attempt must wait after the last one once ``count`` attempts reached ``limit``."""
        if count < limit:
            return 0
        if not self.slowing:
            return self.window
        return min(2 ** min(count - limit, 30), self.max_delay)

    def wait(self, request, account: str = "") -> int:
        """Seconds before the next attempt is heard (0: now), the longest of every counted scope."""
        keys = self._keys(request, account)
        stored = cache.get_many([k for key in keys.values() for k in (key, f"{key}:last")])
        now = time.time()
        longest = 0.0
        for scope, key in keys.items():
            count = stored.get(key, 0)
            if count < self.limits[scope]:
                continue
            if not self.slowing:
                return self.window
            left = stored.get(f"{key}:last", now) + self.delay(count, self.limits[scope]) - now
            longest = max(longest, left)
        return math.ceil(longest) if longest > 0 else 0

    def is_blocked(self, request, account: str = "") -> bool:
        """True while any counted scope is over its limit (for the window, or, slowing, until its wait is over)."""
        return self.wait(request, account) > 0

    def hit(self, request, account: str = "") -> None:
        """Count one attempt in every scope (the window starts at the first attempt)."""
        now = time.time()
        for key in self._keys(request, account).values():
            cache.add(key, 0, self.window)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, self.window)
            if self.slowing:
                cache.set(f"{key}:last", now, self.window)

    def clear(self, request, account: str = "") -> None:
        """A success forgets the account's failures (not the address's: others may be guessing from it)."""
        if "account" in self.limits:
            key = self._keys(request, account)["account"]
            cache.delete_many([key, f"{key}:last"])
