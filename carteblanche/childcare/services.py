"""Every write of the childcare app: a need recorded with the parent's consent, the proposals computed for it, the
family's agreement, the proposal sent to its providers, each provider's answer.

Nothing of a need reaches a provider before the family agreed: then each provider receives, through a personal link
(``core.links``), the child's age, the half-hours asked of her and the commune — the family's name and phone only
once she accepted. Messages go through ``core.messaging``; every reading of a need by an adviser is journaled.
"""

import datetime
import functools
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import french, links
from carteblanche.core.errors import ServiceError
from carteblanche.core.messaging import notify
from carteblanche.mobility.matrix import estimated

from . import cost, law, matching, patterns
from .cost import monthly_cost
from .enums import NeedStatus, PartStatus, ProposalStatus
from .models import KeptChild, Need, Proposal, ProposalPart, Provider

ANSWER_PURPOSE = "garde-reponse"  # a provider's link to accept or decline her part of a proposal
ANSWER_LIFETIME = datetime.timedelta(days=10)
PROPOSALS_KEPT = 3


class ChildcareError(ServiceError):
    pass


def journal(need: Need, *, user, reason: str, action=Action.PERSONAL_DATA_READ) -> None:
    JournalEntry.log(
        action=action,
        actor=user,
        target=need,
        territory=need.territory,
        reason=reason,
        fields=["parent", "coordonnées", "planning de l'enfant"],
    )


@transaction.atomic
def need_save(*, need: Need, by) -> Need:
    """Record or change a need; refused without the parent's consent or without a half-hour to keep."""
    if need.consent_at is None:
        raise ChildcareError("Sans l'accord du parent, son besoin n'est pas enregistré.")
    if not need.slots:
        raise ChildcareError("Indiquez au moins une demi-heure de garde dans la semaine.")
    if need.end_date and need.end_date < need.start_date:
        raise ChildcareError("La fin de la garde doit suivre son début.")
    need.created_by = need.created_by or by
    need.save()
    journal(need, user=by, reason="Besoin de garde enregistré", action=Action.PERSONAL_DATA_WRITTEN)
    return need


# ---------------------------------------------------------------------------------------------------------------
# Travel and offers


@functools.lru_cache(maxsize=8)
def _commune_minutes(territory_id: int) -> tuple[dict[int, int], list[list[int]]]:
    from carteblanche.territories.models import Commune

    communes = list(
        Commune.objects.filter(territories=territory_id).order_by("pk").values_list("pk", "latitude", "longitude")
    )
    index = {pk: i for i, (pk, _, _) in enumerate(communes)}
    minutes, _ = estimated([(lat, lon) for _, lat, lon in communes])
    return index, minutes


def travel_minutes(territory) -> callable:
    """Minutes by road between two communes of the territory, as the bus planner estimates them."""
    index, minutes = _commune_minutes(territory.pk)

    def travel(a: int, b: int) -> int | None:
        if a not in index or b not in index:
            return None
        return minutes[index[a]][index[b]]

    return travel


def offers(territory, *, on: datetime.date) -> list[matching.Offer]:
    """The active providers of the territory as the matcher reads them, with the children they keep on ``on``."""
    found = []
    providers = Provider.objects.filter(territory=territory, is_active=True).prefetch_related("kept")
    for provider in providers:
        kept = tuple(
            matching.Kept(law.Child(f"kept-{k.pk}", k.birth_date, own=k.own), patterns.slots_of(k.schedule))
            for k in provider.kept.all()
            if k.first_date <= on and (k.last_date is None or k.last_date >= on)
        )
        found.append(
            matching.Offer(
                key=provider.pk,
                name=provider.name,
                commune_id=provider.commune_id,
                childminder=provider.is_childminder,
                capacity=provider.capacity,
                opening=patterns.slots_of(provider.opening),
                kept=kept,
                night=provider.night,
                hourly_cost=float(provider.hourly_cost),
                min_age_months=provider.min_age_months,
                max_age_months=provider.max_age_months,
                reserved=provider.avip_places,
            )
        )
    return found


@transaction.atomic
def proposals_compute(*, need: Need, by) -> list[Proposal]:
    """The best solutions for the need, each legal for its providers (``law.check``), replacing the earlier drafts;
    with the CMG OpenFisca computes for the family when its rights file is open to this adviser."""
    solutions = matching.propose(
        need.slots,
        law.Child("besoin", need.child_birth_date),
        need.start_date,
        offers(need.territory, on=need.start_date),
        home_commune=need.commune_id,
        travel=travel_minutes(need.territory),
        max_travel=need.max_travel_minutes,
        limit=PROPOSALS_KEPT,
        priority=need.avip_priority,
        weeks=tuple(need.weeks),
    )
    need.proposals.filter(status=ProposalStatus.DRAFT).delete()
    providers = {p.pk: p for p in Provider.objects.filter(pk__in={o.key for s in solutions for o in s.offers})}
    kinds = [_cmg_kind(solution, providers) for solution in solutions]
    amounts, rule = _cmg(need, by=by, kinds=kinds)
    created = []
    for rank, (solution, kind) in enumerate(zip(solutions, kinds, strict=True), start=1):
        amount = amounts.get(kind)
        paid = frozenset(s for offer, slots in solution.parts if providers[offer.key].kind == kind for s in slots)
        extra, extra_note = cost.supplement(amount, cost.specific_hours(paid))
        proposal = Proposal.objects.create(
            need=need,
            rank=rank,
            coverage=round(solution.coverage, 4),
            travel_minutes=solution.travel_minutes,
            handovers=solution.handovers,
            monthly_cost=Decimal(
                str(sum(monthly_cost(o.hourly_cost, patterns.hours(slots)) for o, slots in solution.parts))
            ),
            monthly_cmg=None if amount is None else Decimal(str(round(amount, 2))),
            cmg_supplement=Decimal(str(extra)),
            cmg_rule=rule + extra_note,
            transfers=[
                {
                    "jour": t.weekday,
                    "creneau": t.slot,
                    "de": t.origin.key,
                    "vers": t.destination.key,
                    "minutes": t.minutes,
                }
                for t in solution.transfers
            ],
        )
        for offer in solution.offers:
            ProposalPart.objects.create(
                proposal=proposal,
                provider=providers[offer.key],
                schedule=patterns.pattern_of(matching.slots_for(solution.parts, offer.key)),
                weeks=[
                    {"du": week.first.isoformat(), "planning": patterns.pattern_of(slots)}
                    for week in solution.weeks
                    if (slots := matching.slots_for(week.parts, offer.key))
                ],
            )
        created.append(proposal)
    journal(need, user=by, reason="Propositions de garde calculées")
    return created


def _cmg_kind(solution: matching.Solution, providers: dict) -> str:
    return cost.cmg_kind([(providers[offer.key].kind, patterns.hours(slots)) for offer, slots in solution.parts])


def _cmg(need: Need, *, by, kinds) -> tuple[dict, str]:
    """The CMG for each kind of provider, from the family's rights file when its consent opens it to this adviser
    (the reading journaled by ``rights.access``); else nothing, and why."""
    from carteblanche.rights.access import ConsentMissing, Reader, open_file
    from carteblanche.rights.situations import situation_from_file

    if not kinds:
        return {}, ""
    if need.person_id is None:
        return {}, "CMG non estimé : le besoin n'est pas relié au dossier de droits de la famille."
    month = need.start_date.replace(day=1)
    try:
        reader = Reader.agent(by, need.territory)
        file = open_file(reader, need.person, reason="Estimation du CMG d'une solution de garde")
    except (ConsentMissing, PermissionDenied):
        return {}, "CMG non estimé : le consentement de la famille n'ouvre pas son dossier de droits à ce conseiller."
    amounts, missing = cost.cmg_for(
        situation_from_file(file, month), month, child_birth=need.child_birth_date, kinds=kinds
    )
    return amounts, missing or cost.rule_note(month)


# ---------------------------------------------------------------------------------------------------------------
# The family agrees, the providers answer


def _answer_link(token: str) -> str:
    return settings.PLATFORM_URL.rstrip("/") + reverse("childcare:answer", args=[token])


@transaction.atomic
def proposal_send(*, proposal: Proposal, by) -> list[ProposalPart]:
    """The family agreed (the adviser records it): each provider receives her part through a personal link, with
    the child's age, her half-hours and the commune; never the family's name before she accepts."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.DRAFT:
        raise ChildcareError("Cette proposition a déjà été envoyée.")
    need = proposal.need
    proposal.status = ProposalStatus.SENT
    proposal.save(update_fields=["status"])
    need.status = NeedStatus.PROPOSED
    need.save(update_fields=["status"])
    parts = list(proposal.parts.select_related("provider"))
    months = matching.months_between(need.child_birth_date, need.start_date)
    for part in parts:
        token = links.issue(purpose=ANSWER_PURPOSE, target=part, lifetime=ANSWER_LIFETIME, single_use=False)
        hours = patterns.label(patterns.slots_of(part.schedule))
        if part.weeks:
            hours += f" ; {patterns.weeks_label(part.weeks)}"
        notify(
            key=f"garde-proposition:{part.pk}",
            email=part.provider.email,
            phone=part.provider.phone,
            subject="Une famille vous propose un accueil",
            body=(
                f"Bonjour,\n\nUne famille {french.of(need.commune.name)} cherche un accueil pour un enfant de "
                f"{french.plural(months, 'mois', 'mois')}, à partir du {french.date(need.start_date)} : {hours}.\n\n"
                f"Répondez par ce lien (valable 10 jours) : {_answer_link(token)}\n\nSes coordonnées vous seront "
                "données si vous acceptez.\n"
            ),
            sms=f"Accueil proposé : enfant de {months} mois, {hours}. Répondre : {_answer_link(token)}",
        )
    journal(need, user=by, reason="Proposition de garde envoyée aux accueillants, avec l'accord de la famille")
    return parts


def part_for(token: str) -> ProposalPart | None:
    link = links.find(token, purpose=ANSWER_PURPOSE)
    if link is None:
        return None
    return ProposalPart.objects.select_related("proposal__need__commune", "provider").filter(pk=link.object_id).first()


@transaction.atomic
def part_answer(*, part: ProposalPart, accept: bool, reason: str = "", now=None) -> ProposalPart:
    """The provider accepts or declines her part; once all accept, the proposal is confirmed and the family told;
    a refusal ends the proposal (the adviser computes others)."""
    now = now or timezone.now()
    part = ProposalPart.objects.select_for_update().select_related("proposal__need").get(pk=part.pk)
    proposal = part.proposal
    if proposal.status != ProposalStatus.SENT or part.status != PartStatus.WAITING:
        raise ChildcareError("Cette proposition n'attend plus de réponse.")
    if not accept and not reason.strip():
        raise ChildcareError(
            "Dites en quelques mots pourquoi vous refusez : la famille et le relais en tiennent compte."
        )
    part.status = PartStatus.ACCEPTED if accept else PartStatus.DECLINED
    part.answered_at, part.decline_reason = now, reason.strip()[:200]
    part.save(update_fields=["status", "answered_at", "decline_reason"])
    need = proposal.need
    if not accept:
        proposal.status = ProposalStatus.DECLINED
        proposal.save(update_fields=["status"])
        links.revoke_all(purpose=ANSWER_PURPOSE, targets=proposal.parts.all())
        need.status = NeedStatus.OPEN
        need.save(update_fields=["status"])
        _tell_family(
            need,
            "Un accueillant n'a pas pu accepter la solution proposée : votre conseillère vous en propose une autre.",
        )
    elif not proposal.parts.exclude(status=PartStatus.ACCEPTED).exists():
        proposal.status = ProposalStatus.CONFIRMED
        proposal.save(update_fields=["status"])
        need.status = NeedStatus.SOLVED
        need.save(update_fields=["status"])
        _keep(proposal)
        names = french.join([p.provider.name for p in proposal.parts.select_related("provider")])
        _tell_family(
            need, f"Bonne nouvelle : la garde de votre enfant est acceptée ({names}). Votre conseillère vous rappelle."
        )
    return part


def _keep(proposal: Proposal) -> None:
    """A confirmed solution becomes a child each provider keeps: her next proposals count it (her agrément, her
    hours, a structure's places)."""
    need = proposal.need
    for part in proposal.parts.all():
        if part.schedule:
            KeptChild.objects.create(
                provider_id=part.provider_id,
                birth_date=need.child_birth_date,
                schedule=part.schedule,
                first_date=need.start_date,
                last_date=need.end_date,
            )


def _tell_family(need: Need, text: str) -> None:
    notify(
        key=f"garde-famille:{need.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        email=need.email,
        phone=need.phone,
        subject="Votre recherche de garde",
        body=f"Bonjour,\n\n{text}\n",
        sms=text,
    )
