"""Referrals from one organisation to a partner: sent → accepted or refused (with a reason) → done.

A person is referred only to an organisation that her active consent names (for the "accompagnement" purpose):
the partner then opens her file through that same consent. Each step is journaled on the person's file, and the
referring agent is told (by e-mail, through the platform's messaging) when the partner answers and when it is
done.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import french
from carteblanche.core.messaging import notify

from .access import Reader, record_write
from .enums import DataCategory, Purpose, ReferralStatus
from .models import Consent, Person, Referral


def partners_for(person: Person, *, exclude=None):
    """The organisations this person's active consents name for the counter: the only ones she may be referred
    to."""
    from carteblanche.territories.models import Organisation

    consents = Consent.objects.opening(category=DataCategory.IDENTITY, purpose=Purpose.COUNTER).filter(person=person)
    qs = Organisation.objects.filter(territory=person.territory, consents__in=consents).distinct().order_by("name")
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


@transaction.atomic
def refer(*, reader: Reader, person: Person, to_organisation, reason: str) -> Referral:
    if not partners_for(person).filter(pk=to_organisation.pk).exists():
        raise ValidationError(
            {
                "to_organisation": f"Le consentement {french.of(person.first_name)} ne nomme pas {to_organisation} : "
                "recueillez son accord avant de l'orienter."
            }
        )
    referral = Referral.objects.create(
        person=person,
        from_organisation=reader.organisation,
        to_organisation=to_organisation,
        reason=reason,
        created_by=reader.user,
    )
    record_write(
        reader,
        person,
        fields=["orientation"],
        reason=f"Orientation vers {to_organisation}",
        details={"partenaire": str(to_organisation)},
    )
    return referral


def inbox(reader: Reader):
    """Referrals received by the reader's organisations, the open ones first. A referral whose person no longer
    consents stays listed, without her name (see ``shown``)."""
    return (
        Referral.objects.filter(to_organisation__in=reader.organisations, person__territory=reader.territory)
        .select_related("person", "from_organisation", "to_organisation", "created_by", "answered_by")
        .annotate(
            rank=Case(
                When(status=ReferralStatus.SENT, then=Value(0)),
                When(status=ReferralStatus.ACCEPTED, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("rank", "-created_at")
    )


def readable_persons(reader: Reader, referrals) -> set[int]:
    ids = {r.person_id for r in referrals}
    return set(Person.objects.readable_by(reader).filter(pk__in=ids).values_list("pk", flat=True))


def _receiving(reader: Reader, referral: Referral):
    if reader.organisations is None or referral.to_organisation not in reader.organisations:
        raise PermissionDenied("Seul le partenaire destinataire répond à une orientation.")
    if not Person.objects.readable_by(reader).filter(pk=referral.person_id).exists():
        raise PermissionDenied("La personne ne consent plus à ce que votre organisation consulte son dossier.")


def _tell_referrer(referral: Referral, what: str):
    agent = referral.created_by
    from django.conf import settings

    link = settings.PLATFORM_URL.rstrip("/") + reverse(
        "rights:person", args=[referral.person.territory.slug, referral.person.public_id]
    )
    # The message names no one: the agent reads who it is about in the platform, under the consent.
    notify(
        key=f"referral:{referral.pk}:{referral.status}",
        email=agent.email,
        phone="",
        subject=f"Carte blanche : orientation vers {referral.to_organisation} {what}",
        body=(
            f"Bonjour,\n\nL'orientation du {timezone.localtime(referral.created_at):%d/%m/%Y} vers "
            f"{referral.to_organisation} est {what}.\n"
            + (f"Motif du refus : {referral.refusal_reason}\n" if referral.refusal_reason else "")
            + f"\nLe dossier : {link}\n"
        ),
        sms="",
    )


@transaction.atomic
def answer(*, reader: Reader, referral: Referral, accepted: bool, reason: str = "") -> Referral:
    _receiving(reader, referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(f"Cette orientation a déjà reçu une réponse ({referral.get_status_display().lower()}).")
    if not accepted and not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif du refus : l'agent qui a orienté la personne le lira."})
    referral.status = ReferralStatus.ACCEPTED if accepted else ReferralStatus.REFUSED
    referral.refusal_reason = "" if accepted else reason.strip()
    referral.answered_by, referral.answered_at = reader.user, timezone.now()
    referral.save(update_fields=["status", "refusal_reason", "answered_by", "answered_at"])
    return _answered(reader, referral, "acceptée" if accepted else "refusée")


@transaction.atomic
def finish(*, reader: Reader, referral: Referral, outcome: str = "") -> Referral:
    _receiving(reader, referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError("Seule une orientation acceptée peut être terminée.")
    referral.status, referral.done_at, referral.outcome = ReferralStatus.DONE, timezone.now(), outcome.strip()
    referral.save(update_fields=["status", "done_at", "outcome"])
    return _answered(reader, referral, "terminée")


def _answered(reader: Reader, referral: Referral, what: str) -> Referral:
    """The partner's step journaled on the person's file, and told to the referring agent."""
    record_write(
        reader,
        referral.person,
        fields=["orientation"],
        reason=f"Orientation {what} par {referral.to_organisation}",
        details={"de": str(referral.from_organisation)},
    )
    _tell_referrer(referral, what)
    return referral
