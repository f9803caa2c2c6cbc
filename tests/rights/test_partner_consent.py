"""A partner's own records (her payroll, her France Travail file) are read under her own consent; what the
file holder declares for the household stays under the holder's; the page says which is which."""

import datetime
from decimal import Decimal

from django.urls import reverse

from carteblanche.rights import services
from carteblanche.rights.access import Reader, open_file, revoke
from carteblanche.rights.enums import ConsentChannel, ImportKind, ImportStatus, IncomeKind, MemberRole
from carteblanche.rights.models import DataImport, HouseholdMember, MonthlyIncome


def _household(sarah, caf, agent):
    julie = HouseholdMember.objects.create(
        person=sarah, role=MemberRole.PARTNER, first_name="Julie", birth_date=datetime.date(1995, 3, 2)
    )
    month = services.current_month()
    payroll = DataImport.objects.create(
        territory=sarah.territory,
        organisation=caf,
        kind=ImportKind.PAYROLL,
        file_name="paie.csv",
        status=ImportStatus.DONE,
        created_by=agent,
    )
    last = services.engine.month_add(month, -1)
    own = MonthlyIncome.objects.create(
        member=julie, month=last, kind=IncomeKind.SALARY_NET, amount=Decimal("1800"), source_import=payroll
    )
    declared = MonthlyIncome.objects.create(
        member=julie,
        month=services.engine.month_add(month, -2),
        kind=IncomeKind.SALARY_NET,
        amount=Decimal("1700"),
        source_label="Déclaré par la personne",
    )
    return julie, own, declared


def test_the_partners_own_records_need_her_own_consent(client, agent, territory, sarah, consent, caf):
    julie, own, declared = _household(sarah, caf, agent)
    reader = Reader.agent(agent, territory)
    file = open_file(reader, sarah, reason="test")
    read = {i.pk for i in file.incomes}
    assert declared.pk in read and own.pk not in read
    assert file.withheld == ["Julie"]
    client.force_login(agent)
    page = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id])).content.decode()
    assert "Sous quel consentement chaque revenu est lu" in page
    assert "aucun à ce jour : ils ne sont pas lus" in page
    assert "Les relevés propres de Julie (paie, France Travail) ne sont pas lus sans son propre consentement" in page

    response = client.post(
        reverse("rights:partner_consent", args=[territory.slug, sarah.public_id]),
        {"organisations": [caf.pk], "purposes": ["accompagnement"], "days": 365, "confirmed": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert "Consentement de Julie enregistré pour ses propres relevés" in page
    assert "relevé propre de Julie, lu sous son consentement" in page
    assert "consentement de Julie pour ses propres relevés" in page
    file = open_file(reader, sarah, reason="test")
    assert own.pk in {i.pk for i in file.incomes} and file.withheld == []


def test_the_partners_consent_opens_nothing_else_and_ends_with_her_withdrawal(agent, territory, sarah, consent, caf):
    julie, own, declared = _household(sarah, caf, agent)
    hers = services.give_consent(
        sarah, given_by=julie, organisations=[caf], channel=ConsentChannel.COUNTER, agent=agent, agent_organisation=caf
    )
    assert hers.categories == ["revenus"]
    reader = Reader.agent(agent, territory)
    revoke(consent, by_label="Sarah")
    # Julie's consent does not open Sarah's file: without Sarah's, nothing is read.
    assert not MonthlyIncome.objects.readable_by(reader).exists()
    services.give_consent(
        sarah, organisations=[caf], channel=ConsentChannel.COUNTER, agent=agent, agent_organisation=caf
    )
    assert set(MonthlyIncome.objects.readable_by(reader).filter(member=julie)) == {own, declared}
    revoke(hers, by_label="Julie")
    assert set(MonthlyIncome.objects.readable_by(reader).filter(member=julie)) == {declared}
    # In Sarah's own space too, Julie's own records are shown only while Julie consents.
    assert own not in MonthlyIncome.objects.readable_by(Reader.own(sarah))


def test_only_the_partner_gives_a_consent_for_her_own_records(sarah, caf):
    import pytest

    with pytest.raises(ValueError, match="conjoint"):
        services.give_consent(sarah, given_by=sarah.applicant, organisations=[caf])
