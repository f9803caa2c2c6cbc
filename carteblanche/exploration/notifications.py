"""Residents who left a contact, and agreed to be re-contacted, hear when their irritant moves.

E-mail through Django's backend (the console in the embedded default). Each message reads personal data
(the address): each is journaled. Contacts with a phone only are not reached yet (no SMS gateway)."""

import logging

from django.conf import settings
from django.urls import reverse

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import messaging
from carteblanche.core.enums import MessageChannel
from carteblanche.core.throttle import fingerprint

from .enums import IrritantEventKind
from .models import ResidentContact

logger = logging.getLogger(__name__)


def notify_residents(irritant, *, news: str, actor=None) -> int:
    """Tell every consenting resident behind ``irritant`` what happened to it. Returns how many were told."""
    from .services import record_event

    contacts = (
        ResidentContact.objects.filter(report__evidence__irritant=irritant, consent_recontact=True)
        .exclude(email="")
        .select_related("report")
        .distinct()
    )
    operation = irritant.operation
    follow = settings.PLATFORM_URL.rstrip("/") + reverse("public:operation", args=[operation.slug])
    sent = 0
    for contact in contacts:
        greeting = f"Bonjour {contact.first_name}," if contact.first_name else "Bonjour,"
        body = (
            f"{greeting}\n\n"
            f"Vous nous aviez signalé une difficulté : « {contact.report.what_happened[:300]} ».\n\n"
            f"Du nouveau : {news}.\n\n"
            f"Pour suivre l'opération « {operation.name} » : {follow}\n\n"
            "Vous recevez ce message parce que vous avez accepté que l'équipe vous recontacte. Pour que cela cesse, "
            f"répondez simplement à ce message ou écrivez à {settings.PLATFORM_CONTACT_EMAIL}.\n\n"
            "L'équipe du projet Carte blanche"
        )
        messaging.send(
            # The same news about the same irritant reaches each contact once.
            key=f"irritant-news:{irritant.pk}:{contact.pk}:{fingerprint(news)[:16]}",
            channel=MessageChannel.EMAIL,
            to=contact.email,
            subject="Carte blanche : du nouveau sur votre signalement",
            text=body,
        )
        JournalEntry.log(
            action=Action.PERSONAL_DATA_READ,
            actor=actor,
            target=contact.report,
            territory=operation.territory,
            reason=f"Information de l'usager : {news}"[:500],
            fields=["e-mail", "prénom"],
        )
        sent += 1
    if sent:
        record_event(
            irritant,
            kind=IrritantEventKind.STATUS,
            actor=actor,
            message=f"{sent} usager{'s' if sent > 1 else ''} informé{'s' if sent > 1 else ''} par e-mail",
        )
        logger.info("residents_notified irritant_id=%s count=%s", irritant.pk, sent)
    return sent
