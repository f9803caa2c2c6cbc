"""The screening job examines every consenting file of a territory and tells the persons with new rights."""

from django.core import mail

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core.enums import JobStatus
from carteblanche.core.models import Job
from carteblanche.rights import services
from carteblanche.rights.enums import ConsentChannel, Purpose
from carteblanche.rights.models import Notice, RightsAssessment
from carteblanche.rights.tasks import screen_territory


def run(territory, agent):
    job = Job.objects.create(kind=screen_territory.name, label="Examen", territory=territory, created_by=agent)
    screen_territory.apply(args=(str(job.pk),))
    job.refresh_from_db()
    return job


def test_screening_lists_unclaimed_rights_and_tells_the_person_once(sarah, caf, agent, territory):
    services.give_consent(sarah, organisations=[caf], channel=ConsentChannel.ONLINE)
    job = run(territory, agent)
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    assessment = RightsAssessment.objects.get(person=sarah)
    assert assessment.trigger == "examen"
    assert {r["benefit"] for r in assessment.unclaimed} >= {"ppa", "aide_logement"}
    assert assessment.unclaimed_total > 0
    assert Notice.objects.filter(person=sarah, channel="email").count() == 1
    assert "pourriez avoir droit" in mail.outbox[-1].body
    assert (
        JournalEntry.objects.about(sarah)
        .filter(action=Action.PERSONAL_DATA_READ, reason="Examen automatique des droits")
        .exists()
    )
    run(territory, agent)  # nothing new: no second message
    assert Notice.objects.filter(person=sarah).count() == 1


def test_screening_skips_persons_who_did_not_allow_it(sarah, caf, agent, territory):
    services.give_consent(sarah, organisations=[caf], purposes=[Purpose.COUNTER], channel=ConsentChannel.ONLINE)
    job = run(territory, agent)
    assert job.result["dossiers_examines"] == 0
    assert not RightsAssessment.objects.filter(person=sarah).exists()
    assert not mail.outbox
