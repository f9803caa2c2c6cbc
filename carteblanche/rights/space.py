"""The person's way into her own space, without an account: a one-time link by e-mail, or a six-digit code by SMS
for a person without e-mail (``core.links``). The same answer whether the address or number is known or not."""

import datetime
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import links, messaging
from carteblanche.core.enums import MessageChannel
from carteblanche.core.throttle import fingerprint

from .access import Reader, journal_read
from .models import Person

LINK_PURPOSE = "espace-lien"
CODE_PURPOSE = "espace-code"
LINK_LIFETIME = datetime.timedelta(minutes=30)
CODE_LIFETIME = datetime.timedelta(minutes=10)
CODE_ATTEMPTS = links.CODE_ATTEMPTS
SESSION_SECONDS = 30 * 60  # a France services computer is shared


def send_links(*, email: str) -> None:
    """A link to each file with this e-mail address (the earlier links stop working)."""
    for person in Person.objects.filter(email__iexact=email):
        token = links.issue(purpose=LINK_PURPOSE, target=person, lifetime=LINK_LIFETIME)
        url = settings.PLATFORM_URL.rstrip("/") + reverse("rights:space_enter", args=[token])
        messaging.send(
            key=f"space-link:{fingerprint(token)[:32]}",
            channel=MessageChannel.EMAIL,
            to=person.email,
            subject="Carte blanche : votre lien de connexion",
            text=f"Bonjour {person.first_name},\n\nPour voir vos données, vos droits et vos consentements, "
            f"ouvrez ce lien (valable 30 minutes, une seule fois) :\n{url}\n\n"
            "Si vous n'avez rien demandé, ignorez ce message.",
            send_before=timezone.now() + LINK_LIFETIME,  # a link that arrives expired is no use
        )
        journal_read(
            Reader.own(person), person, reason="Envoi d'un lien de connexion à son espace", fields=["courriel"]
        )


def send_codes(*, phone: str) -> None:
    """A code by SMS to each file with this number (its national digits)."""
    for person in Person.objects.filter(phone_digits=phone):
        code = links.issue_code(purpose=CODE_PURPOSE, target=person, lifetime=CODE_LIFETIME)
        messaging.send(
            key=f"space-code:{uuid.uuid4().hex}",
            channel=MessageChannel.SMS,
            to=person.phone,
            text=f"Carte blanche : votre code de connexion est {code}. Valable 10 minutes. Ne le communiquez à "
            "personne, même à un agent.",
            send_before=timezone.now() + CODE_LIFETIME,
        )
        journal_read(Reader.own(person), person, reason="Envoi d'un code de connexion par SMS", fields=["téléphone"])


def link_is_valid(token: str) -> bool:
    return links.find(token, purpose=LINK_PURPOSE) is not None


def enter_with_link(token: str) -> Person | None:
    """The person whose link this is, the link used up; None when it is no longer valid."""
    link = links.use(token, purpose=LINK_PURPOSE)
    return Person.objects.filter(pk=link.object_id).first() if link else None


def enter_with_code(*, phone: str, code: str) -> Person | None:
    if not phone:
        return None
    return links.use_code(purpose=CODE_PURPOSE, candidates=Person.objects.filter(phone_digits=phone), code=code)


def persons_for_identity(claims: dict) -> list[Person]:
    """The files of the person FranceConnect identifies: same birth date, same family name and first given name
    (accents, case and hyphens aside). Several when two files share them: none is opened then."""
    import datetime

    from .importers import normalise

    try:
        born = datetime.date.fromisoformat(str(claims.get("birthdate") or ""))
    except ValueError:
        return []
    given = claims.get("given_name") or ""
    given = " ".join(given) if isinstance(given, list) else str(given)
    first_names = normalise(given).split()
    family = normalise(str(claims.get("family_name") or ""))
    if not first_names or not family:
        return []
    found = []
    for person in Person.objects.filter(birth_date=born).select_related("territory"):
        if normalise(person.last_name) == family and normalise(person.first_name) in (
            first_names[0],
            " ".join(first_names),
        ):
            found.append(person)
    return found
