import factory
from django.conf import settings

from carteblanche.accounts.enums import Role
from carteblanche.accounts.models import Membership, User
from carteblanche.territories.enums import OrganisationKind, SiteKind, TerritoryKind
from carteblanche.territories.models import Commune, OpeningPeriod, Organisation, ServiceSite, Territory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(settings.DEMO_PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True, is_superuser=True)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["insee_code"]

    insee_code = factory.Sequence(lambda n: f"99{n:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    population = 1000
    latitude = 44.45
    longitude = 1.44
    department_code = "99"


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Territoire {n}")
    slug = factory.Sequence(lambda n: f"territoire-{n}")
    kind = TerritoryKind.CUSTOM

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.OPERATOR


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    territory = factory.SubFactory(TerritoryFactory)
    role = Role.PROJECT_TEAM

    class Params:
        agent = factory.Trait(
            role=Role.AGENT,
            organisation=factory.SubFactory(OrganisationFactory, territory=factory.SelfAttribute("..territory")),
        )
        prefecture = factory.Trait(role=Role.PREFECTURE)
        jury = factory.Trait(role=Role.JURY)


class ServiceSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceSite

    kind = SiteKind.FRANCE_SERVICES
    name = factory.Sequence(lambda n: f"France services {n}")
    commune = factory.SubFactory(CommuneFactory)
    latitude = factory.SelfAttribute("commune.latitude")
    longitude = factory.SelfAttribute("commune.longitude")


class OpeningPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningPeriod

    site = factory.SubFactory(ServiceSiteFactory)
    weekday = 0
    opens = "09:00"
    closes = "12:00"
