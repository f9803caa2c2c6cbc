"""The second factor of password accounts (TOTP and backup codes), and the login throttle that slows guessers
without locking the right person out."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from carteblanche.accounts import second_factor
from carteblanche.accounts.models import User
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry

EMAIL = "equipe@demo.carteblanche.fr"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.SECOND_FACTOR_REQUIRED = True


def text(response) -> str:
    return html.unescape(response.content.decode())


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the agent's phone shows now (the test clock's now), or ``steps_ahead`` periods of 30 s later."""
    return f"{totp(device.bin_key, device.step, device.t0 - steps_ahead * device.step, device.digits):06d}"


def password_step(client, password, email=EMAIL, next_url=""):
    return client.post(reverse("accounts:login") + next_url, {"username": email, "password": password})


def enrol(client, password) -> tuple[TOTPDevice, list[str]]:
    password_step(client, password)
    client.get(reverse("accounts:second_factor_setup"))
    device = TOTPDevice.objects.get(user__email=EMAIL)
    response = client.post(reverse("accounts:second_factor_setup"), {"code": code_of(device)})
    codes = re.findall(r"<code>([0-9a-f]{8})</code>", text(response))
    return device, codes


def test_a_password_alone_opens_nothing_until_an_authenticator_is_paired(client, demo_password, clock):
    response = password_step(client, demo_password, next_url="?next=/mon-compte/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    # Half signed in: every page, the administration and the public pages included, leads to the second step.
    for url in ("/mon-compte/", "/admin/", "/territoires/bassin-de-vie-de-cahors/", "/"):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion/double-authentification/" in response["Location"], url

    page = text(client.get(reverse("accounts:second_factor_setup") + "?next=/mon-compte/"))
    assert "data:image/svg+xml" in page and "Activer la double authentification" in page
    device = TOTPDevice.objects.get(user__email=EMAIL, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    assert len(secret.replace(" ", "")) == 32  # the key to type by hand, by groups of four

    wrong = client.post(reverse("accounts:second_factor_setup"), {"code": "000000", "next": "/mon-compte/"})
    assert "Ce code ne correspond pas" in text(wrong)
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    done = client.post(reverse("accounts:second_factor_setup"), {"code": code_of(device), "next": "/mon-compte/"})
    body = text(done)
    assert "La double authentification est activée" in body
    assert len(re.findall(r"<code>[0-9a-f]{8}</code>", body)) == 10
    assert second_factor.KNOWN_DEVICE_COOKIE in done.cookies
    assert client.get("/mon-compte/").status_code == 200
    assert "Il vous reste 10\u00a0codes de secours" in text(client.get("/mon-compte/"))
    assert JournalEntry.objects.filter(action=Action.SECOND_FACTOR_ENROLLED, actor_label=EMAIL).exists()


def test_each_login_asks_the_code_which_serves_once(client, demo_password, clock):
    device, _codes = enrol(client, demo_password)
    client.post(reverse("accounts:logout"))

    response = password_step(client, demo_password)
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    assert client.get("/mon-compte/").status_code == 302
    # The code already used at the enrolment is refused: a code seen over a shoulder cannot be replayed.
    replay = client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
    assert "Ce code n'est pas le bon" in text(replay)
    clock.shift(datetime.timedelta(seconds=30))
    ok = client.post(reverse("accounts:second_factor"), {"code": code_of(device), "next": "/mon-compte/"})
    assert ok.status_code == 302 and ok["Location"] == "/mon-compte/"
    assert client.get("/mon-compte/").status_code == 200


def test_a_backup_code_replaces_a_lost_phone_once(client, demo_password):
    _device, codes = enrol(client, demo_password)
    client.post(reverse("accounts:logout"))
    password_step(client, demo_password)
    assert client.post(reverse("accounts:second_factor"), {"code": codes[0].upper()}).status_code == 302
    client.post(reverse("accounts:logout"))
    password_step(client, demo_password)
    again = client.post(reverse("accounts:second_factor"), {"code": codes[0]})
    assert again.status_code == 200 and "Ce code n'est pas le bon" in text(again)
    entry = JournalEntry.objects.filter(action=Action.SECOND_FACTOR_OK).latest("pk")
    assert entry.details["restants"] == 9


def test_wrong_codes_are_slowed_down_then_the_right_one_passes(client, demo_password, clock):
    device, _codes = enrol(client, demo_password)
    client.post(reverse("accounts:logout"))
    password_step(client, demo_password)
    for _ in range(5):
        wrong = client.post(reverse("accounts:second_factor"), {"code": "123456"})
        assert "Ce code n'est pas le bon" in text(wrong)
    # Five failures: the next attempt waits a second after the last one (then 2 s, 4 s… up to 15 minutes).
    refused = client.post(reverse("accounts:second_factor"), {"code": code_of(device, 1)})
    assert "Trop de codes erronés : pour votre sécurité, réessayez dans 1\u00a0seconde" in text(refused)
    assert JournalEntry.objects.filter(action=Action.SECOND_FACTOR_FAILED).count() == 5
    clock.shift(datetime.timedelta(seconds=2))
    assert client.post(reverse("accounts:second_factor"), {"code": code_of(device, 1)}).status_code == 302


def test_password_guessing_slows_guesses_but_never_the_agents_right_password(client, demo_password, clock):
    enrol(client, demo_password)  # this browser completed both steps: it is known
    client.post(reverse("accounts:logout"))
    attacker = Client()
    for _ in range(15):  # guesses spaced out so that each one is heard: the wait doubles with each failure
        attacker.post(reverse("accounts:login"), {"username": EMAIL, "password": "devine"})
        clock.shift(datetime.timedelta(minutes=20))
    attacker.post(reverse("accounts:login"), {"username": EMAIL, "password": "devine"})
    # Another guess waits a quarter of an hour.
    refused = password_step(attacker, "encore-devine")
    assert refused.status_code == 200 and "Trop de tentatives de connexion" in text(refused)
    assert "réessayez dans 15\u00a0minutes" in text(refused)
    # The agent on a new browser (the same shared address) is not locked out by those guesses: her right password
    # leads to the code, which has its own limit.
    new_browser = password_step(Client(), demo_password)
    assert new_browser.status_code == 302 and new_browser["Location"].startswith(reverse("accounts:second_factor"))
    # The agent's own browser is not slowed by someone else's guesses: the right password leads to the code.
    mine = password_step(client, demo_password)
    assert mine.status_code == 302 and mine["Location"].startswith(reverse("accounts:second_factor"))


def test_a_mistyping_agent_waits_seconds_not_a_quarter_of_an_hour(client, demo_password, clock):
    for _ in range(5):
        password_step(client, "faute-de-frappe")
    wait = password_step(client, demo_password)
    assert "réessayez dans 1\u00a0seconde" in text(wait)
    clock.shift(datetime.timedelta(seconds=2))
    assert password_step(client, demo_password).status_code == 302


def test_a_password_change_forgets_every_known_browser(client, demo_password):
    enrol(client, demo_password)
    user = User.objects.get(email=EMAIL)
    cookie = client.cookies[second_factor.KNOWN_DEVICE_COOKIE].value
    request = type("R", (), {"COOKIES": {second_factor.KNOWN_DEVICE_COOKIE: cookie}})()
    assert second_factor.known_device_of(request, EMAIL) is not None
    assert second_factor.known_device_of(request, "jury@demo.carteblanche.fr") is None
    user.set_password("Un-nouveau-mot-de-passe-42")
    user.save()
    assert second_factor.known_device_of(request, EMAIL) is None
    forged = type("R", (), {"COOKIES": {second_factor.KNOWN_DEVICE_COOKIE: cookie[:-2] + "xx"}})()
    assert second_factor.known_device_of(forged, EMAIL) is None


def test_the_administration_resets_a_lost_phone_and_the_agent_enrols_again(client, demo_password):
    enrol(client, demo_password)
    admin = User.objects.get(email="admin@demo.carteblanche.fr")
    user = User.objects.get(email=EMAIL)
    second_factor.second_factor_reset(user=user, actor=admin)
    assert not second_factor.is_enrolled(user) and second_factor.backup_codes_left(user) == 0
    entry = JournalEntry.objects.get(action=Action.SECOND_FACTOR_RESET)
    assert entry.actor_label == "admin@demo.carteblanche.fr" and entry.target_id == str(user.pk)
    fresh = Client()
    response = password_step(fresh, demo_password)
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))


def test_the_reset_is_an_action_of_the_accounts_page_and_keys_are_never_shown(client, demo_password, settings):
    enrol(Client(), demo_password)
    settings.SECOND_FACTOR_REQUIRED = False  # the administrator below signs in with force_login
    client.force_login(User.objects.get(email="admin@demo.carteblanche.fr"))
    user = User.objects.get(email=EMAIL)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "Double authentification réinitialisée pour 1\u00a0compte" in text(response)
    assert not second_factor.is_enrolled(user)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_accounts_without_a_password_are_not_asked(client):
    user = User.objects.create_user(email="proconnect@exemple.fr")  # no usable password: an identity provider's
    client.force_login(user)
    assert client.get("/mon-compte/").status_code == 200
