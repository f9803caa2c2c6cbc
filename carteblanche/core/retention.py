"""Personal data kept no longer than needed: the platform's retention rules and their daily run.

Each application states its rules in its own ``retention.py`` with ``@rule(...)``: a key, what is kept and for how
long (in French, shown on the personal data page and in the resident's space), and a function that erases what has
outlived its purpose at ``now`` and returns how many records it touched. ``apply_all`` runs every rule, each in its
own transaction, every night (Celery beat ``retention-quotidienne``, or ``manage.py retention`` from cron in the
embedded mode), and journals what it erased (counts only, never who).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Rule:
    key: str
    what: str  # « Coordonnées laissées par un habitant avec son signalement »
    kept: str  # « 12 mois après le signalement, puis effacées »
    for_residents: bool
    erase: Callable[[datetime.datetime], int]


_RULES: dict[str, Rule] = {}


def rule(key: str, *, what: str, kept: str, for_residents: bool = True):
    """Declare a retention rule: the decorated function erases what is past its time at ``now``."""

    def register(erase):
        _RULES[key] = Rule(key=key, what=what, kept=kept, for_residents=for_residents, erase=erase)
        return erase

    return register


def rules() -> list[Rule]:
    autodiscover_modules("retention")
    return sorted(_RULES.values(), key=lambda r: r.key)


def apply_all(*, now: datetime.datetime, dry_run: bool = False) -> dict[str, int]:
    """Run every rule at ``now``; returns the records each one erased. ``dry_run`` counts without erasing."""
    from carteblanche.audit.enums import Action
    from carteblanche.audit.models import JournalEntry

    done = {}
    for each in rules():
        with transaction.atomic():
            done[each.key] = each.erase(now)
            if dry_run:
                transaction.set_rollback(True)
    if not dry_run and any(done.values()):
        JournalEntry.log(
            action=Action.RETENTION_APPLIED,
            reason="Durées de conservation appliquées",
            details={key: count for key, count in done.items() if count},
        )
    return done


@rule(
    "messages",
    what="Courriels et SMS envoyés par la plateforme (destinataire et texte)",
    kept="effacés dès l'envoi (ou dès que le message n'a plus de raison d'être) ; la trace sans destinataire, 12 mois",
)
def _messages(now):
    from .models import OutgoingMessage

    # Recipient and text are erased as each message settles (core.messaging); here, what remains, after a year.
    deleted, _ = (
        OutgoingMessage.objects.filter(created_at__lt=now - datetime.timedelta(days=365))
        .exclude(status__in=["a_envoyer", "envoi"])
        .delete()
    )
    return deleted
