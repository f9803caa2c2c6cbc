"""A record's key past 64 bits in a form is the field's own French error, never a crash of the database driver."""

import html

from django.urls import reverse

from carteblanche.exploration.demo import SLUG
from carteblanche.exploration.models import Irritant
from tests.demo import demo_user


def test_a_huge_commune_key_is_an_invalid_choice_not_a_500(client):
    client.force_login(demo_user("equipe"))
    before = Irritant.objects.count()
    response = client.post(
        reverse("exploration:irritant_create", kwargs={"slug": SLUG}),
        {"title": "Guichet fermé", "communes": ["9" * 400, "12"]},
    )
    assert response.status_code == 200
    assert "n’est pas une valeur correcte" in html.unescape(response.content.decode())
    assert Irritant.objects.count() == before


def test_a_huge_code_number_in_the_codebook_is_not_found(client):
    client.force_login(demo_user("equipe"))
    url = reverse("exploration:codes", kwargs={"slug": SLUG})
    response = client.post(url, {"action": "merge", "code": "9" * 30, "target": "99:99"})
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()


def test_a_nul_character_in_a_field_is_a_french_400_and_nothing_is_written(client):
    """PostgreSQL refuses NUL in text: a view that saved the field as posted answered 500 there (the fuzzer)."""
    from carteblanche.exploration.models import PriorityExpectation

    client.force_login(demo_user("equipe"))
    before = PriorityExpectation.objects.count()
    url = reverse("exploration:priorities", kwargs={"slug": SLUG})
    response = client.post(url, {"title": "Horaires", "description": "avant\x00après"})
    assert response.status_code == 400
    assert "caractère nul" in html.unescape(response.content.decode())
    assert PriorityExpectation.objects.count() == before
    assert client.get(url + "?q=%00").status_code == 400
