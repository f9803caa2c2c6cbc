"""An agent's first login with the second factor required: pair the authenticator, keep the backup codes,
then sign in again with a code, at desktop and phone widths."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from .conftest import assert_accessible
from .crawl import overflow

pytestmark = pytest.mark.browser

EMAIL = "agent.caf@demo.carteblanche.fr"


def _code(device: TOTPDevice, ahead: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0 - ahead * device.step, device.digits):06d}"


def test_first_login_pairs_an_authenticator_then_each_login_asks_its_code(page, demo_password, settings):
    settings.SECOND_FACTOR_REQUIRED = True
    page.goto(page.base_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(demo_password)
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_url(re.compile(r".*/connexion/double-authentification/.*"))
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        expect(page.get_by_role("img", name=re.compile("Code QR"))).to_be_visible()
        assert_accessible(page)
        assert overflow(page) is None

    page.get_by_label("Code de vérification").fill("000000")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Ce code ne correspond pas")).to_be_visible()
    assert_accessible(page)

    device = TOTPDevice.objects.get(user__email=EMAIL)
    page.get_by_label("Code de vérification").fill(_code(device))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
    assert page.locator("main code").count() == 10
    assert_accessible(page)
    assert overflow(page) is None
    page.get_by_role("link", name="Continuer").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base_url + "/mon-compte/")
    expect(page.get_by_text("Double authentification : activée")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").first.click()

    page.goto(page.base_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(demo_password)
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_url(re.compile(r".*/connexion/code/.*"))
    assert_accessible(page)
    assert overflow(page) is None
    page.get_by_label("Code de vérification").fill(_code(device, 1))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)
    assert page.csp_violations == []
