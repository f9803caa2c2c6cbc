"""Public pages served from the cache: rendered once, right after every change the team makes."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.codesign.models import Persona
from carteblanche.mobility import services
from carteblanche.operations.models import Operation
from carteblanche.territories.models import Territory

SLUG = "bassin-de-vie-de-cahors"


def _hit(response):
    return response.get("X-Carteblanche-Cache") == "hit"


@pytest.fixture
def served_stop():
    territory = Territory.objects.get(slug=SLUG)
    plan = services.previous_plan(territory)
    return plan.visits.select_related("stop__commune").first().stop


def test_a_residents_timetable_is_rendered_once_then_read_from_the_cache(client):
    url = reverse("mobility:public", args=[SLUG])
    first = client.get(url)
    assert first.status_code == 200 and not _hit(first)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    # No rendering, no query (the request's transaction aside): the page costs a cache reading.
    assert [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]] == []
    assert _hit(second) and second.content.decode().count("Passages du bus") == first.content.decode().count(
        "Passages du bus"
    )


def test_the_script_nonce_of_a_cached_page_is_the_nonce_of_its_own_answer(client):
    url = reverse("mobility:public", args=[SLUG])
    client.get(url)
    second = client.get(url)
    assert _hit(second)
    header_nonce = re.search(r"'nonce-([^']+)'", second["Content-Security-Policy"]).group(1)
    page_nonces = set(re.findall(r'nonce="([^"]+)"', second.content.decode()))
    assert page_nonces == {header_nonce}


def test_a_change_by_the_team_shows_at_the_next_reading(client, served_stop):
    url = reverse("mobility:public_commune", args=[SLUG, served_stop.commune.insee_code])
    client.get(url)
    assert _hit(client.get(url))
    served_stop.place = "Place du marché couvert (nouvel arrêt)"
    served_stop.save()
    page = client.get(url)
    assert not _hit(page) and "Place du marché couvert (nouvel arrêt)" in page.content.decode()


def test_publishing_a_plan_renders_every_bus_page_again(client, served_stop):
    territory = Territory.objects.get(slug=SLUG)
    urls = [
        reverse("mobility:public", args=[SLUG]),
        reverse("mobility:public_geojson", args=[SLUG]),
        reverse("mobility:public_ics", args=[SLUG, served_stop.commune.insee_code]),
    ]
    for url in urls:
        client.get(url)
        assert _hit(client.get(url)), url
    plan = services.previous_plan(territory)
    services.publish(plan, User.objects.get(email="equipe@demo.carteblanche.fr"))
    assert not any(_hit(client.get(url)) for url in urls)
    calendar = client.get(urls[2])
    assert _hit(calendar) and calendar["Content-Type"].startswith("text/calendar")
    assert calendar["Content-Disposition"].startswith("attachment;")


def test_the_next_day_the_page_is_rendered_for_that_day(client, clock):
    url = reverse("mobility:public", args=[SLUG])
    client.get(url)
    assert _hit(client.get(url))
    clock.shift(datetime.timedelta(days=1))
    assert not _hit(client.get(url))


def test_a_signed_in_agent_never_reads_nor_leaves_a_cached_page(client, demo_password):
    url = reverse("mobility:public", args=[SLUG])
    agent = Client()
    assert agent.login(username="equipe@demo.carteblanche.fr", password=demo_password)
    for _ in range(2):
        assert not _hit(agent.get(url))
    anonymous = client.get(url)
    assert not _hit(anonymous) and "Se déconnecter" not in anonymous.content.decode()


def test_the_operation_public_page_follows_the_team_and_its_figures_are_at_most_five_minutes_old(client, clock):
    operation = Operation.objects.filter(published=True).first()
    url = reverse("public:operation", args=[operation.slug])
    client.get(url)
    assert _hit(client.get(url))
    Persona.objects.create(operation=operation, name="Gérard", portrait="Retraité à Lalbenque, sans voiture")
    page = client.get(url)
    assert not _hit(page) and "Gérard" in page.content.decode()
    assert _hit(client.get(url))
    clock.shift(datetime.timedelta(minutes=6))
    assert not _hit(client.get(url))


def test_without_a_reachable_cache_the_pages_are_rendered(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    url = reverse("mobility:public", args=[SLUG])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and not _hit(response)
