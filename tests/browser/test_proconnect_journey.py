"""ProConnect in the browser (issue 20), against the OpenID provider of the login tests running locally: Camille,
agent of the Grand Cahors's France services, opens the login page (its ProConnect button; axe and no sideways
scroll at 1280 and 320 px), is sent to the provider, which knows her by her professional e-mail, authorises, comes
back signed in without a second factor, then leaves: the provider ends its session and sends her back home, told
that she left both."""

import pytest
import requests
from django.core.cache import cache
from playwright.sync_api import expect

from tests.accounts.test_oidc import op, provider_conf  # noqa: F401 — the provider's fixture, shared

from .conftest import assert_accessible
from .crawl import overflow, settle

pytestmark = pytest.mark.browser
AGENT = "agent.franceservices@demo.carteblanche.fr"


def test_an_agent_logs_in_and_out_with_proconnect(page, settings, op):  # noqa: F811
    settings.OIDC_PROVIDERS = {name: provider_conf(op, name) for name in ("proconnect", "franceconnect")}
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "form-action": [*policy["DIRECTIVES"]["form-action"], op]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}  # as OIDC_ORIGINS does
    cache.clear()
    claims = {"email": AGENT, "given_name": "Camille", "usual_name": "Agent", "siret": "", "uid": "1", "idp_id": "x"}
    assert requests.put(f"{op}/users/camille", json=claims, timeout=5).status_code == 204

    page.goto(page.base_url + "/connexion/")
    button = page.get_by_role("link", name="S'identifier avec ProConnect")
    expect(button).to_be_visible()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        assert overflow(page) is None, f"la page de connexion défile horizontalement à {width} px"
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    button.click()
    page.wait_for_url(lambda url: url.startswith(op), wait_until="domcontentloaded")  # its styles are online
    page.locator("input[name=sub]").fill("camille")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(lambda url: url.startswith(page.base_url) and "/connexion/" not in url)
    expect(page.get_by_role("button", name="Se déconnecter").first).to_be_visible()
    assert page.csp_violations == []

    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url(lambda url: url.startswith(op), wait_until="domcontentloaded")  # its styles are online
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(lambda url: url.startswith(page.base_url))
    expect(page.get_by_text("Vous êtes déconnectée de Carte blanche et de ProConnect.")).to_be_visible()
    cache.clear()
