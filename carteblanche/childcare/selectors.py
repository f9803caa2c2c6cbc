"""What an adviser reads: the needs her organisation recorded (the project team: every need of the territory)."""

from carteblanche.accounts.enums import Role
from carteblanche.core.permissions import organisations_of

from . import patterns
from .law import slot_label
from .models import Need, Proposal, Provider


def needs_for(user, territory):
    found = Need.objects.filter(territory=territory).select_related("commune", "created_by")
    if user.is_superuser or user.has_role(territory, Role.PROJECT_TEAM):
        return found
    return found.filter(
        created_by__memberships__organisation_id__in=organisations_of(user, territory),
        created_by__memberships__territory=territory,
    ).distinct()


def proposals_of(need: Need) -> list[Proposal]:
    """The need's proposals as the adviser reads them: each provider's half-hours (and particular weeks), and each
    passage to a provider of another commune, for a solidarity ride."""
    from carteblanche.core.french import WEEKDAYS

    proposals = list(need.proposals.prefetch_related("parts__provider__commune"))
    names = {part.provider_id: part.provider for proposal in proposals for part in proposal.parts.all()}
    for proposal in proposals:
        proposal.rows = [
            {
                "part": part,
                "hours": patterns.label(patterns.slots_of(part.schedule)) if part.schedule else "",
                "weeks": patterns.weeks_label(part.weeks),
            }
            for part in proposal.parts.all()
        ]
        proposal.transfer_rows = [
            {
                "index": index,
                "when": f"{WEEKDAYS[item['jour']]} à {slot_label(item['creneau'])}",
                "origin": names.get(item["de"]),
                "destination": names.get(item["vers"]),
                "minutes": item["minutes"],
            }
            for index, item in enumerate(proposal.transfers)
        ]
    return proposals


def ride_initial(territory, proposal_pk, index) -> dict:
    """The solidarity ride form's first values for a passage between two providers of a proposal (``?garde=`` and
    ``?relais=``): from the first provider's commune to the second's, on the first such day from the start."""
    import datetime

    from carteblanche.mobility.enums import ReturnKind, RidePurpose

    if not str(proposal_pk).isdigit() or not str(index).isdigit():
        return {}
    proposal = Proposal.objects.filter(need__territory=territory, pk=int(proposal_pk)).select_related("need").first()
    if proposal is None or int(index) >= len(proposal.transfers):
        return {}
    item = proposal.transfers[int(index)]
    providers = {p.pk: p for p in Provider.objects.filter(pk__in=[item["de"], item["vers"]])}
    origin, destination = providers.get(item["de"]), providers.get(item["vers"])
    if origin is None or destination is None:
        return {}
    start = proposal.need.start_date
    day = start + datetime.timedelta(days=(item["jour"] - start.weekday()) % 7)
    hours, half = divmod(item["creneau"], 2)
    return {
        "from_home": False,
        "origin_commune": origin.commune_id,
        "destination": f"{destination.name}, {destination.address}".rstrip(", "),
        "destination_commune": destination.commune_id,
        "date": day,
        "time": datetime.time(hours, 30 * half),
        "duration_minutes": 5,
        "purpose": RidePurpose.OTHER,
        "return_kind": ReturnKind.ONE_WAY,
        "margin_minutes": 0,
        "notes": (
            f"Trajet d'un enfant entre deux modes de garde, de {origin.name} à {destination.name}, chaque semaine : "
            "siège adapté à l'âge, autorisation écrite des parents."
        ),
    }
