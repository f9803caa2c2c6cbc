import datetime

import pytest

from carteblanche.rights import services
from carteblanche.rights.engine import month_add
from carteblanche.rights.enums import ConsentChannel, IncomeKind, MemberRole, Tenure
from carteblanche.rights.models import HouseholdMember, MonthlyIncome
from tests.factories import CommuneFactory, MembershipFactory, OrganisationFactory, TerritoryFactory
from tests.rights.helpers import register


@pytest.fixture
def territory():
    cahors = CommuneFactory(insee_code="46042", name="Cahors", population=19000)
    return TerritoryFactory(communes=[cahors])


@pytest.fixture
def caf(territory):
    return OrganisationFactory(territory=territory, name="CAF du Lot")


@pytest.fixture
def agent(territory, caf):
    return MembershipFactory(territory=territory, role="agent", organisation=caf).user


@pytest.fixture
def other_agent(territory):
    """An agent of another organisation of the same territory."""
    return MembershipFactory(territory=territory, agent=True).user


@pytest.fixture
def sarah(territory, agent, caf):
    """Sarah: single mother of two, home help on a short contract, tenant in Cahors; no consent yet."""
    person = register(
        territory,
        agent,
        caf,
        "Sarah",
        "Martin",
        datetime.date(1997, 4, 12),
        email="sarah@exemple.fr",
        commune=territory.communes.get(insee_code="46042"),
        tenure=Tenure.TENANT,
        rent=520,
    )
    for first_name, born in (("Léa", datetime.date(2023, 2, 1)), ("Tom", datetime.date(2020, 6, 1))):
        HouseholdMember.objects.create(person=person, role=MemberRole.CHILD, first_name=first_name, birth_date=born)
    applicant = person.applicant
    month = services.current_month()  # the 24 months before the suite's day
    MonthlyIncome.objects.bulk_create(
        MonthlyIncome(member=applicant, month=month_add(month, -i), kind=IncomeKind.SALARY_NET, amount=950)
        for i in range(1, 25)
    )
    return person


@pytest.fixture
def consent(sarah, agent, caf):
    return services.give_consent(
        sarah, organisations=[caf], channel=ConsentChannel.COUNTER, agent=agent, agent_organisation=caf
    )
