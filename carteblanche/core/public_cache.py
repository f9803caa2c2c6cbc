"""Public pages that change only when the team publishes, rendered once and then served from the cache.

A resident reading the bus timetable of her commune, its calendar or its poster, or the operation's public page,
costs no rendering after the first reader: ``@public_page("bus")`` keeps the response (body and the headers a
reader needs) in the shared cache, for people without an account only (the header of a signed-in agent differs).

Invalidation, not expiry, keeps the pages right: each scope has a generation number, part of every key, that
changes when a row of a model the pages read is saved or deleted (``depends_on``) or when the team publishes
(``invalidate``). The day is part of the key too (« cette semaine », « prochain passage »). Figures counted from
residents' input (irritants heard) are not followed row by row: the scope's ``timeout`` bounds their delay.

What is never cached: a page that set a cookie, used the CSRF token, touched the session, carried a message to
show, or answered anything but 200. The per-request CSP nonce is put back into the stored body on each reading.
When the cache cannot be reached (Redis down), the page is rendered as if there were no cache.
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

from .throttle import unreachable_errors

logger = logging.getLogger(__name__)

NONCE_MARK = "__carteblanche_csp_nonce__"
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control")
TIMEOUTS = {}  # scope -> seconds


def _generation_key(scope):
    return f"public:gen:{scope}"


def _safely(method, *args):
    """The cache's answer, or None when it cannot be reached (the page is then rendered without it)."""
    try:
        return getattr(cache, method)(*args)
    except unreachable_errors() as exc:
        logger.warning("public_cache_unreachable operation=%s error=%s", method, type(exc).__name__)
        return None


def invalidate(scope: str) -> None:
    """Every page of the scope is rendered again at its next reading (for everyone, in every worker)."""
    _safely("set", _generation_key(scope), uuid.uuid4().hex, None)


def depends_on(scope: str, *models) -> None:
    """Saving or deleting a row of one of these models invalidates the scope."""

    def changed(sender, **kwargs):
        # Now, and again once the change is committed: a page rendered meanwhile by another reader, from the rows
        # before the commit, must not stay under the new generation.
        invalidate(scope)
        transaction.on_commit(lambda: invalidate(scope))

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, weak=False, dispatch_uid=f"public_cache:{scope}:{model._meta.label}")
        for field in model._meta.many_to_many:  # links added or removed (an experiment's irritants…)
            m2m_changed.connect(
                changed, sender=field.remote_field.through, weak=False, dispatch_uid=f"public_cache:{scope}:{field}"
            )


def _key(scope, request):
    generation = cache.get(_generation_key(scope))
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(_generation_key(scope), generation, None):
            generation = cache.get(_generation_key(scope))
    path = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    return f"public:page:{scope}:{generation}:{timezone.localdate().isoformat()}:{path}"


def _readable_from_cache(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not len(messages.get_messages(request))


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
    )


def _nonce(request) -> str:
    # str(), not a truth test: django-csp's lazy nonce is falsy until something reads it.
    nonce = getattr(request, "csp_nonce", None)
    return "" if nonce is None else str(nonce)


def _freeze(request, response) -> dict:
    body = response.content
    nonce = _nonce(request)
    if nonce:
        body = body.replace(nonce.encode(), NONCE_MARK.encode())
    return {"body": body, "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}}


def _thaw(request, stored: dict) -> HttpResponse:
    body = stored["body"]
    if NONCE_MARK.encode() in body:
        body = body.replace(NONCE_MARK.encode(), _nonce(request).encode())
    response = HttpResponse(body)
    for header, value in stored["headers"].items():
        response[header] = value
    response["X-Carteblanche-Cache"] = "hit"
    return response


def public_page(scope: str):
    """Decorates a public view: its anonymous 200 answers are kept until the scope changes (or its timeout)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _readable_from_cache(request):
                return view(request, *args, **kwargs)
            try:
                key = _key(scope, request)
            except unreachable_errors() as exc:
                logger.warning("public_cache_unreachable operation=key error=%s", type(exc).__name__)
                return view(request, *args, **kwargs)
            stored = _safely("get", key)
            if stored is not None:
                return _thaw(request, stored)
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                _safely("set", key, _freeze(request, response), TIMEOUTS.get(scope, 3600))
            return response

        return wrapper

    return decorator


def set_timeout(scope: str, seconds: int) -> None:
    TIMEOUTS[scope] = seconds
