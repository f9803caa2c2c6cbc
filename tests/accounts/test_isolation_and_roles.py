import pytest
from django.db import IntegrityError
from django.urls import reverse

from carteblanche.accounts.enums import Role
from carteblanche.accounts.models import Membership, User
from carteblanche.territories.models import Organisation, Territory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

CAHORS = "bassin-de-vie-de-cahors"
FIGEAC = "bassin-de-vie-de-figeac"


def login(client, email):
    client.force_login(User.objects.get(email=email))


@pytest.mark.parametrize(
    "url_name", ["territories:detail", "territories:geojson", "territories:members", "territories:access_week"]
)
def test_agent_of_another_territory_gets_404(client, url_name):
    login(client, "agent.figeac@demo.carteblanche.fr")
    url = reverse(url_name, kwargs={"slug": CAHORS})
    response = client.post(url) if url_name.endswith("access_week") else client.get(url)
    assert response.status_code == 404
    assert client.get(reverse("territories:detail", kwargs={"slug": FIGEAC})).status_code == 200


def test_querysets_hide_other_territories():
    agent = User.objects.get(email="agent.figeac@demo.carteblanche.fr")
    assert list(Territory.objects.for_user(agent).values_list("slug", flat=True)) == [FIGEAC]
    assert not Organisation.objects.for_user(agent).filter(territory__slug=CAHORS).exists()
    assert Organisation.objects.for_user(agent).exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("territories:detail", kwargs={"slug": CAHORS}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_inactive_membership_opens_nothing(client):
    membership = MembershipFactory(agent=True, is_active=False)
    client.force_login(membership.user)
    assert client.get(membership.territory.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("equipe@demo.carteblanche.fr", 200),
        ("prefecture@demo.carteblanche.fr", 200),
        ("agent.caf@demo.carteblanche.fr", 403),
        ("jury@demo.carteblanche.fr", 403),
    ],
)
def test_only_project_team_and_prefecture_see_members(client, email, status):
    login(client, email)
    response = client.get(reverse("territories:members", kwargs={"slug": CAHORS}))
    assert response.status_code == status
    if status == 200:
        assert "agent.caf@demo.carteblanche.fr" in response.content.decode()


@pytest.mark.parametrize(
    ("email", "can_launch"),
    [("equipe@demo.carteblanche.fr", True), ("agent.caf@demo.carteblanche.fr", False)],
)
def test_only_managers_launch_the_weekly_access_job(client, email, can_launch):
    login(client, email)
    page = client.get(reverse("territories:detail", kwargs={"slug": CAHORS})).content.decode()
    assert ("Calculer l'accessibilité de toute la semaine" in page) is can_launch
    response = client.post(reverse("territories:access_week", kwargs={"slug": CAHORS}))
    assert response.status_code == (302 if can_launch else 403)


def test_an_agent_must_have_an_organisation():
    user = UserFactory()
    territory = Territory.objects.get(slug=CAHORS)
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, territory=territory, role=Role.AGENT)


def test_an_agent_organisation_must_belong_to_the_territory():
    from django.core.exceptions import ValidationError

    cahors = Territory.objects.get(slug=CAHORS)
    elsewhere = OrganisationFactory()
    membership = Membership(user=UserFactory(), territory=cahors, role=Role.AGENT, organisation=elsewhere)
    with pytest.raises(ValidationError, match="n'appartient pas à ce territoire"):
        membership.full_clean()


def test_roles_are_per_territory():
    user = User.objects.get(email="equipe@demo.carteblanche.fr")
    assert user.has_role(Territory.objects.get(slug=CAHORS), Role.PROJECT_TEAM)
    assert not user.has_role(Territory.objects.get(slug=FIGEAC), Role.PROJECT_TEAM)
