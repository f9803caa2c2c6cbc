"""The alert register (CASF L121-6-1) in use: when the prefect triggers a plan, the commune calls the people of its
register in order of priority; each call's outcome is recorded once — not reached, a second attempt; not reached
twice or in need, a visit — and the progress is read live. Used for that purpose only; every reading journaled.

Two agents calling at once never record the same attempt twice nor lose one: an attempt is numbered from what the
agent saw (``expected_attempt``) and the pair (person, attempt number) is unique in the campaign; the second
agent is told that a colleague has just recorded it, and sees it.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry

from . import register_book
from .enums import ATTEMPTS_BEFORE_VISIT, CallOutcome, PlanKind
from .models import Call, Campaign, RegisterEntry
from .services import VigieError

TO_CALL, CALL_AGAIN, VISIT, DONE = "a_appeler", "a_rappeler", "visite", "fait"
STATE_LABELS = {TO_CALL: "À appeler", CALL_AGAIN: "À rappeler", VISIT: "Visite à faire", DONE: "Fait"}
ALREADY = "Une collègue vient de noter cet appel : la liste est à jour, vérifiez avant de rappeler."
STATE_ORDER = {TO_CALL: 0, CALL_AGAIN: 1, VISIT: 2, DONE: 3}


def state_of(attempts: int, last: str | None) -> str:
    """Where a person stands in the campaign, from her number of calls and the last outcome."""
    if not attempts:
        return TO_CALL
    if last in (CallOutcome.FINE, CallOutcome.VISITED):
        return DONE
    if last == CallOutcome.VISIT or attempts >= ATTEMPTS_BEFORE_VISIT:
        return VISIT
    return CALL_AGAIN


@transaction.atomic
def campaign_start(*, territory, kind: str, communes, by, now: datetime.datetime | None = None) -> Campaign:
    if kind not in PlanKind.values:
        raise VigieError("Indiquez le plan déclenché par le préfet.")
    communes = list(communes)
    if not communes:
        raise VigieError("Choisissez au moins une commune.")
    campaign = Campaign.objects.create(territory=territory, kind=kind, started_at=now or timezone.now(), started_by=by)
    campaign.communes.set(communes)
    return campaign


@dataclass
class Line:
    entry: RegisterEntry
    attempts: int
    last: str | None
    state: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def name(self) -> str:
        return f"{self.entry.first_name} {self.entry.last_name}"


def next_calls(
    campaign: Campaign, *, commune_id: int | None = None, state: str | None = None, limit: int | None = None
) -> tuple[list[Line], dict[str, int]]:
    """The campaign's people in the order they are called — to call first (by priority, commune, name), then to
    call again, to visit, done — those of ``state`` only if given, the first ``limit``; and how many are in each
    state. Four plain queries whatever the register's size (the campaign's communes, its calls, its people's sort
    keys from their own table, the people shown), light enough for every read of the list: only the people shown
    become objects, and no query joins or nests, so that no plan depends on how fresh the database's statistics are
    (a campaign just started is unknown to them: a join then runs as nested loops over every person)."""
    communes = dict(campaign.communes.values_list("pk", "name"))
    if commune_id:
        communes = {commune_id: communes[commune_id]} if commune_id in communes else {}
    entries = register_book.listed().filter(territory_id=campaign.territory_id, commune_id__in=list(communes))
    made: dict[int, tuple[int, str]] = {}  # each person called: her number of calls, the last outcome
    calls = Call.objects.filter(campaign=campaign).order_by("entry", "attempt")
    for entry, outcome in calls.values_list("entry", "outcome"):
        made[entry] = (made.get(entry, (0, ""))[0] + 1, outcome)
    counts, order = dict.fromkeys(STATE_LABELS, 0), []
    people = entries.order_by().values_list("pk", "priority", "commune_id", "last_name", "first_name")
    for pk, priority, commune, last_name, first_name in people:  # sorted below, not by the database
        attempts, last = made.get(pk, (0, None))
        here = state_of(attempts, last)
        counts[here] += 1
        if state in (None, here):
            order.append((STATE_ORDER[here], priority, communes[commune], last_name, first_name, pk))
    order.sort()
    chosen = [key[-1] for key in order[:limit]]
    found = RegisterEntry.objects.select_related("commune").in_bulk(chosen)
    lines = []
    for pk in chosen:
        attempts, last = made.get(pk, (0, None))
        lines.append(Line(found[pk], attempts, last, state_of(attempts, last)))
    return lines, counts


def call_list(campaign: Campaign, *, commune_id: int | None = None) -> list[Line]:
    """The campaign's people, all of them, in the order they are called (the export)."""
    return next_calls(campaign, commune_id=commune_id)[0]


def progress(lines: list[Line]) -> dict[str, int]:
    counts = dict.fromkeys(STATE_LABELS, 0)
    for line in lines:
        counts[line.state] += 1
    return counts


def journal_list(campaign: Campaign, *, user, count: int) -> None:
    JournalEntry.log(
        action=Action.PERSONAL_DATA_READ,
        actor=user,
        target=campaign,
        territory=campaign.territory,
        reason=f"Liste d'appels du plan « {campaign.get_kind_display().lower()} » ({count} personnes)",
        fields=["nom", "adresse", "téléphone", "personne à prévenir"],
    )


def call_record(
    *,
    campaign: Campaign,
    entry: RegisterEntry,
    outcome: str,
    expected_attempt: int,
    by,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Call:
    """Record the call the agent made, as attempt ``expected_attempt`` (what her page showed, plus one). If a
    colleague recorded that attempt meanwhile, nothing is written and she is told: no call twice, none lost."""
    if campaign.ended_at is not None:
        raise VigieError("Ce plan est levé : les appels ne sont plus notés.")
    if outcome not in CallOutcome.values:
        raise VigieError("Indiquez le résultat de l'appel.")
    if not campaign.communes.filter(pk=entry.commune_id).exists() or not register_book.listed().filter(pk=entry.pk):
        raise VigieError("Cette personne n'est pas dans la liste de ce plan.")
    recorded = Call.objects.filter(campaign=campaign, entry=entry).count()
    if expected_attempt != recorded + 1:
        raise VigieError(ALREADY)
    try:
        with transaction.atomic():
            return Call.objects.create(
                campaign=campaign,
                entry=entry,
                attempt=expected_attempt,
                outcome=outcome,
                note=note.strip()[:300],
                at=now or timezone.now(),
                by=by,
            )
    except IntegrityError as exc:  # the same attempt, recorded by a colleague at the same instant
        raise VigieError(ALREADY) from exc


def may_call(user, territory) -> bool:
    """Who runs a plan's calls: the agents of the territory's communes and intercommunal bodies (local authorities)
    and the project team."""
    from carteblanche.accounts.enums import Role
    from carteblanche.core.permissions import organisations_of
    from carteblanche.territories.enums import OrganisationKind
    from carteblanche.territories.models import Organisation

    if user.is_superuser or user.has_role(territory, Role.PROJECT_TEAM):
        return True
    mine = organisations_of(user, territory, Role.AGENT)
    return Organisation.objects.filter(pk__in=mine, kind=OrganisationKind.LOCAL_AUTHORITY).exists()


def may_read(user, territory) -> bool:
    """Who reads a plan's progress and its export: the callers, and the prefecture that triggered it."""
    from carteblanche.accounts.enums import Role

    return may_call(user, territory) or user.has_role(territory, Role.PREFECTURE)


@transaction.atomic
def campaign_end(*, campaign: Campaign, by, now: datetime.datetime | None = None) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.ended_at is not None:
        raise VigieError("Ce plan est déjà levé.")
    campaign.ended_at = now or timezone.now()
    campaign.save(update_fields=["ended_at"])
    return campaign
