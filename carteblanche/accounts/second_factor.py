"""The second factor of agents who sign in with a password (TOTP, with backup codes), and their known devices.

Aidants Connect asks the same of its helpers: a password alone never opens a file. Every account with a usable
password must, once ``SECOND_FACTOR_REQUIRED`` is on (always in production), enrol an authenticator application
(``enrolment_start`` / ``enrolment_confirm``) and give its code at each login (``second_factor_verify``).
Accounts that sign in through an identity provider (ProConnect) have no usable password and are not asked.

A browser that completed both steps is remembered for ``KNOWN_DEVICE_DAYS`` by a signed cookie bound to the
account and its password: others' failures never slow it down (``login_throttle_for``), and changing the password
forgets every device.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core.french import waiting
from carteblanche.core.throttle import Throttle

from .models import User

DEVICE_NAME = "Application d'authentification"
BACKUP_NAME = "Codes de secours"
BACKUP_CODES = 10
KNOWN_DEVICE_COOKIE = "carteblanche_appareil"
KNOWN_DEVICE_DAYS = 90
_KNOWN_DEVICE_SALT = "carteblanche.accounts.known-device"

DAY = 24 * 60 * 60
# Staff logins from an unknown browser: past 5 failures for one account (or 20 from one address), each attempt
# waits twice as long as the one before (1 s, 2 s… up to 15 min). A mistyping agent waits seconds; a guesser gets
# about a hundred tries a day. Residents' link requests have their own throttles (rights.views): never these.
LOGIN_THROTTLE = Throttle("login", {"account": 5, "address": 20}, window=DAY, slowing=True)
# A known browser counts only its own failures: nobody else's guesses slow it down.
KNOWN_DEVICE_THROTTLE = Throttle("login-known-device", {"account": 10}, window=DAY, slowing=True)
# The six digits: five wrong codes, then the same slowing.
CODE_THROTTLE = Throttle("second-factor", {"account": 5}, window=DAY, slowing=True)


def is_required(user) -> bool:
    """Whether this account must give a second factor: a password account, when the platform asks for one."""
    return bool(settings.SECOND_FACTOR_REQUIRED and user.is_authenticated and user.has_usable_password())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user) -> bool:
    return confirmed_device(user) is not None


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_for_display(device: TOTPDevice) -> str:
    """The key as an authenticator application asks for it when typed by hand: base32, by groups of four."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an SVG data URI (no script, no third party)."""
    from carteblanche.core.qr import qr_data_uri

    return qr_data_uri(device.config_url, scale=5)


@transaction.atomic
def enrolment_start(*, user: User) -> TOTPDevice:
    """The device being enrolled: the same unconfirmed key until it is confirmed (a reload shows the same code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str = ""
    backup_codes: tuple[str, ...] = ()


def _throttled(wait: int) -> Outcome:
    return Outcome(False, f"Trop de codes erronés : pour votre sécurité, réessayez dans {waiting(wait)}.")


def throttled_login_message(wait: int) -> str:
    return f"Trop de tentatives de connexion : pour votre sécurité, réessayez dans {waiting(wait)}."


def _clean(code: str) -> str:
    return "".join(code.split()).lower()


@transaction.atomic
def enrolment_confirm(*, request, device: TOTPDevice, code: str) -> Outcome:
    """A right code confirms the device, issues the backup codes and completes this login."""
    user = request.user
    wait = CODE_THROTTLE.wait(request, str(user.pk))
    if wait:
        return _throttled(wait)
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_clean(code)):
        CODE_THROTTLE.hit(request, str(user.pk))
        JournalEntry.log(action=Action.SECOND_FACTOR_FAILED, actor=user, target=user, details={"étape": "activation"})
        return Outcome(False, "Ce code ne correspond pas. Saisissez les 6 chiffres affichés par l'application.")
    CODE_THROTTLE.clear(request, str(user.pk))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user)
    otp_login(request, device)
    JournalEntry.log(action=Action.SECOND_FACTOR_ENROLLED, actor=user, target=user)
    return Outcome(True, backup_codes=codes)


def _new_backup_codes(user: User) -> tuple[str, ...]:
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = tuple(secrets.token_hex(4) for _ in range(BACKUP_CODES))
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


@transaction.atomic
def backup_codes_renew(*, user: User) -> tuple[str, ...]:
    """New backup codes; the old ones stop working."""
    codes = _new_backup_codes(user)
    JournalEntry.log(action=Action.SECOND_FACTOR_ENROLLED, actor=user, target=user, details={"codes": "renouvelés"})
    return codes


@transaction.atomic
def second_factor_verify(*, request, code: str) -> Outcome:
    """The code of the authenticator application, or one backup code (used once), completes this login."""
    user = request.user
    wait = CODE_THROTTLE.wait(request, str(user.pk))
    if wait:
        return _throttled(wait)
    token = _clean(code)
    device = confirmed_device(user)
    matched = device if device is not None and token.isdigit() and device.verify_token(token) else None
    if matched is None:
        for backup in StaticDevice.objects.filter(user=user, confirmed=True):
            if backup.verify_token(token):  # deletes the code: a backup code serves once
                matched = backup
                break
    if matched is None:
        CODE_THROTTLE.hit(request, str(user.pk))
        JournalEntry.log(action=Action.SECOND_FACTOR_FAILED, actor=user, target=user, details={"étape": "connexion"})
        return Outcome(False, "Ce code n'est pas le bon, ou il a expiré. Saisissez le code affiché maintenant.")
    CODE_THROTTLE.clear(request, str(user.pk))
    otp_login(request, matched)
    if isinstance(matched, StaticDevice):
        JournalEntry.log(
            action=Action.SECOND_FACTOR_OK,
            actor=user,
            target=user,
            details={"code de secours": "utilisé", "restants": backup_codes_left(user)},
        )
    return Outcome(True)


@transaction.atomic
def second_factor_reset(*, user: User, actor: User) -> None:
    """A lost phone: the account's devices are removed; it enrols again at its next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    JournalEntry.log(action=Action.SECOND_FACTOR_RESET, actor=actor, target=user)


# --- Known devices ---------------------------------------------------------------------------------------------


def _binding(user: User) -> str:
    # Bound to the password: changing it (or a reset) forgets every known device.
    return user.get_session_auth_hash()[:16]


def known_device_token(user: User) -> str:
    """The cookie's value for a browser that has just completed the login."""
    return signing.dumps({"u": user.pk, "b": _binding(user), "n": secrets.token_hex(8)}, salt=_KNOWN_DEVICE_SALT)


def remember_device(response, user: User) -> None:
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        known_device_token(user),
        max_age=KNOWN_DEVICE_DAYS * DAY,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def known_device_of(request, email: str) -> str | None:
    """The device's own nonce when this browser completed a login of the account typed, else None."""
    raw = request.COOKIES.get(KNOWN_DEVICE_COOKIE)
    if not raw or not email:
        return None
    try:
        data = signing.loads(raw, salt=_KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_DAYS * DAY)
    except signing.BadSignature:
        return None
    user = User.objects.filter(email__iexact=email.strip(), pk=data.get("u")).first()
    if user is None or data.get("b") != _binding(user):
        return None
    return f"{user.pk}:{data.get('n')}"


def login_throttle_for(request, email: str) -> tuple[Throttle, str]:
    """The throttle and the key that count this attempt: the known device's own, or the account's and address's."""
    device = known_device_of(request, email)
    if device is not None:
        return KNOWN_DEVICE_THROTTLE, device
    return LOGIN_THROTTLE, email
