import pytest

from carteblanche.accounts.models import User
from carteblanche.exploration.demo import SLUG
from carteblanche.operations.models import Operation
from tests.codesign.helpers import hackathon_for

from .conftest import assert_accessible
from .test_journeys import login

pytestmark = pytest.mark.browser


def test_hackathon_pages_for_the_team_and_a_juror(browser, live_server, reload_demo, demo_password):
    operation = Operation.objects.get(slug=SLUG)
    hackathon = hackathon_for(operation)
    hackathon.jurors.add(User.objects.get(email="jury@demo.carteblanche.fr"))
    for email, path in (("equipe@demo.carteblanche.fr", ""), ("jury@demo.carteblanche.fr", "jury/")):
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.base_url = live_server.url
        login(page, email, demo_password)
        page.goto(f"{live_server.url}{hackathon.get_absolute_url()}{path}")
        assert page.get_by_text("Covoit'Lot").count() >= 1
        assert_accessible(page)
        context.close()
