import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
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


@pytest.mark.parametrize("model", ["exploration.residentcontact", "codesign.participant"])
def test_residents_personal_data_in_the_admin_is_for_superusers_and_journaled(client, model):
    from carteblanche.audit.enums import Action
    from carteblanche.audit.models import JournalEntry
    from carteblanche.codesign.models import Participant, Workshop
    from tests.factories import UserFactory

    app_label, model_name = model.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label=app_label, content_type__model=model_name)
    )
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(User.objects.get(email="admin@demo.carteblanche.fr"))
    before = JournalEntry.objects.filter(action=Action.PERSONAL_DATA_READ).count()
    assert client.get(url).status_code == 200
    if model == "codesign.participant":
        workshop = Workshop.objects.first()
        participant = Participant.objects.create(workshop=workshop, kind="usager", first_name="Aline")
        assert client.get(reverse("admin:codesign_participant_change", args=[participant.pk])).status_code == 200
        read = JournalEntry.objects.filter(action=Action.PERSONAL_DATA_READ, target_label__contains="Aline")
        assert read.exists()
    assert JournalEntry.objects.filter(action=Action.PERSONAL_DATA_READ).count() > before


@pytest.mark.parametrize("model", ["exploration.irritantevent", "codesign.experimentevent", "audit.journalentry"])
def test_histories_are_read_only_in_the_admin(client, model):
    app_label, model_name = model.split(".")
    client.force_login(User.objects.get(email="admin@demo.carteblanche.fr"))
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 403
    entry = apps.get_model(app_label, model_name).objects.first()
    if entry is not None:
        assert client.post(reverse(f"admin:{app_label}_{model_name}_delete", args=[entry.pk])).status_code == 403
