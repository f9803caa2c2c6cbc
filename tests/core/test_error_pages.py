"""Refusals and unknown pages, as a user meets them: in French, saying why."""

import datetime
import os
import subprocess
import sys

from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.core.demo import CAHORS
from carteblanche.rights.models import Person
from carteblanche.territories.models import Territory


def test_a_missing_consent_is_not_called_a_question_of_role(client):
    agent = User.objects.get(email="agent.caf@demo.carteblanche.fr")
    client.force_login(agent)
    territory = Territory.objects.get(slug=CAHORS)
    unconsented = Person.objects.create(
        territory=territory, first_name="Lucien", last_name="Vidal", birth_date=datetime.date(1950, 3, 1)
    )
    response = client.get(reverse("rights:person", args=[unconsented.territory.slug, unconsented.public_id]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Aucun consentement actif de cette personne" in page and "demandez à la personne son consentement" in page
    assert "Votre rôle ne vous permet pas" not in page


def test_a_role_refusal_says_it_is_the_role(client):
    client.force_login(User.objects.get(email="jury@demo.carteblanche.fr"))
    response = client.get(reverse("rights:console", args=[CAHORS]))
    assert response.status_code == 403
    assert "Seuls les agents" in response.content.decode()


def test_under_make_run_an_unknown_page_is_the_french_404_not_the_debug_page(tmp_path):
    """`make run` uses the development settings: they must not show Django's debug page listing every URL."""
    code = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.test import Client\n"
        "from django.conf import settings\n"
        "r = Client(HTTP_HOST='127.0.0.1').get('/cette-page-n-existe-pas/')\n"
        "print(settings.DEBUG, r.status_code, 'Page introuvable' in r.content.decode(), "
        "'URLconf' in r.content.decode())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "404", "True", "False"], out.stderr[-2000:]
