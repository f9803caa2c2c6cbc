"""Files sent by organisations update only the persons whose consent allows it, and every value says where from."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.rights import importers, services
from carteblanche.rights.access import revoke
from carteblanche.rights.engine import month_add
from carteblanche.rights.enums import (
    Benefit,
    ConsentChannel,
    DataCategory,
    ImportKind,
    ImportStatus,
    IncomeKind,
    MemberRole,
    Tenure,
)
from carteblanche.rights.importers import run_import
from carteblanche.rights.models import BenefitPayment, DataImport, HouseholdMember, MonthlyIncome, Person
from tests.factories import OrganisationFactory, TerritoryFactory
from tests.rights.helpers import register

# Months relative to the suite's day (the clock is frozen before the tests are collected): last month, and so on.
MONTH = services.current_month()
OCTOBER = month_add(MONTH, -1)  # "last month", October when the suite runs in November
SEPTEMBER = month_add(MONTH, -2)
M0, M1, M2, M3 = (f"{month_add(MONTH, -i):%Y-%m}" for i in range(4))
FT_START = f"{SEPTEMBER:%d/%m/%Y}"  # registered at France Travail two months ago
NINA = f"{month_add(MONTH, -10):%Y-%m}-15"  # a baby born ten months ago
SAMPLES = Path(importers.__file__).parent / "samples"
FT_HEADER = "identifiant;nom;prenom;date_naissance;inscrit;date_debut_indemnisation;mois;are_nette;are_imposable"
PAYROLL_HEADER = "nom;prenom;date_naissance;siret;mois;salaire_brut;salaire_net;salaire_imposable"


def caf_file(*allocataires) -> bytes:
    return json.dumps({"allocataires": list(allocataires)}, ensure_ascii=False).encode()


def csv_file(header: str, *rows: str, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join([header, *rows]) + "\r\n").encode()


def sarah_caf(**changes) -> dict:
    return {
        "numero_allocataire": "1234567",
        "nom": "MARTIN",
        "prenom": "sarah",
        "date_naissance": "1997-04-12",
        "commune_insee": "46042",
        "logement": {"statut": "locataire_hlm", "loyer": 480.5},
        "membres": [
            {"role": "enfant", "prenom": "Lea", "date_naissance": "2023-02-01"},  # Léa, already there
            {"role": "enfant", "prenom": "Nina", "date_naissance": NINA},
            {"role": "conjoint", "prenom": "Karim", "date_naissance": "1995-03-02"},
        ],
        "prestations": [
            {"code": "af", "mois": M1, "montant": 153.01},
            {"code": "aide_logement", "mois": M1, "montant": "210,50"},
        ],
        **changes,
    }


def import_file(kind, data, *, territory, organisation, user, file_name="export"):
    return run_import(
        territory=territory, organisation=organisation, kind=kind, file_name=file_name, data=data, user=user
    )


def rejected(result, updated, rows=None) -> dict:
    """The file was refused as a whole, nobody updated; its errors by line."""
    assert updated == []
    assert result.status == ImportStatus.REJECTED
    assert result.updated_persons == 0
    if rows is not None:
        assert result.rows == rows
    return {e["ligne"]: e["message"] for e in result.errors}


def written(person):
    return JournalEntry.objects.filter(
        target_type="rights.person", target_id=str(person.pk), action=Action.PERSONAL_DATA_WRITTEN
    )


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Person, HouseholdMember, MonthlyIncome, BenefitPayment, JournalEntry)
    }


def snapshot(person) -> tuple:
    person = Person.objects.get(pk=person.pk)
    members = list(HouseholdMember.objects.filter(person=person).values_list("first_name", "job_seeker"))
    incomes = list(MonthlyIncome.objects.filter(member__person=person).values_list("month", "kind", "amount"))
    benefits = list(BenefitPayment.objects.filter(person=person).values_list("benefit", "month", "amount"))
    fields = (person.caf_number, person.france_travail_id, person.commune_id, person.tenure, person.rent)
    return fields, person.provenance, members, incomes, benefits


def consent_to(person, *organisations, **kwargs):
    return services.give_consent(person, organisations=list(organisations), channel=ConsentChannel.ONLINE, **kwargs)


@pytest.fixture
def france_travail(territory):
    return OrganisationFactory(territory=territory, name="France Travail Lot")


@pytest.fixture
def employer(territory):
    return OrganisationFactory(territory=territory, name="Service paie du Département")


# CAF ------------------------------------------------------------------------------------------------------


def test_caf_file_updates_a_consenting_person_with_provenance(sarah, consent, caf, agent, territory):
    result, updated = import_file(
        ImportKind.CAF, caf_file(sarah_caf()), territory=territory, organisation=caf, user=agent, file_name="caf.json"
    )

    assert result.status == ImportStatus.DONE, result.errors
    assert updated == [sarah.pk]
    assert (result.rows, result.updated_persons, result.skipped_no_consent, result.unknown_persons) == (1, 1, 0, 0)
    assert result.file_name == "caf.json"
    assert result.created_by == agent
    sarah.refresh_from_db()
    assert sarah.caf_number == "1234567"
    assert sarah.tenure == Tenure.SOCIAL_TENANT
    assert sarah.rent == Decimal("480.50")
    assert sarah.commune.insee_code == "46042"
    for name in ("caf_number", "tenure", "rent", "commune"):
        origin = sarah.provenance[name]
        assert origin["source"] == "Import CAF"
        assert origin["organisation"] == caf.pk
        assert origin["import"] == result.pk
        assert datetime.datetime.fromisoformat(origin["at"]) <= timezone.now()

    members = {m.first_name: m for m in sarah.members.all()}
    assert sorted(members) == ["Karim", "Léa", "Nina", "Sarah", "Tom"]  # Léa matched without her accent
    assert members["Karim"].role == MemberRole.PARTNER
    assert members["Nina"].role == MemberRole.CHILD
    for new in (members["Karim"], members["Nina"]):
        assert (new.source_organisation, new.source_import, new.recorded_by) == (caf, result, agent)
        assert new.source_label == "Import CAF"
    assert members["Léa"].source_import is None  # existing members are left as they were

    payments = {p.benefit: p for p in BenefitPayment.objects.filter(person=sarah)}
    assert payments[Benefit.AF].amount == Decimal("153.01")
    assert payments[Benefit.HOUSING].amount == Decimal("210.50")
    assert payments[Benefit.AF].month == OCTOBER
    assert payments[Benefit.AF].source_import == result
    assert payments[Benefit.AF].source_organisation == caf
    assert payments[Benefit.AF].recorded_by == agent
    assert "import n° " in payments[Benefit.AF].provenance_label


def test_caf_import_writes_one_journal_line_per_updated_person(sarah, consent, caf, agent, territory):
    paul = register(territory, agent, caf, "Paul", "Durand", datetime.date(1980, 1, 5))
    consent_to(paul, caf)
    before = written(sarah).count()
    data = caf_file(
        sarah_caf(),
        {
            "numero_allocataire": "7654321",
            "nom": "Durand",
            "prenom": "Paul",
            "date_naissance": "05/01/1980",
            "prestations": [{"code": "rsa", "mois": M1, "montant": 635.71}],
        },
    )
    result, updated = import_file(ImportKind.CAF, data, territory=territory, organisation=caf, user=agent)

    assert sorted(updated) == sorted([sarah.pk, paul.pk])
    assert result.updated_persons == 2
    assert written(sarah).count() == before + 1
    line = written(sarah).latest("pk")
    assert line.actor == agent
    assert line.reason == f"Import n° {result.pk} : {ImportKind.CAF.label}"
    assert line.details["import"] == result.pk
    assert line.details["lecteur"] == "CAF du Lot"
    assert line.fields == [  # the CAF number, new members, housing, benefits
        c.label for c in DataCategory if c != DataCategory.INCOME
    ]
    paul_line = written(paul).latest("pk")
    assert paul_line.fields == [DataCategory.IDENTITY.label, DataCategory.BENEFITS.label]


def test_caf_import_is_idempotent(sarah, consent, caf, agent, territory):
    data = caf_file(sarah_caf(), sarah_caf(numero_allocataire="9999999", nom="Inconnue"))
    first, updated = import_file(ImportKind.CAF, data, territory=territory, organisation=caf, user=agent)
    assert updated == [sarah.pk]
    state, before = snapshot(sarah), counts()

    again, updated = import_file(ImportKind.CAF, data, territory=territory, organisation=caf, user=agent)

    assert again.status == ImportStatus.DONE
    assert updated == []  # nothing changed, so no one to examine again
    assert (again.rows, again.updated_persons, again.unknown_persons) == (2, 0, 1)
    assert snapshot(sarah) == state
    assert counts() == before
    # A later file with a new month adds it, and only it.
    later = sarah_caf(prestations=[{"code": "af", "mois": M0, "montant": 153.01}])
    third, updated = import_file(ImportKind.CAF, caf_file(later), territory=territory, organisation=caf, user=agent)
    assert updated == [sarah.pk]
    assert BenefitPayment.objects.filter(person=sarah).count() == 3
    assert written(sarah).latest("pk").fields == [DataCategory.BENEFITS.label]


def test_caf_matches_by_number_first_and_never_replaces_a_partner(sarah, consent, caf, agent, territory):
    import_file(ImportKind.CAF, caf_file(sarah_caf()), territory=territory, organisation=caf, user=agent)
    renamed = sarah_caf(
        nom="Martin-Diallo",  # married since: the CAF number still finds her
        membres=[{"role": "conjoint", "prenom": "Yann", "date_naissance": "1990-07-07"}],
        prestations=[{"code": "af", "mois": M1, "montant": 160}],
    )
    result, updated = import_file(ImportKind.CAF, caf_file(renamed), territory=territory, organisation=caf, user=agent)

    assert updated == [sarah.pk]
    assert BenefitPayment.objects.get(person=sarah, benefit=Benefit.AF).amount == Decimal("160.00")
    partners = HouseholdMember.objects.filter(person=sarah, role=MemberRole.PARTNER)
    assert [p.first_name for p in partners] == ["Karim"]  # left for an agent to check, never replaced


def test_caf_errors_are_listed_per_allocataire_and_nothing_is_written(sarah, consent, caf, agent, territory):
    before, state = counts(), snapshot(sarah)
    data = caf_file(
        sarah_caf(),
        sarah_caf(numero_allocataire="12", date_naissance="1997-13-40"),
        sarah_caf(
            numero_allocataire="2222222",
            commune_insee="75056",
            logement={"statut": "chateau", "loyer": -3},
            membres=[{"role": "cousin", "prenom": "Léo", "date_naissance": "2020-01-01"}],
            prestations=[
                {"code": "rsa_jeune", "mois": M1, "montant": 1},
                {"code": "af", "mois": f"{OCTOBER:%m/%Y}", "montant": "cent"},
            ],
        ),
        sarah_caf(numero_allocataire="1234567"),
    )
    result, updated = import_file(ImportKind.CAF, data, territory=territory, organisation=caf, user=agent)

    by_line = rejected(result, updated, rows=4)
    assert sorted(by_line) == [2, 3, 4]
    assert "champ « numero_allocataire » : « 12 » invalide" in by_line[2]
    assert "champ « date_naissance » : date « 1997-13-40 » invalide" in by_line[2]
    assert "commune 75056 inconnue sur ce territoire" in by_line[3]
    assert "champ « logement.statut » : « chateau » inconnu" in by_line[3]
    assert "champ « logement.loyer » : montant négatif (-3)" in by_line[3]
    assert "champ « membres[1].role » : « cousin » inconnu" in by_line[3]
    assert "champ « prestations[1].code » : prestation « rsa_jeune » inconnue" in by_line[3]
    assert f"champ « prestations[2].mois » : mois « {OCTOBER:%m/%Y} » invalide (AAAA-MM attendu" in by_line[3]
    assert "champ « prestations[2].montant » : « cent » n'est pas un montant" in by_line[3]
    assert "numéro d'allocataire 1234567 déjà présent (allocataire n° 1)" in by_line[4]
    assert counts() == before
    assert snapshot(sarah) == state
    assert DataImport.objects.get(pk=result.pk).status == ImportStatus.REJECTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"  \n", "Le fichier est vide."),
        (b'{"allocataires": [', "Le fichier n'est pas un JSON lisible"),
        (b'{"allocataires": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "imbriqué bien trop profondément"),
        (b'[{"nom": "Martin"}]', "une liste « allocataires »"),
        (b'{"allocataires": []}', "aucune donnée à importer"),
        ("Sarah;Martin".encode("latin-1") + b"\xe9", "pas encodé en UTF-8"),
    ],
)
def test_an_unreadable_caf_file_is_refused_as_a_whole(data, message, caf, agent, territory):
    result, updated = import_file(ImportKind.CAF, data, territory=territory, organisation=caf, user=agent)
    assert updated == []
    assert result.status == ImportStatus.REJECTED
    assert len(result.errors) == 1
    assert result.errors[0]["ligne"] == 0
    assert message in result.errors[0]["message"]


# Consent --------------------------------------------------------------------------------------------------


def assert_sarah_caf_file_opens_nothing(sarah, *, territory, organisation, user):
    """Sarah's CAF file, imported for ``organisation``: done, Sarah skipped for want of a consent, nothing written."""
    state, before = snapshot(sarah), counts()
    result, updated = import_file(
        ImportKind.CAF, caf_file(sarah_caf()), territory=territory, organisation=organisation, user=user
    )
    assert result.status == ImportStatus.DONE
    assert updated == []
    assert (result.updated_persons, result.skipped_no_consent, result.unknown_persons) == (0, 1, 0)
    assert snapshot(sarah) == state
    assert counts() == before


def test_persons_without_consent_are_counted_and_left_untouched(sarah, caf, agent, territory):
    assert_sarah_caf_file_opens_nothing(sarah, territory=territory, organisation=caf, user=agent)


def test_a_revoked_consent_opens_nothing(sarah, consent, caf, agent, territory):
    revoke(consent, by_label="Sarah Martin")
    assert_sarah_caf_file_opens_nothing(sarah, territory=territory, organisation=caf, user=agent)


def test_an_expired_consent_opens_nothing(sarah, caf, agent, territory):
    consent_to(sarah, caf, starts_at=timezone.now() - datetime.timedelta(days=400), days=365)
    assert_sarah_caf_file_opens_nothing(sarah, territory=territory, organisation=caf, user=agent)


def test_a_consent_given_to_another_organisation_does_not_count(sarah, consent, agent, territory, france_travail):
    assert_sarah_caf_file_opens_nothing(sarah, territory=territory, organisation=france_travail, user=agent)


def test_caf_needs_household_housing_and_benefits(sarah, caf, agent, territory):
    consent_to(sarah, caf, categories=[DataCategory.IDENTITY, DataCategory.HOUSEHOLD, DataCategory.HOUSING])
    assert_sarah_caf_file_opens_nothing(sarah, territory=territory, organisation=caf, user=agent)


def test_unknown_persons_and_persons_of_another_territory_are_counted_not_matched(caf, agent, territory):
    elsewhere = TerritoryFactory()
    stranger = register(elsewhere, None, None, "Sarah", "Martin", datetime.date(1997, 4, 12), caf_number="1234567")
    consent_to(stranger, caf)
    data = caf_file(sarah_caf(), sarah_caf(numero_allocataire="7777777", nom="Dupont"))
    result, updated = import_file(ImportKind.CAF, data, territory=territory, organisation=caf, user=agent)

    assert updated == []
    assert (result.rows, result.unknown_persons, result.skipped_no_consent) == (2, 2, 0)
    assert not BenefitPayment.objects.filter(person=stranger).exists()


def test_homonyms_and_conflicting_identifiers_are_not_guessed(sarah, consent, caf, agent, territory):
    other = register(territory, agent, caf, "Sarah", "Martin", datetime.date(1997, 4, 12))  # same name and birth
    consent_to(other, caf)
    result, updated = import_file(
        ImportKind.CAF, caf_file(sarah_caf()), territory=territory, organisation=caf, user=agent
    )
    assert updated == []
    assert result.unknown_persons == 1

    Person.objects.filter(pk=other.pk).update(caf_number="5555555")  # now the only candidate is sarah
    Person.objects.filter(pk=sarah.pk).update(caf_number="4444444")  # ... but she has another CAF number
    result, updated = import_file(
        ImportKind.CAF, caf_file(sarah_caf()), territory=territory, organisation=caf, user=agent
    )
    assert updated == []
    assert result.unknown_persons == 1
    assert not BenefitPayment.objects.filter(person__in=[sarah, other]).exists()


# France Travail --------------------------------------------------------------------------------------------


def test_france_travail_file_with_bom_and_decimal_commas(sarah, agent, territory, france_travail):
    consent_to(sarah, france_travail)
    data = csv_file(
        FT_HEADER,
        f"A1234567;MARTIN;Sarah;12/04/1997;oui;{FT_START};{M2};812,40;830,10",
        f"A1234567;Martin;Sarah;1997-04-12;oui;{FT_START};{M1};1 039,48;857.79",
        bom=True,
    )
    result, updated = import_file(
        ImportKind.FRANCE_TRAVAIL, data, territory=territory, organisation=france_travail, user=agent
    )

    assert result.status == ImportStatus.DONE, result.errors
    assert updated == [sarah.pk]
    assert (result.rows, result.updated_persons, result.skipped_no_consent, result.unknown_persons) == (2, 1, 0, 0)
    sarah.refresh_from_db()
    assert sarah.france_travail_id == "A1234567"
    assert sarah.provenance["france_travail_id"]["source"] == "Import France Travail"
    assert sarah.provenance["france_travail_id"]["import"] == result.pk
    applicant = sarah.applicant
    assert applicant.job_seeker is True
    assert applicant.unemployment_start == SEPTEMBER
    assert (applicant.source_import, applicant.source_organisation) == (result, france_travail)
    incomes = {
        (i.month, i.kind): i
        for i in MonthlyIncome.objects.filter(member=applicant, kind__startswith="chomage").select_related(
            "source_import"
        )
    }
    assert incomes[(SEPTEMBER, IncomeKind.UNEMPLOYMENT_NET)].amount == Decimal("812.40")
    assert incomes[(OCTOBER, IncomeKind.UNEMPLOYMENT_NET)].amount == Decimal("1039.48")
    assert incomes[(OCTOBER, IncomeKind.UNEMPLOYMENT_TAXABLE)].amount == Decimal("857.79")
    for income in incomes.values():
        assert (income.source_organisation, income.source_import, income.recorded_by) == (
            france_travail,
            result,
            agent,
        )
        assert income.source_label == "Import France Travail"
    line = written(sarah).latest("pk")
    assert line.reason == f"Import n° {result.pk} : {ImportKind.FRANCE_TRAVAIL.label}"
    assert line.fields == [DataCategory.IDENTITY.label, DataCategory.HOUSEHOLD.label, DataCategory.INCOME.label]

    # The same file again: found by her identifier now, nothing changes.
    before, state = counts(), snapshot(sarah)
    again, updated = import_file(
        ImportKind.FRANCE_TRAVAIL, data, territory=territory, organisation=france_travail, user=agent
    )
    assert updated == []
    assert (again.rows, again.updated_persons, again.skipped_no_consent, again.unknown_persons) == (2, 0, 0, 0)
    assert counts() == before
    assert snapshot(sarah) == state


def test_france_travail_status_needs_a_household_consent(sarah, agent, territory, france_travail):
    consent_to(sarah, france_travail, categories=[DataCategory.INCOME])
    data = csv_file(FT_HEADER, f"A1234567;Martin;Sarah;12/04/1997;oui;{FT_START};{M1};812,40;830,10")
    result, updated = import_file(
        ImportKind.FRANCE_TRAVAIL, data, territory=territory, organisation=france_travail, user=agent
    )

    assert updated == [sarah.pk]
    sarah.refresh_from_db()
    assert sarah.applicant.job_seeker is None  # household not covered: status fields skipped
    assert sarah.france_travail_id == ""  # identity not covered either
    assert MonthlyIncome.objects.get(member__person=sarah, kind=IncomeKind.UNEMPLOYMENT_NET).amount == Decimal(
        "812.40"
    )
    assert written(sarah).latest("pk").fields == [DataCategory.INCOME.label]


def test_france_travail_without_income_consent_is_skipped(sarah, agent, territory, france_travail):
    consent_to(sarah, france_travail, categories=[DataCategory.IDENTITY, DataCategory.HOUSEHOLD])
    data = csv_file(FT_HEADER, f"A1234567;Martin;Sarah;12/04/1997;oui;{FT_START};{M1};812,40;830,10")
    result, updated = import_file(
        ImportKind.FRANCE_TRAVAIL, data, territory=territory, organisation=france_travail, user=agent
    )
    assert updated == []
    assert result.skipped_no_consent == 1
    assert sarah.applicant.job_seeker is None


def test_france_travail_errors_per_line_and_nothing_written(sarah, agent, territory, france_travail):
    consent_to(sarah, france_travail)
    before = counts()
    data = csv_file(
        FT_HEADER,
        f"A1234567;Martin;Sarah;12/04/1997;oui;{FT_START};{M1};812,40;830,10",
        f"A1234567;Martin;Sarah;31/02/1997;peut-être;{SEPTEMBER.isoformat()};2026-13;-5;abc",
        "A-1;;Sarah;12/04/1997;non;;;12;",
        f"A1234567;Martin;Sarah;12/04/1997;oui;{FT_START};{M1};812,40;830,10",
        "A1234567;Martin;Sarah;12/04/1997;oui",
        f"A1234567;Martin;Sarah;12/04/1997;oui;;{M3};1,234;1;2",
    )
    result, updated = import_file(
        ImportKind.FRANCE_TRAVAIL, data, territory=territory, organisation=france_travail, user=agent
    )

    by_line = rejected(result, updated, rows=6)
    assert sorted(by_line) == [3, 4, 5, 6, 7]
    assert "colonne « date_naissance » : date « 31/02/1997 » invalide" in by_line[3]
    assert "colonne « inscrit » : « peut-être » invalide (oui ou non)" in by_line[3]
    assert "colonne « mois » : mois « 2026-13 » invalide" in by_line[3]
    assert "colonne « are_nette » : montant négatif (-5)" in by_line[3]
    assert "colonne « are_imposable » : « abc » n'est pas un montant" in by_line[3]
    assert "colonne « identifiant » : « A-1 » invalide" in by_line[4]
    assert "colonne « nom » : valeur manquante" in by_line[4]
    assert "colonne « mois » : valeur manquante" in by_line[4]
    assert "déjà présents ligne 2" in by_line[5]
    assert "valeurs manquantes" in by_line[6]
    assert "trop de valeurs" in by_line[7]
    assert counts() == before
    assert sarah.applicant.job_seeker is None


def test_a_csv_file_without_the_expected_columns_is_refused(sarah, consent, caf, agent, territory):
    data = csv_file("identifiant,nom,prenom,date_naissance,mois", f"A1234567,Martin,Sarah,1997-04-12,{M1}")
    result, updated = import_file(ImportKind.FRANCE_TRAVAIL, data, territory=territory, organisation=caf, user=agent)
    assert updated == []
    assert result.status == ImportStatus.REJECTED
    assert len(result.errors) == 1
    assert result.errors[0]["ligne"] == 1
    assert result.errors[0]["message"].startswith("colonnes manquantes : identifiant, nom, prenom")

    header_only, _ = import_file(
        ImportKind.PAYROLL, csv_file(PAYROLL_HEADER), territory=territory, organisation=caf, user=agent
    )
    assert header_only.errors == [
        {"ligne": 0, "message": "Le fichier ne contient que l'en-tête : aucune ligne à importer."}
    ]


# Payroll ---------------------------------------------------------------------------------------------------


def test_payroll_updates_the_applicant_and_her_partner(sarah, agent, territory, employer):
    consent_to(sarah, employer)
    karim = HouseholdMember.objects.create(
        person=sarah, role=MemberRole.PARTNER, first_name="Karim", birth_date=datetime.date(1995, 3, 2)
    )
    # Karim's pay is his own record: it enters the file under his own consent, not under Sarah's.
    services.give_consent(sarah, organisations=[employer], given_by=karim)
    data = csv_file(
        PAYROLL_HEADER,
        f"Martin;Sarah;1997-04-12;12345678900012;{M1};1210,00;950,00;990,50",
        f"Martin;Sarah;12/04/1997;98765432100019;{M1};;200;",  # a second employer the same month
        f"MARTIN;karim;02/03/1995;;{M1};;1 400,10;",
        f"Martin;Zoé;01/01/2001;;{M1};;900;",
    )
    before = MonthlyIncome.objects.filter(member__person=sarah).count()
    result, updated = import_file(ImportKind.PAYROLL, data, territory=territory, organisation=employer, user=agent)

    assert result.status == ImportStatus.DONE, result.errors
    assert updated == [sarah.pk]
    assert (result.rows, result.updated_persons, result.skipped_no_consent, result.unknown_persons) == (4, 1, 0, 1)
    applicant = sarah.applicant
    # One row per employer (the SIRET is in the key); they replace the 950 € declared without an employer.
    nets = MonthlyIncome.objects.filter(member=applicant, month=OCTOBER, kind=IncomeKind.SALARY_NET)
    assert {i.employer_siret: i.amount for i in nets} == {
        "12345678900012": Decimal("950.00"),
        "98765432100019": Decimal("200.00"),
    }
    october = {i.kind: i for i in MonthlyIncome.objects.filter(member=applicant, month=OCTOBER).order_by("-amount")}
    assert october[IncomeKind.SALARY_GROSS].amount == Decimal("1210.00")
    assert october[IncomeKind.SALARY_TAXABLE].amount == Decimal("990.50")
    assert october[IncomeKind.SALARY_NET].source_organisation == employer
    assert october[IncomeKind.SALARY_NET].source_import == result
    assert october[IncomeKind.SALARY_NET].source_label == "Import paie"
    assert MonthlyIncome.objects.get(member=karim, month=OCTOBER, kind=IncomeKind.SALARY_NET).amount == Decimal(
        "1400.10"
    )
    assert MonthlyIncome.objects.filter(member__person=sarah).count() == before + 4  # the declared 950 replaced
    assert written(sarah).latest("pk").fields == [DataCategory.INCOME.label]
    assert written(sarah).latest("pk").details["import"] == result.pk

    again, updated = import_file(ImportKind.PAYROLL, data, territory=territory, organisation=employer, user=agent)
    assert updated == []
    assert (again.rows, again.updated_persons, again.unknown_persons) == (4, 0, 1)
    assert MonthlyIncome.objects.filter(member__person=sarah).count() == before + 4


def test_a_partners_pay_is_not_written_without_her_own_consent(sarah, agent, territory, employer):
    consent_to(sarah, employer)
    julie = HouseholdMember.objects.create(
        person=sarah, role=MemberRole.PARTNER, first_name="Julie", birth_date=datetime.date(1995, 3, 2)
    )
    data = csv_file(
        PAYROLL_HEADER,
        f"Martin;Sarah;1997-04-12;;{M1};;950,00;",
        f"Martin;Julie;02/03/1995;;{M1};;1 400,10;",
    )
    result, updated = import_file(ImportKind.PAYROLL, data, territory=territory, organisation=employer, user=agent)
    assert result.status == ImportStatus.DONE and updated == [sarah.pk]
    assert result.skipped_no_consent == 1  # Julie
    assert not MonthlyIncome.objects.filter(member=julie).exists()


def test_payroll_files_of_two_employers_add_up_and_each_replaces_only_its_own(sarah, agent, territory, employer):
    from carteblanche.rights.access import Reader, open_file
    from carteblanche.rights.situations import situation_from_file

    other = OrganisationFactory(territory=territory, name="Association d'aide à domicile")
    consent_to(sarah, employer, other)
    morning = csv_file(PAYROLL_HEADER, f"Martin;Sarah;1997-04-12;12345678900012;{M1};;700;721")
    evening = csv_file(PAYROLL_HEADER, f"Martin;Sarah;1997-04-12;98765432100019;{M1};;450;463,50")
    for organisation, data in ((employer, morning), (other, evening)):
        result, _ = import_file(ImportKind.PAYROLL, data, territory=territory, organisation=organisation, user=agent)
        assert result.status == ImportStatus.DONE, result.errors

    def salary_in_october():
        file = open_file(Reader.screening(territory), sarah, reason="test")
        return situation_from_file(file, OCTOBER).members[0].monthly[IncomeKind.SALARY_NET][OCTOBER]

    assert salary_in_october() == 1150.0
    corrected = csv_file(PAYROLL_HEADER, f"Martin;Sarah;1997-04-12;12345678900012;{M1};;750;772,50")
    import_file(ImportKind.PAYROLL, corrected, territory=territory, organisation=employer, user=agent)
    assert salary_in_october() == 1200.0  # 750 + 450: the evening employer's amount is kept


def test_payroll_without_consent_and_with_bad_rows(sarah, agent, territory, employer):
    rows = f"Martin;Sarah;1997-04-12;;{M1};;950,00;"
    result, updated = import_file(
        ImportKind.PAYROLL, csv_file(PAYROLL_HEADER, rows), territory=territory, organisation=employer, user=agent
    )
    assert updated == []
    assert result.skipped_no_consent == 1

    consent_to(sarah, employer)
    before = counts()
    bad = csv_file(
        PAYROLL_HEADER,
        rows,
        f"Martin;Sarah;1997-04-12;123;{M1};;;",
        f"Martin;Sarah;1997-04-12;;{M2};;950,123;",
        rows,
    )
    result, updated = import_file(ImportKind.PAYROLL, bad, territory=territory, organisation=employer, user=agent)
    by_line = rejected(result, updated)
    assert sorted(by_line) == [3, 4, 5]
    assert "colonne « siret » : « 123 » invalide (14 chiffres)" in by_line[3]
    assert "aucun montant" in by_line[3]
    assert "plus de deux décimales" in by_line[4]
    assert "même salarié, employeur et mois que la ligne 2" in by_line[5]
    assert counts() == before


# Samples ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (ImportKind.CAF, "caf.json"),
        (ImportKind.FRANCE_TRAVAIL, "france_travail.csv"),
        (ImportKind.PAYROLL, "paie.csv"),
    ],
)
def test_the_sample_files_are_valid(kind, name, territory):
    communes = dict(territory.communes.values_list("insee_code", "pk"))
    parsed = importers.parse(kind, (SAMPLES / name).read_bytes(), communes)
    assert parsed.errors == []
    assert parsed.records
