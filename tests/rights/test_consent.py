"""Personal data is read only under an active consent that covers it, and every access is journaled."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.rights import services
from carteblanche.rights.access import ConsentMissing, Reader, open_file, person_for, revoke
from carteblanche.rights.enums import ConsentChannel, DataCategory, Purpose
from carteblanche.rights.models import BenefitPayment, MonthlyIncome, Person
from tests.rights.helpers import register


def journal_for(person, action):
    return JournalEntry.objects.about(person).filter(action=action)


def test_without_consent_the_querysets_return_nothing_and_the_refusal_is_journaled(sarah, agent, territory):
    reader = Reader.agent(agent, territory)
    assert not Person.objects.readable_by(reader).exists()
    assert not MonthlyIncome.objects.readable_by(reader).exists()
    with pytest.raises(ConsentMissing):
        person_for(reader, sarah.pk, reason="Recherche au guichet")
    refusal = journal_for(sarah, Action.PERSONAL_DATA_REFUSED).get()
    assert refusal.actor == agent
    assert refusal.reason == "Recherche au guichet"


def test_consent_opens_the_file_to_its_organisations_only(sarah, consent, agent, other_agent, territory):
    reader = Reader.agent(agent, territory)
    assert list(Person.objects.readable_by(reader)) == [sarah]
    assert MonthlyIncome.objects.readable_by(reader).count() == 24
    stranger = Reader.agent(other_agent, territory)
    assert not Person.objects.readable_by(stranger).exists()
    assert not MonthlyIncome.objects.readable_by(stranger).exists()
    with pytest.raises(ConsentMissing):
        open_file(stranger, sarah, reason="Curiosité")


def test_every_read_is_journaled_with_who_why_and_which_fields(sarah, consent, agent, territory):
    file = open_file(Reader.agent(agent, territory), sarah, reason="Accompagnement au guichet")
    assert len(file.incomes) == 24
    entry = journal_for(sarah, Action.PERSONAL_DATA_READ).get()
    assert entry.actor == agent
    assert entry.reason == "Accompagnement au guichet"
    assert entry.fields == [c.label for c in DataCategory]
    assert entry.details["lecteur"] == "CAF du Lot"


def test_consent_and_file_opening_are_journaled(sarah, consent, agent):
    assert journal_for(sarah, Action.PERSONAL_DATA_WRITTEN).filter(reason="Ouverture du dossier de l'usager.").exists()
    given = journal_for(sarah, Action.CONSENT_GIVEN).get()
    assert given.actor == agent
    assert given.details["organisations"] == ["CAF du Lot"]


def test_revoking_takes_effect_at_once(sarah, consent, agent, territory):
    reader = Reader.agent(agent, territory)
    assert Person.objects.readable_by(reader).exists()
    revoke(consent, by_label="Sarah Martin")
    assert not Person.objects.readable_by(reader).exists()
    assert not MonthlyIncome.objects.readable_by(reader).exists()
    with pytest.raises(ConsentMissing):
        open_file(reader, sarah, reason="Accompagnement")
    assert journal_for(sarah, Action.CONSENT_REVOKED).exists()


def test_an_expired_consent_opens_nothing(sarah, caf, agent, territory):
    services.give_consent(
        sarah,
        organisations=[caf],
        channel=ConsentChannel.ONLINE,
        starts_at=timezone.now() - datetime.timedelta(days=400),
        days=365,
    )
    assert not Person.objects.readable_by(Reader.agent(agent, territory)).exists()


def test_a_consent_opens_only_its_categories(sarah, caf, agent, territory):
    services.give_consent(
        sarah,
        organisations=[caf],
        categories=[DataCategory.IDENTITY, DataCategory.HOUSEHOLD],
        channel=ConsentChannel.ONLINE,
    )
    BenefitPayment.objects.create(person=sarah, benefit="af", month=datetime.date(2026, 10, 1), amount=153)
    reader = Reader.agent(agent, territory)
    assert Person.objects.readable_by(reader).exists()
    assert not MonthlyIncome.objects.readable_by(reader).exists()
    assert not BenefitPayment.objects.readable_by(reader).exists()
    file = open_file(reader, sarah, reason="Accompagnement")
    assert file.incomes == [] and file.benefits == []
    assert file.person.rent is None  # housing is not covered either


def test_the_purpose_limits_the_use(sarah, caf, territory):
    services.give_consent(sarah, organisations=[caf], purposes=[Purpose.COUNTER], channel=ConsentChannel.ONLINE)
    assert not Person.objects.readable_by(Reader.screening(territory)).exists()


def test_the_person_always_reads_her_own_file(sarah):
    reader = Reader.own(sarah)
    assert list(Person.objects.readable_by(reader)) == [sarah]
    assert MonthlyIncome.objects.readable_by(reader).count() == 24


def test_a_counter_consent_names_the_agent(sarah, caf):
    with pytest.raises(ValidationError) as error:
        services.give_consent(sarah, organisations=[caf], channel=ConsentChannel.COUNTER)
    assert "nomme l'agent" in str(error.value)
    assert not sarah.consents.exists()


def test_a_new_file_without_any_income_is_not_examined_as_if_it_earned_nothing(agent, caf, territory):
    from carteblanche.rights.enums import Benefit

    cahors = territory.communes.get(insee_code="46042")
    born = datetime.date(1964, 9, 3)
    person = register(territory, agent, caf, "Marcel", "Lacoste", born, commune=cahors, tenure="locataire", rent=400)
    services.give_consent(person, organisations=[caf], channel=ConsentChannel.COUNTER, agent=agent)
    file = open_file(Reader.agent(agent, territory), person, reason="Accompagnement au guichet")
    assessment = services.assess_file(file, trigger="guichet")
    rows = {r["benefit"]: r for r in assessment.results}
    assert not any(r["eligible"] for r in rows.values())  # no « RSA probable » for a file with nothing in it
    assert rows[Benefit.RSA]["verdict"].startswith("Non évalué : il manque les revenus des 24 derniers mois")
    assert any(m.startswith("Revenus des 24 derniers mois : aucun n'est enregistré") for m in assessment.missing)
    assert "bulletins de salaire" in " ".join(assessment.missing)
    assert assessment.unclaimed_total == 0


def test_a_right_not_evaluated_says_what_is_missing_and_the_list_says_it_too(agent, caf, territory, sarah, consent):
    from carteblanche.rights.enums import Benefit

    file = open_file(Reader.agent(agent, territory), sarah, reason="Accompagnement au guichet")
    assessment = services.assess_file(file, trigger="guichet")
    aah = next(r for r in assessment.results if r["benefit"] == Benefit.AAH)
    assert aah["verdict"] == (
        "Non évalué : il manque le taux d'incapacité reconnu par la MDPH, s'il y en a un "
        "(voir « Informations à demander »)."
    )
    assert any("MDPH" in m and "AAH" in m for m in assessment.missing)
