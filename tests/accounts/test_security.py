import pytest
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
