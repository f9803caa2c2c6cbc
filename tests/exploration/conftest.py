import pytest

from carteblanche.accounts.models import User
from carteblanche.exploration.demo import SLUG
from carteblanche.operations.models import Operation


@pytest.fixture
def operation():
    return Operation.objects.get(slug=SLUG)


@pytest.fixture
def team():
    return User.objects.get(email="equipe@demo.carteblanche.fr")


@pytest.fixture
def agent():
    return User.objects.get(email="agent.caf@demo.carteblanche.fr")


@pytest.fixture
def team_client(client, team):
    client.force_login(team)
    return client


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
