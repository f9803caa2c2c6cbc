from django.urls import reverse

from carteblanche.codesign.models import Hackathon
from carteblanche.exploration.demo import SLUG
from carteblanche.operations.models import Operation


def replicate(client, territory, *, name: str, slug: str, start_date: str):
    """Posts the replication form of the demo operation; returns the response and the operation created."""
    response = client.post(
        reverse("codesign:replicate", args=[SLUG]),
        {"territory": territory.pk, "name": name, "slug": slug, "start_date": start_date},
    )
    created = Operation.objects.get(slug=slug)
    assert response["Location"] == created.get_absolute_url() and created.territory == territory
    return created


def hackathon_for(operation, *, teams=("Covoit'Lot",), criteria=(("Utilité", 3),), laureates=3):
    """A hackathon of one afternoon in Cahors (pitches from 14:00), one challenge, its criteria and teams in pitch
    order; no juror yet."""
    import datetime

    afternoon = {"date": datetime.date(2018, 6, 9), "start_time": datetime.time(14, 0), "place": "Cahors"}
    hackathon = Hackathon.objects.create(
        operation=operation, title="Hackathon mobilité", laureates=laureates, **afternoon
    )
    challenge = hackathon.challenges.create(title="Mobilité")
    for name, weight in criteria:
        hackathon.criteria.create(name=name, weight=weight)
    for order, name in enumerate(teams, start=1):
        hackathon.teams.create(
            challenge=challenge, name=name, holder="Porteur", project=f"Projet {name}", pitch_order=order
        )
    return hackathon
