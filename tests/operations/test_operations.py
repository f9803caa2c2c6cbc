"""The lab's shell: an operation starts with the method's phases, each phase's app seeds its part, the page frame
hides other territories' operations, and an operation keeps a phase."""

import datetime

import pytest
from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.core.errors import ServiceError
from carteblanche.operations import services
from carteblanche.operations.enums import DEFAULT_PHASES, PhaseStatus
from carteblanche.operations.models import Operation
from carteblanche.territories.models import Territory


@pytest.fixture
def fresh():
    return services.operation_create(
        territory=Territory.objects.get(slug="bassin-de-vie-de-cahors"),
        name="Carte blanche — Figeac",
        slug="carte-blanche-figeac",
        start_date=datetime.date(2027, 1, 4),
    )


def test_a_new_operation_has_the_five_phases_and_exploration_seeds_its_groups(fresh):
    phases = list(fresh.phases.order_by("order"))
    assert [p.kind for p in phases] == list(DEFAULT_PHASES)
    assert phases[0].status == PhaseStatus.ONGOING and phases[0].start_date == datetime.date(2027, 1, 4)
    assert all(p.status == PhaseStatus.PLANNED for p in phases[1:])
    assert fresh.affected_groups.exists()  # told through operation_created, without the shell importing exploration


def test_an_operation_keeps_at_least_one_phase(fresh):
    phases = list(fresh.phases.all())
    for phase in phases[1:]:
        services.phase_delete(phase=phase)
    with pytest.raises(ServiceError, match="au moins une phase"):
        services.phase_delete(phase=phases[0])
    assert fresh.phases.count() == 1


def test_the_last_phase_cannot_be_removed_from_the_page(client, fresh):
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    for phase in list(fresh.phases.all())[1:]:
        client.post(reverse("operations:phase_delete", args=[fresh.slug, phase.pk]))
    last = fresh.phases.get()
    page = client.post(reverse("operations:phase_delete", args=[fresh.slug, last.pk]), follow=True)
    assert "Une opération garde au moins une phase." in page.content.decode()
    assert fresh.phases.count() == 1


def test_another_territorys_agent_gets_a_404_on_every_page_of_the_frame(client, fresh):
    outsider = User.objects.exclude(memberships__territory=fresh.territory).filter(is_superuser=False).first()
    client.force_login(outsider)
    for name in ("operation", "operation_edit", "phase_create"):
        assert client.get(reverse(f"operations:{name}", args=[fresh.slug])).status_code == 404
    assert not Operation.objects.for_user(outsider).filter(pk=fresh.pk).exists()
