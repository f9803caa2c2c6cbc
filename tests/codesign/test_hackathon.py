import datetime

import pytest
from django.urls import reverse

from carteblanche.accounts.enums import Role
from carteblanche.accounts.models import Membership, User
from carteblanche.codesign import hackathon as rules
from carteblanche.core.errors import ServiceError
from carteblanche.exploration.demo import SLUG
from carteblanche.operations.models import Operation
from tests.codesign.helpers import hackathon_for
from tests.factories import UserFactory


@pytest.fixture
def event():
    operation = Operation.objects.get(slug=SLUG)
    hackathon = hackathon_for(
        operation,
        teams=["Covoit'Lot", "Bus à la demande", "Vélo partagé"],
        criteria=[("Utilité", 3), ("Faisabilité", 1)],
        laureates=2,
    )
    impact = hackathon.criteria.get(name="Utilité")
    teams = list(hackathon.teams.order_by("pitch_order"))
    jurors = [User.objects.get(email="jury@demo.carteblanche.fr")]
    for n in range(2):
        user = UserFactory(email=f"jure{n}@exemple.fr")
        Membership.objects.create(user=user, territory=operation.territory, role=Role.JURY)
        jurors.append(user)
    hackathon.jurors.set(jurors)
    return hackathon, teams, jurors, impact


def ballot(hackathon, juror, team, utility, feasibility):
    utility_c, feasibility_c = hackathon.criteria.order_by("-weight")
    rules.score_team(
        hackathon=hackathon, juror=juror, team=team, marks={utility_c.pk: utility, feasibility_c.pk: feasibility}
    )


def test_pitch_schedule_four_plus_four_minutes(event):
    hackathon, teams, _, _ = event
    slots = rules.schedule(hackathon)
    assert [(s["pitch"], s["questions"], s["end"]) for s in slots[:2]] == [
        (datetime.time(14, 0), datetime.time(14, 4), datetime.time(14, 8)),
        (datetime.time(14, 8), datetime.time(14, 12), datetime.time(14, 16)),
    ]


def test_fair_aggregation_conflicts_missing_scores_and_ties(event):
    hackathon, (covoit, bus, velo), (a, b, c), impact = event
    # Covoit'Lot: a=(8,6)→7.5, b=(6,10)→7.0 ; c declared a conflict: not counted.
    ballot(hackathon, a, covoit, 8, 6)
    ballot(hackathon, b, covoit, 6, 10)
    rules.declare_conflict(hackathon=hackathon, juror=c, team=covoit, reason="Ma structure porte le projet")
    with pytest.raises(ServiceError, match="déclaré un lien"):
        ballot(hackathon, c, covoit, 10, 10)
    # Bus à la demande: a=(7,8)→7.25 ; b marked only one criterion: incomplete, left out ; c=(8,6)→7.5.
    ballot(hackathon, a, bus, 7, 8)
    utility_c = hackathon.criteria.get(name="Utilité")
    rules.score_team(hackathon=hackathon, juror=b, team=bus, marks={utility_c.pk: 2})
    ballot(hackathon, c, bus, 8, 6)
    # Vélo partagé: a=(5,5) → 5.0
    ballot(hackathon, a, velo, 5, 5)
    results = {r.team.name: r for r in rules.results(hackathon)}
    assert results["Covoit'Lot"].score == pytest.approx(7.25) and results["Covoit'Lot"].ballots == 2
    assert any("conflit" in e for e in results["Covoit'Lot"].excluded)
    assert results["Bus à la demande"].score == pytest.approx(7.375) and results["Bus à la demande"].ballots == 2
    assert any("incomplètes" in e for e in results["Bus à la demande"].excluded)
    ranking = [r.team.name for r in rules.results(hackathon)]
    assert ranking == ["Bus à la demande", "Covoit'Lot", "Vélo partagé"]
    # A tie on the score is broken by the heaviest criterion: Vélo partagé rises to 7.25 with more utility.
    ballot(hackathon, b, velo, 9, 8)  # (5.0 + 8.75) / 2 = 6.875
    ballot(hackathon, c, velo, 9, 9)  # (5.0 + 8.75 + 9.0) / 3 = 7.583
    assert [r.team.name for r in rules.results(hackathon)][0] == "Vélo partagé"


def test_tie_broken_by_the_heaviest_criterion(event):
    hackathon, (covoit, bus, _), (a, _, _), _ = event
    ballot(hackathon, a, covoit, 6, 10)  # (18 + 10) / 4 = 7.0, utility 6
    ballot(hackathon, a, bus, 7, 7)  # 7.0, utility 7: ahead
    ranking = rules.results(hackathon)
    assert ranking[0].score == ranking[1].score == 7.0
    assert [r.team.name for r in ranking[:2]] == ["Bus à la demande", "Covoit'Lot"]


def test_laureates_are_announced_and_followed_as_experiments(client, event):
    hackathon, (covoit, bus, velo), (a, b, _), _ = event
    for team, marks in ((covoit, (9, 9)), (bus, (7, 7)), (velo, (3, 3))):
        ballot(hackathon, a, team, *marks)
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    client.post(hackathon.get_absolute_url(), {"action": "follow", "team": covoit.pk})  # not announced yet
    covoit.refresh_from_db()
    assert covoit.experiment is None
    client.post(hackathon.get_absolute_url(), {"action": "announce"})
    hackathon.refresh_from_db()
    assert hackathon.announced_at
    with pytest.raises(ServiceError, match="notes sont closes"):
        ballot(hackathon, b, velo, 10, 10)
    response = client.post(hackathon.get_absolute_url(), {"action": "follow", "team": covoit.pk})
    covoit.refresh_from_db()
    assert covoit.experiment and response["Location"] == covoit.experiment.get_absolute_url()
    assert covoit.experiment.events.filter(message__contains="lauréat").exists()
    with pytest.raises(ServiceError, match="lauréate"):
        rules.follow_as_experiment(team=velo)


def test_jurors_score_only_their_hackathon_and_see_no_workshop(client, event):
    hackathon, (covoit, *_), (juror, *_), _ = event
    client.force_login(juror)
    jury_url = reverse("codesign:hackathon_jury", args=[SLUG, hackathon.pk])
    page = client.get(jury_url).content.decode()
    assert "Covoit&#x27;Lot" in page and "Lien avec Covoit&#x27;Lot" in page
    utility, feasibility = hackathon.criteria.order_by("-weight")
    client.post(
        jury_url, {"team": covoit.pk, "action": "score", f"critere-{utility.pk}": 8, f"critere-{feasibility.pk}": 6}
    )
    assert rules.results(hackathon)[0].team == covoit
    assert client.get(reverse("codesign:workshops", args=[SLUG])).status_code == 403
    client.force_login(User.objects.get(email="agent.caf@demo.carteblanche.fr"))
    assert client.get(jury_url).status_code == 403
