"""Retention: each rule erases what has outlived its purpose, keeps the rest, and says so to the people."""

import datetime

from django.urls import reverse
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import retention
from carteblanche.exploration.demo import SLUG
from carteblanche.operations.models import Operation

DAY = datetime.timedelta(days=1)


def _report(**extra):
    from carteblanche.exploration.services import report_submit

    irritant = report_submit(
        operation=Operation.objects.get(slug=SLUG),
        what_happened="Le guichet de la CAF est fermé le jeudi après-midi.",
        contact={"consent_recontact": True, "first_name": "Lucie", "email": "lucie@exemple.fr"},
        client_hash="a" * 64,
        session_hash="b" * 64,
        **extra,
    )
    return irritant.evidence.get().report


def test_a_residents_contact_is_erased_a_year_after_her_report_and_fingerprints_after_a_month():
    from carteblanche.exploration.models import ResidentContact, ResidentReport

    report = _report()
    now = timezone.now()
    retention.apply_all(now=now + 29 * DAY)
    report.refresh_from_db()
    assert report.client_hash and ResidentContact.objects.filter(report=report).exists()
    retention.apply_all(now=now + 31 * DAY)
    report.refresh_from_db()
    assert report.client_hash == "" and report.session_hash == ""
    assert ResidentContact.objects.filter(report=report).exists()  # still within the year
    retention.apply_all(now=now + 366 * DAY)
    assert not ResidentContact.objects.filter(report=report).exists()
    assert ResidentReport.objects.filter(pk=report.pk).exists()  # the report itself stays, without her details


def test_workshop_participants_keep_their_first_name_but_lose_their_contacts_a_year_after():
    from carteblanche.codesign.models import Participant, Workshop

    workshop = Workshop.objects.filter(operation__slug=SLUG).order_by("date").first()
    old = Participant.objects.create(
        workshop=workshop, kind="usager", first_name="Aline", email="aline@exemple.fr", consent_recontact=True
    )
    done = retention.apply_all(now=timezone.make_aware(datetime.datetime.combine(workshop.date, datetime.time(12))))
    old.refresh_from_db()
    assert old.email == "aline@exemple.fr" and done["codesign.participants"] == 0
    later = timezone.make_aware(datetime.datetime.combine(workshop.date + 366 * DAY, datetime.time(12)))
    retention.apply_all(now=later)
    old.refresh_from_db()
    assert (old.first_name, old.email, old.phone, old.consent_recontact) == ("Aline", "", "", False)


def test_only_the_latest_rights_assessment_of_a_person_outlives_six_months(clock):
    from carteblanche.rights.models import Person, RightsAssessment

    person = Person.objects.filter(territory__slug="bassin-de-vie-de-cahors").order_by("pk").first()
    RightsAssessment.objects.filter(person=person).delete()
    made = []
    for _ in range(3):
        made.append(
            RightsAssessment.objects.create(
                person=person,
                month=timezone.localdate(),
                trigger="agent",
                results=[],
                categories=[],
                rules_version="176.1.8",
            )  # fmt: skip
        )
        clock.shift(10 * DAY)
    retention.apply_all(now=timezone.now() + 100 * DAY)
    assert RightsAssessment.objects.filter(person=person).count() == 3
    retention.apply_all(now=timezone.now() + 200 * DAY)
    assert list(RightsAssessment.objects.filter(person=person)) == [made[-1]]


def test_ride_addresses_are_reduced_to_the_kilometre_thirteen_months_after_the_ride():
    from carteblanche.mobility.models import RideRequest
    from carteblanche.mobility.retention import ERASED

    ride = RideRequest.objects.filter(territory__slug="bassin-de-vie-de-cahors").order_by("appointment_at").first()
    ride.notes = "Sonner deux fois, 3 rue des Tilleuls"
    ride.origin_latitude = 44.447312
    ride.save()
    retention.apply_all(now=ride.appointment_at + 390 * DAY)
    ride.refresh_from_db()
    assert ride.notes
    retention.apply_all(now=ride.appointment_at + 396 * DAY)
    ride.refresh_from_db()
    assert (ride.origin, ride.destination, ride.notes) == (ERASED, ERASED, "")
    assert ride.origin_latitude == 44.45 and ride.appointment_at  # the year's figures still count it


def test_the_nightly_run_is_journaled_idempotent_and_a_dry_run_erases_nothing(capsys):
    from django.core.management import call_command

    from carteblanche.exploration.models import ResidentContact

    report = _report()
    far = timezone.now() + 400 * DAY
    counted = retention.apply_all(now=far, dry_run=True)
    assert counted["exploration.coordonnees"] >= 1 and ResidentContact.objects.filter(report=report).exists()
    done = retention.apply_all(now=far)
    assert done["exploration.coordonnees"] == counted["exploration.coordonnees"]
    entry = JournalEntry.objects.filter(action=Action.RETENTION_APPLIED).latest("pk")
    assert entry.details["exploration.coordonnees"] == done["exploration.coordonnees"]
    assert "lucie" not in str(entry.details).lower()
    assert retention.apply_all(now=far)["exploration.coordonnees"] == 0
    call_command("retention", "--dry-run")
    assert "Durées" not in capsys.readouterr().err


def test_the_rules_are_shown_on_the_personal_data_page_and_run_every_night(client, settings):
    page = client.get(reverse("core:personal_data")).content.decode()
    for rule in retention.rules():
        assert rule.kept.split(",")[0].replace("'", "&#x27;") in page
    assert settings.CELERY_BEAT_SCHEDULE["retention-quotidienne"]["task"] == "core.apply_retention"
    assert {r.key for r in retention.rules()} >= {
        "exploration.coordonnees",
        "exploration.empreintes",
        "codesign.participants",
        "rights.examens",
        "mobility.trajets",
    }
