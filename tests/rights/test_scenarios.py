"""« Et si » : each change people ask about at the counter moves the rights the way the rules say."""

import datetime
import html

from django.urls import reverse

from carteblanche.rights import engine, services
from carteblanche.rights.engine import HouseholdSituation, MemberSituation, month_add
from carteblanche.rights.enums import Benefit, MemberRole, Tenure
from carteblanche.rights.models import HouseholdMember
from tests.rights.test_engine import M, sarah, series


def _compare(household, scenario):
    target = month_add(scenario.start, 2)
    changed, assumptions = services.apply(household, scenario, target)
    before, after = engine.compute([household, changed], target)
    return before.amounts, after.amounts, changed, assumptions


def test_a_new_job_with_its_hours_ends_the_registration_and_raises_the_prime_d_activite():
    household = sarah()
    household.members[0].monthly = {"chomage_net": series(780)}
    household.members[0].job_seeker, household.members[0].unemployment_start = True, month_add(M, -24)
    scenario = services.Scenario("nouvel_emploi", month_add(M, 1), amount=1150.0, hours=30.0, contract_type="cdi")
    before, after, changed, assumptions = _compare(household, scenario)
    member = changed.members[0]
    assert member.job_start == month_add(M, 1) and member.weekly_hours == 30.0 and member.contract_type == "cdi"
    assert member.job_seeker_until == month_add(M, 1) - datetime.timedelta(days=1)
    assert any("30 heures par semaine" in a for a in assumptions)
    assert after[Benefit.PPA] > before[Benefit.PPA]  # earned income opens the prime d'activité
    assert household.members[0].job_start is None  # the file's situation is left as it is


def test_going_part_time_lowers_the_pay_by_the_share_and_raises_the_prime_d_activite():
    household = sarah()
    household.members[0].monthly = {"salaire_net": series(1500)}
    scenario = services.Scenario("temps_partiel", month_add(M, 1), share=0.6)
    before, after, changed, assumptions = _compare(household, scenario)
    assert changed.members[0].monthly["salaire_net"][month_add(M, 2)] == 900.0
    assert "60 % du dernier salaire net (1500 €), soit 900 €" in assumptions[0]
    assert after[Benefit.HOUSING] > before[Benefit.HOUSING]


def test_a_separation_takes_the_partner_and_her_incomes_out_and_counts_the_alimony():
    household = HouseholdSituation(
        members=[
            MemberSituation(MemberRole.APPLICANT, datetime.date(1990, 3, 1), "Thomas", monthly={}),
            MemberSituation(
                MemberRole.PARTNER, datetime.date(1992, 9, 9), "Julie", monthly={"salaire_net": series(2200)}
            ),
            MemberSituation(MemberRole.CHILD, datetime.date(2021, 5, 1), "Enfant"),
        ],
        depcom="46042",
        tenure=Tenure.TENANT,
        rent=560.0,
    )
    scenario = services.Scenario("separation", month_add(M, 1), amount=150.0)
    before, after, changed, assumptions = _compare(household, scenario)
    assert [m.role for m in changed.members] == [MemberRole.APPLICANT, MemberRole.CHILD]
    assert changed.members[0].monthly["pension_alimentaire"][month_add(M, 3)] == 150.0
    assert "Julie quitte le foyer" in assumptions[0]
    assert after[Benefit.RSA] > before[Benefit.RSA]
    assert before[Benefit.ASF] == 0 and after[Benefit.ASF] > 0  # alone with a child
    _, without_alimony, _, _ = _compare(household, services.Scenario("separation", month_add(M, 1)))
    assert after[Benefit.ASF] < without_alimony[Benefit.ASF]  # the ASF only tops the alimony up


def test_moving_to_a_higher_rent_raises_the_housing_aid():
    household = sarah()
    household.rent = 250.0
    scenario = services.Scenario("demenagement", month_add(M, 1), depcom="46224", rent=400.0)
    before, after, changed, _ = _compare(household, scenario)
    assert changed.depcom == "46224" and changed.rent == 400.0 and changed.tenure == Tenure.TENANT
    assert after[Benefit.HOUSING] > before[Benefit.HOUSING]
    hosted = services.Scenario("demenagement", month_add(M, 1), tenure=Tenure.HOSTED, rent=None)
    _, after, _, _ = _compare(household, hosted)
    assert after[Benefit.HOUSING] == 0


def test_the_page_compares_the_month_before_and_after_a_child_turns_20(
    client, agent, territory, sarah, consent, django_capture_on_commit_callbacks
):
    today = services.current_month()
    born = datetime.date(today.year - 20, today.month, 15)
    born = month_add(born, 4)  # twenty in four months
    HouseholdMember.objects.create(person=sarah, role=MemberRole.CHILD, first_name="Inès", birth_date=born)
    client.force_login(agent)
    url = reverse("rights:simulate", args=[territory.slug, sarah.public_id])
    page = client.get(url).content.decode()
    assert "Un enfant atteint 20 ans" in page and "Inès, naissance le" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "enfant_20_ans", "start": f"{today:%Y-%m}", "child": "Inès"})
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "Avant ses 20 ans" in page and "Après ses 20 ans" in page
    birthday = services.twentieth_birthday_month(born)
    assert response.context["outcome"]["base_month"] == month_add(birthday, -1)
    assert response.context["outcome"]["month"] == month_add(birthday, 1)
    rows = {r["label"]: r for r in response.context["outcome"]["rows"]}
    assert rows["Allocations familiales"]["delta"] < 0  # three children, then two at the CAF's count


def test_each_change_says_what_is_missing_field_by_field(
    client, agent, territory, sarah, consent, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    url = reverse("rights:simulate", args=[territory.slug, sarah.public_id])
    start = f"{month_add(services.current_month(), 1):%Y-%m}"
    cases = [
        ({"kind": "nouvel_emploi"}, ["Indiquez le salaire net mensuel", "Indiquez le nombre d&#x27;heures"]),
        ({"kind": "nouvel_emploi", "amount": "1200", "hours": "35", "contract_type": "cdd"}, ["durée du CDD"]),
        ({"kind": "temps_partiel"}, ["Indiquez le temps partiel en pourcentage"]),
        ({"kind": "demenagement"}, ["Indiquez le loyer du nouveau logement"]),
        ({"kind": "enfant_20_ans"}, ["Choisissez l&#x27;enfant"]),
        ({"kind": "temps_partiel", "share": "150"}, ["inférieure ou égale à 99"]),
    ]
    for data, messages in cases:
        page = client.post(url, {"start": start, **data}).content.decode()
        for message in messages:
            assert message in page, (data, message)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"start": start, "kind": "temps_partiel", "share": "80"})
    page = client.get(response["Location"]).content.decode()
    assert "Passage à temps partiel : droits en" in page
    assert "80 % du dernier salaire net (950 €)" in page


def test_a_job_loss_runs_in_the_background_keeps_what_is_received_and_counts_only_the_new_months(
    client, agent, territory, sarah, consent, django_capture_on_commit_callbacks
):
    from carteblanche.accounts.models import User
    from carteblanche.core import french
    from carteblanche.core.models import Job
    from carteblanche.rights.models import BenefitPayment

    month = services.current_month()
    BenefitPayment.objects.create(person=sarah, benefit=Benefit.AF, month=month_add(month, -1), amount=148.52)
    client.force_login(agent)
    url = reverse("rights:simulate", args=[territory.slug, sarah.public_id])
    start = month_add(month, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "perte_emploi", "start": f"{start:%Y-%m}"})
    job = Job.objects.get(kind="rights.what_if")
    assert response.status_code == 302 and response["Location"].endswith(f"?tache={job.pk}")
    assert job.params == {"person": sarah.pk, "scenario": job.params["scenario"]}  # no name, no amount
    response = client.get(response["Location"])
    outcome = response.context["outcome"]
    # The month compared is the first whose three months before are all after the change.
    assert outcome["month"] == month_add(start, 3) and outcome["counted"] == [start, month_add(start, 2)]
    page = html.unescape(response.content.decode())  # « d'août » is escaped in the HTML
    assert f"ressources {french.of(french.month(start))} à {french.month(month_add(start, 2))}" in page
    rows = {r["label"]: r for r in outcome["rows"]}
    allowances = rows["Allocations familiales"]
    assert "Déjà perçu" in allowances["before"]["verdict"] and "Déjà perçu" in allowances["after"]["verdict"]
    # Another agent cannot read this simulation, nor can anyone guess its address.
    client.force_login(User.objects.get(email="agent.franceservices@demo.carteblanche.fr"))
    assert client.get(f"{url}?tache={job.pk}").status_code in (403, 404)
    client.force_login(agent)
    assert client.get(f"{url}?tache=pas-un-identifiant").status_code == 404
    # While it runs, the page polls a fragment with a progress bar.
    job.status, job.progress, job.message = "en_cours", 40, "Calcul des droits sans et avec le changement"
    job.save()
    fragment = client.get(f"{url}?tache={job.pk}", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "40 %" in fragment and "<html" not in fragment
