import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from carteblanche.accounts.models import User


def test_password_guessing_is_slowed_down(client, demo_password):
    url = reverse("accounts:login")
    for _ in range(5):
        response = client.post(url, {"username": "jury@demo.carteblanche.fr", "password": "devine"})
        assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    response = client.post(url, {"username": "jury@demo.carteblanche.fr", "password": demo_password})
    assert response.status_code == 200
    assert "Trop de tentatives de connexion" in response.content.decode()


def test_pages_out_of_reach_answer_in_french(client):
    client.force_login(User.objects.get(email="agent.figeac@demo.carteblanche.fr"))
    response = client.get(reverse("territories:detail", kwargs={"slug": "bassin-de-vie-de-cahors"}))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode() and 'lang="fr"' in response.content.decode()
    response = client.get(reverse("audit:journal"))
    assert response.status_code == 403 and "Accès refusé" in response.content.decode()


def test_admin_refuses_an_existing_address_in_another_case(client):
    client.force_login(User.objects.get(email="admin@demo.carteblanche.fr"))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Equipe@Demo.carteblanche.fr",
            "password1": "Un-mot-de-passe-long-42",
            "password2": "Un-mot-de-passe-long-42",
        },
    )
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail." in response.content.decode()


def test_admin_membership_changes_are_journaled(client):
    from carteblanche.accounts.enums import Role
    from carteblanche.audit.enums import Action
    from carteblanche.audit.models import JournalEntry
    from carteblanche.territories.models import Territory

    client.force_login(User.objects.get(email="admin@demo.carteblanche.fr"))
    user = User.objects.create_user(email="nouvelle@exemple.fr")
    territory = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": user.pk, "territory": territory.pk, "role": Role.JURY, "is_active": "on"},
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get(action=Action.MEMBERSHIP_CHANGED)
    assert entry.target_label == "nouvelle@exemple.fr" and entry.territory == territory
    assert entry.actor_label == "admin@demo.carteblanche.fr"


def test_demo_accounts_are_never_created_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="mode démonstration est désactivé"):
        call_command("load_demo")


def test_the_administration_login_is_under_the_same_limit_as_the_site(client):
    """Twenty-five wrong passwords on /admin/login/ no longer let the right one in afterwards."""
    from django.urls import reverse

    url = reverse("admin:login")
    email = "admin@demo.carteblanche.fr"
    for _ in range(5):
        response = client.post(url, {"username": email, "password": "mauvais"})
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    response = client.post(url, {"username": email, "password": settings.DEMO_PASSWORD})
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The site's own login counts the same failures: no second door.
    response = client.post(reverse("accounts:login"), {"username": email, "password": settings.DEMO_PASSWORD})
    assert "Trop de tentatives de connexion" in response.content.decode()


@pytest.mark.parametrize(("value", "expected"), [("gestion-7f3a", "gestion-7f3a/"), ("/ops/", "ops/"), ("", "")])
def test_the_administration_can_be_moved_or_switched_off(value, expected):
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.urls import resolve, Resolver404\n"
        "print(repr(settings.ADMIN_URL))\n"
        "try:\n    resolve('/admin/'); print('admin')\nexcept Resolver404:\n    print('absent')\n"
    )
    env = {**os.environ, "ADMIN_URL": value, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [repr(expected), "absent"]
