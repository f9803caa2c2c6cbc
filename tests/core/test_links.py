"""The one home of personal links and codes: hashed, for one purpose and one thing, expiring, used once or not,
revoked when their purpose ends; a code void after five wrong tries."""

import datetime
import threading

import pytest
from django.db import connection

from carteblanche.core import links
from carteblanche.core.models import PersonalLink
from carteblanche.rights.models import Person


@pytest.fixture
def person():
    return Person.objects.filter(first_name="Sarah").first()


def test_only_a_hash_is_kept_and_the_link_opens_once(person):
    token = links.issue(purpose="essai", target=person, lifetime=datetime.timedelta(minutes=30))
    stored = PersonalLink.objects.get()
    assert token not in stored.token_hash and len(token) >= 40
    assert links.find(token, purpose="essai").target == person  # looking does not use it
    assert links.use(token, purpose="essai").object_id == person.pk
    assert links.use(token, purpose="essai") is None and links.find(token, purpose="essai") is None


def test_a_link_opens_only_for_its_purpose_and_until_it_expires(person, clock):
    token = links.issue(purpose="essai", target=person, lifetime=datetime.timedelta(minutes=30))
    assert links.find(token, purpose="autre") is None
    clock.shift(datetime.timedelta(minutes=31))
    assert links.use(token, purpose="essai") is None


def test_a_new_link_replaces_the_earlier_and_revoking_ends_them(person):
    first = links.issue(purpose="essai", target=person, single_use=False)
    second = links.issue(purpose="essai", target=person, single_use=False)
    assert links.find(first, purpose="essai") is None
    assert links.use(second, purpose="essai") and links.use(second, purpose="essai")  # not used up
    assert links.revoke(purpose="essai", target=person) == 1
    assert links.find(second, purpose="essai") is None


def test_a_code_is_keyed_and_void_after_five_wrong_tries(person):
    candidates = Person.objects.filter(pk=person.pk)
    code = links.issue_code(purpose="essai-code", target=person, lifetime=datetime.timedelta(minutes=10))
    assert len(code) == 6 and code not in PersonalLink.objects.get().token_hash
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(links.CODE_ATTEMPTS):
        assert links.use_code(purpose="essai-code", candidates=candidates, code=wrong) is None
    assert links.use_code(purpose="essai-code", candidates=candidates, code=code) is None
    again = links.issue_code(purpose="essai-code", target=person, lifetime=datetime.timedelta(minutes=10))
    assert links.use_code(purpose="essai-code", candidates=candidates, code=again) == person
    assert links.use_code(purpose="essai-code", candidates=candidates, code=again) is None  # once


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("sqlite" in connection.settings_dict["ENGINE"], reason="two connections at once: PostgreSQL")
def test_two_requests_at_the_same_instant_use_a_link_once(reload_demo):
    person = Person.objects.filter(first_name="Sarah").first()
    token = links.issue(purpose="essai", target=person)
    results, barrier = [], threading.Barrier(2)

    def open_it():
        barrier.wait()
        results.append(links.use(token, purpose="essai"))
        connection.close()

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r is not None for r in results) == [False, True]
