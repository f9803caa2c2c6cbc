"""Corrections at the counter: what the imports got wrong or never had, with provenance, journal and a new
examination of the rights on save."""

import datetime
from decimal import Decimal

from django.urls import reverse

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.rights import services
from carteblanche.rights.engine import month_add
from carteblanche.rights.enums import ConsentChannel, IncomeKind, MemberRole
from carteblanche.rights.models import HouseholdMember, MonthlyIncome, RightsAssessment


def _month(offset):
    return month_add(services.current_month(), offset)


def _css(person):
    results = RightsAssessment.objects.filter(person=person).latest("computed_at", "pk").results
    return {r["benefit"]: r for r in results}["css"]


def test_the_agent_registers_sarahs_unemployment_and_the_css_becomes_free(client, agent, territory, sarah, consent):
    client.force_login(agent)
    page = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id]))
    assert not _css(sarah)["eligible"], "working, Sarah pays a participation"
    situation = client.get(reverse("rights:situation", args=[territory.slug, sarah.public_id]))
    assert situation.status_code == 200 and "Enregistrer les revenus" in situation.content.decode()
    applicant = sarah.applicant
    incomes = reverse("rights:incomes", args=[territory.slug, sarah.public_id])
    first, last = f"{_month(-3):%Y-%m}", f"{_month(-1):%Y-%m}"
    answers = {}
    for kind, amount in ((IncomeKind.SALARY_NET, "0"), (IncomeKind.UNEMPLOYMENT_NET, "780")):
        response = client.post(
            incomes,
            {"member": applicant.pk, "kind": kind, "first": first, "last": last, "amount": amount},
            follow=True,
        )
        assert response.redirect_chain[0][1] == 302
        answers[kind] = response.content.decode()
    assert "Revenus corrigés ; les droits sont réexaminés." in answers[IncomeKind.SALARY_NET]
    assert "Nouveau droit probable : Complémentaire santé solidaire gratuite" in answers[IncomeKind.SALARY_NET]
    prefix = f"m{applicant.pk}"
    response = client.post(
        reverse("rights:member", args=[territory.slug, sarah.public_id, applicant.pk]),
        {f"{prefix}-job_seeker": "true", f"{prefix}-unemployment_start": f"{_month(-3):%Y-%m-%d}"},
        follow=True,
    )
    page = response.content.decode()
    # Being unemployed is a status the housing aid reads (its abatement on past earnings), not only an amount.
    assert "Situation de Sarah corrigée ; les droits sont réexaminés. Aide au logement" in page
    assert "inscription à France Travail le" in page
    assert _css(sarah)["eligible"]

    row = MonthlyIncome.objects.get(member=applicant, month=_month(-1), kind=IncomeKind.UNEMPLOYMENT_NET)
    assert row.amount == Decimal("780.00") and row.recorded_by == agent
    assert row.source_label.startswith("Saisi au guichet par ") and "(CAF du Lot)" in row.source_label
    assert MonthlyIncome.objects.get(member=applicant, month=_month(-2), kind=IncomeKind.SALARY_NET).amount == 0
    applicant.refresh_from_db()
    assert applicant.job_seeker and applicant.unemployment_start == _month(-3)
    assert applicant.source_label.startswith("Saisi au guichet par ")
    writes = JournalEntry.objects.about(sarah).filter(action=Action.PERSONAL_DATA_WRITTEN, actor=agent)
    reasons = list(writes.values_list("reason", flat=True))
    assert reasons.count("Correction des revenus au guichet") == 2
    assert "Correction de la situation de Sarah au guichet" in reasons
    entry = writes.filter(reason="Correction des revenus au guichet").latest("pk")
    assert entry.details["mois"] == f"{_month(-3):%m/%Y} – {_month(-1):%m/%Y}"
    assert entry.details["nature"] == "Allocation chômage (ARE) nette"


def test_bad_input_gets_a_field_error_in_french_and_writes_nothing(client, agent, territory, sarah, consent):
    client.force_login(agent)
    url = reverse("rights:incomes", args=[territory.slug, sarah.public_id])
    before = MonthlyIncome.objects.count()
    cases = [
        ({"first": f"{_month(-1):%Y-%m}", "last": f"{_month(-3):%Y-%m}", "amount": "10"}, "précède le premier"),
        ({"first": f"{_month(-1):%Y-%m}", "last": f"{_month(2):%Y-%m}", "amount": "10"}, "utilisez « Et si »"),
        ({"first": "septembre", "last": f"{_month(-1):%Y-%m}", "amount": "10"}, "au format AAAA-MM"),
        ({"first": f"{_month(-2):%Y-%m}", "last": f"{_month(-1):%Y-%m}", "amount": "-5"}, "ne peut pas être négatif"),
        ({"first": f"{_month(-2):%Y-%m}", "last": f"{_month(-1):%Y-%m}", "amount": "abc"}, "montant en euros"),
        ({"first": f"{_month(-40):%Y-%m}", "last": f"{_month(-1):%Y-%m}", "amount": "1"}, "au plus 36 mois"),
    ]
    for data, message in cases:
        response = client.post(url, {"member": sarah.applicant.pk, "kind": IncomeKind.SALARY_NET, **data})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert MonthlyIncome.objects.count() == before
    member = reverse("rights:member", args=[territory.slug, sarah.public_id, sarah.applicant.pk])
    prefix = f"m{sarah.applicant.pk}"
    response = client.post(
        member,
        {
            f"{prefix}-unemployment_start": f"{_month(-1):%Y-%m-%d}",
            f"{prefix}-job_seeker_until": f"{_month(-3):%Y-%m-%d}",
            f"{prefix}-disability_rate": "120",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "La fin d&#x27;inscription précède son début" in page
    assert "inférieure ou égale à 100" in page
    sarah.applicant.refresh_from_db()
    assert sarah.applicant.unemployment_start is None


def test_a_correction_the_consent_does_not_cover_is_refused_and_journaled(client, agent, territory, sarah, caf):
    services.give_consent(
        sarah,
        organisations=[caf],
        categories=["identite", "foyer"],
        channel=ConsentChannel.COUNTER,
        agent=agent,
        agent_organisation=caf,
    )
    client.force_login(agent)
    page = client.get(reverse("rights:situation", args=[territory.slug, sarah.public_id])).content.decode()
    assert "ne couvre pas les revenus" in page
    response = client.post(
        reverse("rights:incomes", args=[territory.slug, sarah.public_id]),
        {
            "member": sarah.applicant.pk,
            "kind": "salaire_net",
            "first": f"{_month(-1):%Y-%m}",
            "last": f"{_month(-1):%Y-%m}",
            "amount": "1",
        },
    )
    assert response.status_code == 403
    assert not MonthlyIncome.objects.filter(recorded_by=agent).exists()
    assert (
        JournalEntry.objects.about(sarah)
        .filter(action=Action.PERSONAL_DATA_REFUSED, reason="Correction des revenus au guichet")
        .exists()
    )


def test_the_counter_total_replaces_every_employers_line_of_the_month(agent, territory, sarah, consent, caf):
    from carteblanche.rights import counter
    from carteblanche.rights.access import Reader

    applicant = sarah.applicant
    month = _month(-1)
    MonthlyIncome.objects.filter(member=applicant, month=month).delete()
    for siret, amount in (("12345678900011", 500), ("98765432100022", 450)):
        MonthlyIncome.objects.create(
            member=applicant, month=month, kind=IncomeKind.SALARY_NET, amount=amount, employer_siret=siret
        )
    counter.correct_incomes(
        reader=Reader.agent(agent, territory),
        person=sarah,
        member=applicant,
        kind=IncomeKind.SALARY_NET,
        amounts={month: Decimal("1010")},
    )
    rows = MonthlyIncome.objects.filter(member=applicant, month=month, kind=IncomeKind.SALARY_NET)
    assert [(r.amount, r.employer_siret) for r in rows] == [(Decimal("1010.00"), "")]


def test_housing_and_household_corrections_are_examined_again(client, agent, territory, sarah, consent):
    from tests.factories import CommuneFactory

    pradines = CommuneFactory(insee_code="46224", name="Pradines", population=3500)
    territory.communes.add(pradines)
    client.force_login(agent)
    response = client.post(
        reverse("rights:housing", args=[territory.slug, sarah.public_id]),
        {"tenure": "locataire", "rent": "", "commune": pradines.pk},
    )
    assert response.status_code == 400 and "Indiquez le loyer mensuel" in response.content.decode()
    count = RightsAssessment.objects.filter(person=sarah).count()
    response = client.post(
        reverse("rights:housing", args=[territory.slug, sarah.public_id]),
        {"tenure": "locataire", "rent": "610", "commune": pradines.pk},
    )
    assert response.status_code == 302
    sarah.refresh_from_db()
    assert sarah.rent == 610 and sarah.commune == pradines
    assert sarah.provenance["rent"]["source"].startswith("Saisi au guichet par ")
    assert RightsAssessment.objects.filter(person=sarah).count() == count + 1
    # A separation: the partner declared by mistake leaves the household; a child's facts are corrected.
    client.post(
        reverse("rights:add_member", args=[territory.slug, sarah.public_id]),
        {"role": "conjoint", "first_name": "Marc", "birth_date": "1995-01-01"},
    )
    marc = sarah.members.get(role=MemberRole.PARTNER)
    assert marc.source_label.startswith("Saisi au guichet par ")
    client.post(reverse("rights:remove_member", args=[territory.slug, sarah.public_id, marc.pk]))
    assert not sarah.members.filter(role=MemberRole.PARTNER).exists()
    lea = sarah.members.get(first_name="Léa")
    response = client.post(
        reverse("rights:member", args=[territory.slug, sarah.public_id, lea.pk]),
        {f"m{lea.pk}-first_name": "Léa", f"m{lea.pk}-birth_date": "2023-02-01", f"m{lea.pk}-childcare": "creche"},
    )
    assert response.status_code == 302
    assert HouseholdMember.objects.get(pk=lea.pk).childcare == "creche"
    removed = JournalEntry.objects.about(sarah).filter(reason__startswith="Marc ne fait plus partie du foyer")
    assert removed.exists()
    # The applicant cannot be removed; her identity is corrected with her identity.
    response = client.post(reverse("rights:remove_member", args=[territory.slug, sarah.public_id, sarah.applicant.pk]))
    assert response.status_code == 404
    assert datetime.date(1997, 4, 12) == sarah.applicant.birth_date


def test_every_new_form_is_refused_without_a_consent_that_covers_it(client, agent, other_agent, territory, sarah, caf):
    """Identity only: each correction is refused and journaled; another organisation gets nothing at all."""
    services.give_consent(
        sarah,
        organisations=[caf],
        categories=["identite"],
        channel=ConsentChannel.COUNTER,
        agent=agent,
        agent_organisation=caf,
    )
    lea = sarah.members.get(first_name="Léa")
    args = [territory.slug, sarah.public_id]
    month = f"{_month(-1):%Y-%m}"
    posts = {
        reverse("rights:incomes", args=args): {
            "member": sarah.applicant.pk,
            "kind": "salaire_net",
            "first": month,
            "last": month,
            "amount": "1",
        },
        reverse("rights:housing", args=args): {"tenure": "locataire", "rent": "400", "commune": sarah.commune_id},
        reverse("rights:member", args=[*args, sarah.applicant.pk]): {f"m{sarah.applicant.pk}-job_seeker": "true"},
        reverse("rights:add_member", args=args): {
            "role": "conjoint",
            "first_name": "Marc",
            "birth_date": "1990-01-01",
        },
        reverse("rights:remove_member", args=[*args, lea.pk]): {},
    }
    before = (MonthlyIncome.objects.count(), HouseholdMember.objects.count(), sarah.rent)
    client.force_login(agent)
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code in (403, 404), url
    sarah.refresh_from_db()
    assert (MonthlyIncome.objects.count(), HouseholdMember.objects.count(), sarah.rent) == before
    assert JournalEntry.objects.about(sarah).filter(action=Action.PERSONAL_DATA_REFUSED).count() >= 3

    client.force_login(other_agent)
    gets = [
        reverse("rights:situation", args=args),
        reverse("rights:simulate", args=args),
        reverse("rights:person", args=args),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url, data in [*posts.items(), (reverse("rights:partner_consent", args=args), {})]:
        assert client.post(url, data).status_code in (403, 404), url
    assert (MonthlyIncome.objects.count(), HouseholdMember.objects.count()) == before[:2]
