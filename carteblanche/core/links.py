"""The platform's one home for personal links and codes: a way in without an account, for one purpose.

    token = links.issue(purpose="espace", target=person, lifetime=timedelta(minutes=30))
    link = links.use(token, purpose="espace")            # None once used, expired, revoked, or unknown
    code = links.issue_code(purpose="espace-sms", target=person, lifetime=timedelta(minutes=10))
    person = links.use_code(purpose="espace-sms", candidates=Person.objects.filter(...), code=code)
    links.revoke(purpose="reponse-chauffeur", target=proposal)   # its purpose is over: it stops working

Only a hash is stored: a random token's SHA-256, or for a six-digit code (guessable offline from a plain hash) an
HMAC keyed with the secret key and salted. A code is void after ``CODE_ATTEMPTS`` wrong tries. A single-use link is
used up by one request only, even when two arrive at the same instant. Who opens a link is throttled by the
caller's ``Throttle``; what a link opens that is personal is journaled by the caller (``audit``), with the reason
only the caller knows.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .models import PersonalLink

CODE_ATTEMPTS = 5


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(salt: str, code: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()
    return f"{salt}${digest[:47]}"


def _expiry(lifetime: datetime.timedelta | None, expires_at: datetime.datetime | None):
    if expires_at is not None:
        return expires_at
    return timezone.now() + lifetime if lifetime is not None else None


@transaction.atomic
def issue(
    *,
    purpose: str,
    target,
    lifetime: datetime.timedelta | None = None,
    expires_at: datetime.datetime | None = None,
    single_use: bool = True,
    replace: bool = True,
    nbytes: int = 32,
    alphabet: str = "",
    length: int = 8,
) -> str:
    """A new link for ``target``; with ``replace``, the earlier links of this purpose for it stop working.

    With ``alphabet``, the token is a code of ``length`` characters from it, to be read aloud or typed on another
    device (letters that cannot be confused); compare it with ``find(normalize(code, alphabet))``."""
    if replace:
        revoke(purpose=purpose, target=target)
    token = secrets.token_urlsafe(nbytes)
    if alphabet:
        token = "".join(secrets.choice(alphabet) for _ in range(length))
    PersonalLink.objects.create(
        purpose=purpose,
        token_hash=token_hash(token),
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        single_use=single_use,
        expires_at=_expiry(lifetime, expires_at),
    )
    return token


@transaction.atomic
def issue_code(*, purpose: str, target, lifetime: datetime.timedelta, replace: bool = True) -> str:
    """A six-digit code for ``target`` (sent by SMS, read out at a counter); earlier codes stop working."""
    if replace:
        revoke(purpose=purpose, target=target)
    code = f"{secrets.randbelow(10**6):06d}"
    PersonalLink.objects.create(
        purpose=purpose,
        token_hash=_code_hash(secrets.token_hex(8), code),
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        expires_at=_expiry(lifetime, None),
    )
    return code


def normalize(code: str, alphabet: str) -> str:
    """A typed code as it was issued: upper case, without spaces, dashes or letters outside ``alphabet``."""
    return "".join(c for c in (code or "").upper() if c in alphabet)


def find(token: str, *, purpose: str) -> PersonalLink | None:
    """The usable link of this token, without using it (a page that only shows a button, for mail scanners)."""
    if not token:
        return None
    return PersonalLink.objects.usable().filter(purpose=purpose, token_hash=token_hash(token)).first()


def use(token: str, *, purpose: str) -> PersonalLink | None:
    """The link, used: a single-use link is used up by one request only, even by two at the same instant."""
    link = find(token, purpose=purpose)
    if link is None or not link.single_use:
        return link
    if not PersonalLink.objects.usable().filter(pk=link.pk).update(used_at=timezone.now()):
        return None
    return link


def use_code(*, purpose: str, candidates: models.QuerySet, code: str):
    """The one of ``candidates`` (targets: persons with this phone number…) whose code this is, the code used up;
    None otherwise, each wrong try counted against every pending code (void after ``CODE_ATTEMPTS``)."""
    content_type = ContentType.objects.get_for_model(candidates.model)
    pending = list(
        PersonalLink.objects.usable().filter(
            purpose=purpose, content_type=content_type, object_id__in=candidates.values("pk")
        )
    )
    code = (code or "").strip()
    for link in pending:
        salt = link.token_hash.split("$", 1)[0]
        if hmac.compare_digest(link.token_hash, _code_hash(salt, code)):
            if PersonalLink.objects.usable().filter(pk=link.pk).update(used_at=timezone.now()):
                return candidates.model.objects.get(pk=link.object_id)
            return None
    for link in pending:
        PersonalLink.objects.filter(pk=link.pk).update(attempts=models.F("attempts") + 1)
        if link.attempts + 1 >= CODE_ATTEMPTS:
            PersonalLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    return None


def revoke(*, purpose: str, target) -> int:
    """Every usable link of this purpose for ``target`` stops working (its purpose is over, or a new one replaces
    it); how many."""
    return PersonalLink.objects.usable().of(target, purpose).update(revoked_at=timezone.now())


def revoke_all(*, purpose: str, targets: models.QuerySet) -> int:
    """Every usable link of this purpose for any of ``targets`` stops working (a workshop closes: its codes)."""
    return (
        PersonalLink.objects.usable()
        .filter(
            purpose=purpose,
            content_type=ContentType.objects.get_for_model(targets.model),
            object_id__in=targets.values("pk"),
        )
        .update(revoked_at=timezone.now())
    )


def usable_for(target, purpose: str) -> models.QuerySet:
    return PersonalLink.objects.usable().of(target, purpose)
