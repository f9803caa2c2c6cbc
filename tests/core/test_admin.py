import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from carteblanche.accounts.models import User

PROJECT_APPS = {"accounts", "territories", "audit", "core", "exploration", "codesign"}


def test_every_model_has_an_admin_with_french_names():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            assert admin.site.is_registered(model), model
            assert model._meta.verbose_name == model._meta.verbose_name.lower(), model


@pytest.mark.parametrize(
    "model", [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS], ids=lambda m: m._meta.label
)
def test_admin_changelists_open(client, model):
    client.force_login(User.objects.get(email="admin@demo.carteblanche.fr"))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert "Administration de Carte blanche" in response.content.decode()
