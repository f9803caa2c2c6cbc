"""The one throttle: per account, per browser, per network address, each throttle with its own counters."""

import datetime

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.test import RequestFactory

from carteblanche.core.throttle import Throttle, address_of, browser_of, fingerprint


def request_from(address="192.0.2.10", forwarded=None, session=None):
    request = RequestFactory().post("/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded or "")
    SessionMiddleware(lambda r: None).process_request(request)
    if session is not None:
        request.session = session
    return request


def test_an_account_is_refused_after_its_limit_and_another_is_not():
    throttle = Throttle("essai", {"account": 3, "address": 100})
    request = request_from()
    for _ in range(3):
        assert not throttle.is_blocked(request, "sarah@exemple.fr")
        throttle.hit(request, "sarah@exemple.fr")
    assert throttle.is_blocked(request, "Sarah@Exemple.fr ")  # the same account, however typed
    assert not throttle.is_blocked(request, "odette@exemple.fr")


def test_an_address_is_refused_whatever_the_accounts_it_tries():
    throttle = Throttle("essai", {"account": 5, "address": 4})
    shared, other = request_from("198.51.100.7"), request_from("198.51.100.8")
    for n in range(4):
        throttle.hit(shared, f"personne{n}@exemple.fr")
    assert throttle.is_blocked(shared, "quelqu.un@exemple.fr")
    assert not throttle.is_blocked(other, "quelqu.un@exemple.fr")


def test_a_success_forgets_the_accounts_failures_not_the_addresses():
    throttle = Throttle("essai", {"account": 2, "address": 3})
    request = request_from()
    throttle.hit(request, "a@exemple.fr")
    throttle.hit(request, "a@exemple.fr")
    throttle.clear(request, "a@exemple.fr")
    assert not throttle.is_blocked(request, "a@exemple.fr")
    throttle.hit(request, "b@exemple.fr")
    assert throttle.is_blocked(request, "c@exemple.fr")


def test_throttles_never_share_their_counters():
    """Residents asking for links from a France services counter never lock the agents' logins out."""
    residents = Throttle("liens", {"account": 5, "address": 2})
    staff = Throttle("connexion", {"account": 5, "address": 2})
    request = request_from()
    residents.hit(request, "x@exemple.fr")
    residents.hit(request, "y@exemple.fr")
    assert residents.is_blocked(request, "z@exemple.fr") and not staff.is_blocked(request, "agent@exemple.fr")


def test_a_browser_is_counted_by_its_session(client):
    throttle = Throttle("formulaire", {"browser": 2})
    first, second = request_from(), request_from()
    throttle.hit(first)
    throttle.hit(first)
    assert throttle.is_blocked(first) and not throttle.is_blocked(second)
    assert first.session.session_key  # a browser without a session got one to be counted by


def test_the_window_ends(clock):
    throttle = Throttle("essai", {"account": 1}, window=60)
    request = request_from()
    throttle.hit(request, "a@exemple.fr")
    assert throttle.is_blocked(request, "a@exemple.fr")
    clock.shift(datetime.timedelta(seconds=61))
    assert not throttle.is_blocked(request, "a@exemple.fr")


def test_behind_trusted_proxies_the_client_address_counts_not_the_proxys(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    throttle = Throttle("essai", {"address": 1})
    throttle.hit(request_from("10.0.0.1", forwarded="203.0.113.5"))
    assert throttle.is_blocked(request_from("10.0.0.1", forwarded="203.0.113.5"))
    assert not throttle.is_blocked(request_from("10.0.0.1", forwarded="203.0.113.6"))
    # A client cannot escape by writing its own header in front of the proxy's.
    assert throttle.is_blocked(request_from("10.0.0.1", forwarded="1.2.3.4, 203.0.113.5"))


def test_nothing_personal_is_kept_in_the_keys(settings):
    throttle = Throttle("essai", {"account": 5, "address": 5})
    request = request_from("203.0.113.99")
    throttle.hit(request, "sarah.martin@exemple.fr")
    keys = list(cache._cache.keys())
    assert keys and not any("sarah" in key or "203.0.113.99" in key for key in keys)
    assert address_of(request) == fingerprint("203.0.113.99") != fingerprint("203.0.113.98")
    assert browser_of(request) == fingerprint(request.session.session_key)
    before = fingerprint("203.0.113.99")
    settings.SECRET_KEY = "une-autre-clef-secrete-pour-le-test-0123456789"
    assert fingerprint("203.0.113.99") != before  # keyed: not a plain hash anyone could recompute


def test_an_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="Portées inconnues"):
        Throttle("essai", {"compte": 5})
