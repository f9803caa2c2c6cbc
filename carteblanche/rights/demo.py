"""Demo files for the rights console: Sarah, the persona of the Cahors workshop, and a few households around her.

Fictional people with plausible situations, each with a consent recorded at the counter by the demo CAF agent,
and one screening so that the console lists probable rights not claimed. Idempotent.
"""

import datetime
import random
import unicodedata

from carteblanche.territories.models import Organisation

from . import services
from .access import Reader
from .engine import month_add
from .enums import Benefit, ConsentChannel, IncomeKind, MemberRole, Purpose, Tenure
from .models import BenefitPayment, HouseholdMember, MonthlyIncome, Person

SARAH_EMAIL = "sarah.martin@demo.carteblanche.fr"
SHARED_WITH = ("CAF du Lot", "France Travail Cahors", "CPAM du Lot", "Grand Cahors (communauté d'agglomération)")

# (first name, last name, born, tenure, rent, partner?, children birth years, monthly net salary, unemployment)
HOUSEHOLDS = [
    ("Karim", "Benali", 1985, Tenure.SOCIAL_TENANT, 430, True, [2012, 2016, 2019], 1600, 800),
    ("Paul", "Delpech", 1958, Tenure.TENANT, 380, False, [], 0, 0),
    ("Inès", "Garrigou", 2001, Tenure.TENANT_FURNISHED, 410, False, [], 1100, 0),
    ("Monique", "Rouquié", 1949, Tenure.OWNER, None, False, [], 0, 0),
    ("Thomas", "Vayssière", 1990, Tenure.TENANT, 560, True, [2021, 2024], 1900, 0),
    ("Aïcha", "Mercadier", 1994, Tenure.SOCIAL_TENANT, 350, False, [2015, 2018], 0, 0),
    ("Jean", "Lacoste", 1979, Tenure.TENANT, 470, False, [2010], 0, 950),
    ("Lucie", "Besse", 1998, Tenure.HOSTED, None, False, [2025], 700, 0),
]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def load_demo_persons(territory, agent, *, today: datetime.date) -> int:
    from carteblanche.core.demo import demo_now

    if Person.objects.filter(territory=territory, email=SARAH_EMAIL).exists():
        return 0
    organisations = list(Organisation.objects.filter(territory=territory, name__in=SHARED_WITH))
    caf = next(o for o in organisations if o.name == "CAF du Lot")
    cahors = territory.communes.filter(insee_code="46042").first()
    month = services.current_month(today)
    now = demo_now(today)
    rng = random.Random(2018)
    persons = []

    def open_file(first, last, born, email, tenure, rent):
        person = services.register_person(
            territory=territory,
            created_by=agent,
            organisation=caf,
            first_name=first,
            last_name=last,
            birth_date=born,
            email=email,
            commune=cahors,
            tenure=tenure,
            rent=rent,
        )
        services.give_consent(
            person,
            organisations=organisations,
            purposes=[Purpose.COUNTER, Purpose.SCREENING],
            channel=ConsentChannel.COUNTER,
            agent=agent,
            agent_organisation=caf,
            starts_at=now - datetime.timedelta(days=30),
        )
        persons.append(person)
        return person

    def salaries(member, amount, months=range(1, 25), kind=IncomeKind.SALARY_NET):
        MonthlyIncome.objects.bulk_create(
            MonthlyIncome(
                member=member,
                month=month_add(month, -i),
                kind=kind,
                amount=round(amount * rng.uniform(0.97, 1.03), 2),
                source_organisation=caf,
                source_label="Déclaration trimestrielle de ressources",
            )
            for i in months
        )

    # Sarah: home help on a short contract, two children, alone; receives family allowances only.
    sarah = open_file("Sarah", "Martin", datetime.date(1997, 4, 12), SARAH_EMAIL, Tenure.TENANT, 520)
    for first, born in (("Léa", datetime.date(2023, 2, 1)), ("Tom", datetime.date(2020, 6, 1))):
        HouseholdMember.objects.create(
            person=sarah, role=MemberRole.CHILD, first_name=first, birth_date=born, source_organisation=caf
        )
    salaries(sarah.applicant, 950)
    BenefitPayment.objects.bulk_create(
        BenefitPayment(
            person=sarah, benefit=Benefit.AF, month=month_add(month, -i), amount=153.01, source_organisation=caf
        )
        for i in (1, 2, 3)
    )
    for first, last, year, tenure, rent, partner, children, salary, unemployment in HOUSEHOLDS:
        email = f"{_ascii(first)}.{_ascii(last)}@demo.carteblanche.fr"
        person = open_file(first, last, datetime.date(year, 3, 15), email, tenure, rent)
        if salary:
            salaries(person.applicant, salary)
        elif not unemployment and year >= 1962:
            salaries(person.applicant, 0)  # « aucun revenu », as the agent records it: 0 € each month
        if partner:
            member = HouseholdMember.objects.create(
                person=person, role=MemberRole.PARTNER, first_name="Julie", birth_date=datetime.date(year + 2, 9, 9)
            )
            if unemployment:
                salaries(member, 1200, months=range(6, 25))
                salaries(member, unemployment, months=range(1, 6), kind=IncomeKind.UNEMPLOYMENT_NET)
                member.job_seeker, member.unemployment_start = True, month_add(month, -5)
                member.save(update_fields=["job_seeker", "unemployment_start"])
        elif unemployment:
            salaries(person.applicant, unemployment, kind=IncomeKind.UNEMPLOYMENT_NET)
            person.applicant.job_seeker, person.applicant.unemployment_start = True, month_add(month, -24)
            person.applicant.save(update_fields=["job_seeker", "unemployment_start"])
        if year < 1962:
            salaries(person.applicant, 900 if tenure == Tenure.TENANT else 1100, kind=IncomeKind.PENSION)
        for i, born in enumerate(children):
            HouseholdMember.objects.create(
                person=person,
                role=MemberRole.CHILD,
                first_name=f"Enfant {i + 1}",
                birth_date=datetime.date(born, 5, 1),
            )
    # One screening, as the nightly job would have done (no message sent: the demo persons are fictional).
    from .access import open_files
    from .screening import screen
    from .situations import situation_from_file

    reader = Reader.screening(territory)
    files = open_files(reader, persons, reason="Examen automatique des droits (démonstration)")
    situations = [situation_from_file(f, month) for f in files]
    for file, situation, computed in zip(files, situations, screen(situations, month, workers=1), strict=True):
        services.store(
            file.person, month, services.evaluation_of(computed, situation, month), "examen", file.categories
        )
    return len(persons)
