from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry


def test_home_explains_the_platform_and_lists_demo_accounts(client):
    page = client.get("/").content.decode()
    assert "Réinventer les services publics" in page
    assert "equipe@demo.carteblanche.fr" in page
    assert "demo-carteblanche-2018" in page
    assert "[url - à modifier]" not in page and 'href="#"' not in page


def test_login_with_a_demo_account_and_see_my_account(client, demo_password):
    response = client.post(
        reverse("accounts:login"), {"username": "Agent.CAF@demo.carteblanche.fr", "password": demo_password}
    )
    assert response.status_code == 302
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Bassin de vie de Cahors" in page and "CAF du Lot" in page and "Agent" in page
    assert JournalEntry.objects.filter(action=Action.LOGIN, actor_label="agent.caf@demo.carteblanche.fr").exists()


def test_wrong_password_gets_a_french_error_and_is_journaled(client):
    response = client.post(
        reverse("accounts:login"), {"username": "agent.caf@demo.carteblanche.fr", "password": "mauvais"}
    )
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert JournalEntry.objects.filter(action=Action.LOGIN_FAILED).exists()


def test_logout_is_a_post(client):
    client.force_login(User.objects.get(email="jury@demo.carteblanche.fr"))
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 302


def test_territory_page_shows_population_sites_and_access(client):
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    response = client.get(reverse("territories:detail", kwargs={"slug": "bassin-de-vie-de-cahors"}), {"jour": 0})
    page = response.content.decode().replace("\xa0", " ").replace("\u202f", " ")
    assert "59 communes · 50 849 habitants" in page
    assert "Bus France services Communauté d&#x27;agglomération Grand Cahors" in page
    assert "1,3 × d" in page and "50 km/h" in page
    assert page.count("data-cb-insee=") == 59


def test_geojson_has_every_commune_with_its_colour(client):
    import json

    client.force_login(User.objects.get(email="departement@demo.carteblanche.fr"))
    response = client.get(reverse("territories:geojson", kwargs={"slug": "departement-du-lot"}), {"jour": 6})
    data = json.loads(response.content)
    communes = [f for f in data["features"] if f["properties"]["type"] == "commune"]
    assert len(communes) == 312
    # No France services site opens on Sunday in the Lot.
    assert {f["properties"]["classe"] for f in communes} == {"b0"}


def test_production_settings_refuse_to_start_without_their_essentials():
    import os
    import subprocess
    import sys

    def start(**env):
        base = {
            k: v
            for k, v in os.environ.items()
            if k
            not in {
                "SECRET_KEY",
                "ALLOWED_HOSTS",
                "DATABASE_URL",
                "CELERY_BROKER_URL",
                "JOBS_IN_THREAD",
                "EMAIL_BACKEND",
                "SMS_BACKEND",
                "SMS_API_URL",
                "PLATFORM_URL",
                "CACHE_URL",
                "SECURE_SSL_REDIRECT",
                "SECOND_FACTOR_REQUIRED",
            }
        }
        base["DJANGO_SETTINGS_MODULE"] = "config.settings.prod"
        return subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            env={**base, **env},
            capture_output=True,
            text=True,
        )

    key = {"SECRET_KEY": "k" * 20 + "Zq8-x" * 8}
    hosts = {"ALLOWED_HOSTS": "carteblanche.lot.gouv.fr"}
    database = {"DATABASE_URL": "postgres://carteblanche@127.0.0.1/carteblanche"}
    broker = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}
    assert "SECRET_KEY manquante" in start().stderr
    assert "SECRET_KEY manquante" in start(SECRET_KEY="django-insecure-" + "x" * 60, **hosts).stderr
    assert "ALLOWED_HOSTS manquant" in start(**key).stderr
    no_second_factor = start(**key, **hosts, SECOND_FACTOR_REQUIRED="0").stderr
    assert "SECOND_FACTOR_REQUIRED ne peut pas être désactivé" in no_second_factor
    assert "DATABASE_URL manquante" in start(**key, **hosts).stderr
    assert "CELERY_BROKER_URL manquante" in start(**key, **hosts, **database).stderr
    essentials = {**key, **hosts, **database, **broker}
    assert "EMAIL_BACKEND manquant ou de développement" in start(**essentials).stderr
    console = "django.core.mail.backends.console.EmailBackend"
    assert "EMAIL_BACKEND manquant ou de développement" in start(**essentials, EMAIL_BACKEND=console).stderr
    essentials["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    assert "SMS_BACKEND manquant ou de développement" in start(**essentials).stderr
    sms_console = "carteblanche.core.messaging.ConsoleSmsBackend"
    assert "SMS_BACKEND manquant ou de développement" in start(**essentials, SMS_BACKEND=sms_console).stderr
    essentials["SMS_BACKEND"] = "carteblanche.core.messaging.HttpSmsBackend"
    assert "SMS_API_URL manquante" in start(**essentials, SMS_API_URL="http://sms.exemple.fr/envoi").stderr
    essentials["SMS_API_URL"] = "https://sms.exemple.fr/envoi"
    assert "PLATFORM_URL manquante" in start(**essentials).stderr
    assert (
        "PLATFORM_URL doit commencer par https://" in start(**essentials, PLATFORM_URL="http://127.0.0.1:8000").stderr
    )
    essentials["PLATFORM_URL"] = "https://carteblanche.lot.gouv.fr"
    assert "CACHE_URL manquante" in start(**essentials).stderr
    ok = start(**essentials, CACHE_URL="redis://127.0.0.1:6379/1")
    assert ok.returncode == 0, ok.stderr


def test_whole_lot_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    """312 communes and 24 sites, and still a handful of queries: no query per row."""
    client.force_login(User.objects.get(email="departement@demo.carteblanche.fr"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("territories:detail", kwargs={"slug": "departement-du-lot"}))
    assert response.content.decode().count("data-cb-insee=") == 312
    with django_assert_max_num_queries(8):
        client.get(reverse("territories:geojson", kwargs={"slug": "departement-du-lot"}))
