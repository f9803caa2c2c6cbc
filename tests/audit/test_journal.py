import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.audit.enums import Action
from carteblanche.audit.models import AppendOnlyError, JournalEntry


@pytest.fixture
def entry():
    return JournalEntry.log(
        action=Action.PERSONAL_DATA_READ,
        actor=User.objects.get(email="agent.caf@demo.carteblanche.fr"),
        reason="Instruction d'un dossier",
        fields=["revenus"],
    )


def test_entries_record_who_when_what_and_why(entry):
    entry.refresh_from_db()
    assert entry.actor_label == "agent.caf@demo.carteblanche.fr"
    assert entry.created_at is not None
    assert entry.reason == "Instruction d'un dossier" and entry.fields == ["revenus"]


def test_application_cannot_change_or_delete(entry):
    entry.reason = "autre chose"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.all().delete()
    assert JournalEntry.objects.get(pk=entry.pk).reason == "Instruction d'un dossier"


def test_database_refuses_raw_update_and_delete(entry):
    table = JournalEntry._meta.db_table
    for sql in (f"UPDATE {table} SET reason = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert JournalEntry.objects.get(pk=entry.pk).reason == "Instruction d'un dossier"


def test_a_journaled_user_cannot_be_deleted(entry):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        User.objects.get(email="agent.caf@demo.carteblanche.fr").delete()


def test_staff_browse_the_journal_others_cannot(client, entry):
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    assert client.get(reverse("audit:journal")).status_code == 403
    client.force_login(User.objects.get(email="admin@demo.carteblanche.fr"))
    page = client.get(reverse("audit:journal"), {"action": Action.PERSONAL_DATA_READ}).content.decode()
    assert "agent.caf@demo.carteblanche.fr" in page and "Instruction d&#x27;un dossier" in page


def test_admin_is_read_only(client, entry):
    client.force_login(User.objects.get(email="admin@demo.carteblanche.fr"))
    assert client.get(reverse("admin:audit_journalentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_journalentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_journalentry_delete", args=[entry.pk])).status_code == 403
