import pytest

from carteblanche.exploration.demo import SLUG
from carteblanche.operations.models import Operation
from tests.demo import demo_user


@pytest.fixture
def operation():
    return Operation.objects.get(slug=SLUG)


@pytest.fixture
def team():
    return demo_user("equipe")


@pytest.fixture
def agent():
    return demo_user("agent.caf")


@pytest.fixture
def team_client(client, team):
    client.force_login(team)
    return client


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
