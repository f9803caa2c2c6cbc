import time

import pytest
from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.core.enums import JobStatus
from carteblanche.core.jobs import start_job
from carteblanche.core.models import Job
from carteblanche.territories.models import Territory
from carteblanche.territories.tasks import access_week
from tests.utils import CI


def test_in_process_job_runs_and_shows_its_result(client, django_capture_on_commit_callbacks):
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("territories:access_week", kwargs={"slug": "bassin-de-vie-de-cahors"}))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    assert [d["jour"] for d in job.result["jours"]] == [
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    ]
    sunday = job.result["jours"][6]
    assert sunday["sites_ouverts"] == 0 and sunday["population_20km"] == 50_849
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Terminée" in page and "Habitants à 20 km ou plus" in page
    assert "hx-trigger" not in page  # finished: the page stops polling


def test_progress_fragment_polls_while_running(client):
    job = Job.objects.create(
        kind="territories.access_week",
        label="Test",
        progress=40,
        status=JobStatus.RUNNING,
        territory=Territory.objects.get(slug="bassin-de-vie-de-cahors"),
    )
    client.force_login(User.objects.get(email="prefecture@demo.carteblanche.fr"))
    fragment = client.get(reverse("core:job_progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="40"' in fragment
    client.force_login(User.objects.get(email="agent.figeac@demo.carteblanche.fr"))
    assert client.get(reverse("core:job", kwargs={"pk": job.pk})).status_code == 404


def test_a_failing_job_says_so_in_french():
    from carteblanche.core.jobs import JobFailed, JobTask
    from config.celery import app

    @app.task(base=JobTask, bind=True, name="tests.failing")
    def failing(self, job):
        raise JobFailed("Le fichier est vide.")

    job = start_job(failing, label="Échec attendu")
    failing.apply(args=(str(job.pk),))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "Le fichier est vide."


def _redis_available(url):
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


@pytest.mark.celery_worker
def test_job_runs_through_a_real_redis_and_celery_worker(reload_demo, settings):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    broker = settings.TEST_CELERY_BROKER_URL
    if not _redis_available(broker):
        if CI:
            pytest.fail(f"Redis ne répond pas sur {broker} : obligatoire sous CI=true.")
        pytest.skip(f"REDIS ABSENT ({broker}) : test du worker Celery ignoré.")
    settings.CELERY_BROKER_URL = broker
    app.conf.broker_url = broker
    app.conf.task_always_eager = False
    territory = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        job = start_job(access_week, label="Via Celery", territory=territory)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.1)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.runner.endswith(":territories.access_week")
    assert job.result["population"] == 50_849


def test_an_unreachable_broker_leaves_the_job_waiting_and_saying_so_until_it_comes_back(
    settings, django_capture_on_commit_callbacks, clock
):
    import datetime

    from carteblanche.core import jobs

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    from config.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "broker_connection_retry", "broker_transport_options")}
    app.conf.update(
        broker_url=settings.CELERY_BROKER_URL,
        broker_connection_retry=False,
        broker_transport_options={"max_retries": 0},
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = start_job(access_week, label="Sans courtier", territory=Territory.objects.first())
    finally:
        app.conf.update(saved)
        app.close()  # drop the connection and producer pools bound to the unreachable broker
        app.amqp._producer_pool = None
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.dispatched_at is None
    assert "la tâche partira dès son retour" in job.message
    # The broker is back (here: jobs run in-process): the sweep sends what never left, once.
    settings.CELERY_BROKER_URL = None
    clock.shift(datetime.timedelta(minutes=1))
    assert jobs.resume_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1 and job.message != jobs.WAITING_MESSAGE
    assert jobs.resume_jobs() == 0


def test_a_job_delivered_twice_runs_once(clock):
    import datetime

    from carteblanche.core import jobs

    territory = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    job = Job.objects.create(kind=access_week.name, label="Deux fois", territory=territory)
    # Another worker has it and is alive: this delivery does not run it.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=jobs.timezone.now(), attempts=1)
    access_week.apply(args=(str(job.pk),))
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1
    # Its worker went silent: the next delivery takes it up; a delivery after that finds it finished.
    clock.shift(datetime.timedelta(seconds=jobs.settings.JOB_STALL_SECONDS + 1))
    assert job.__class__.objects.get(pk=job.pk).is_stalled
    access_week.apply(args=(str(job.pk),))
    access_week.apply(args=(str(job.pk),))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2


def test_a_job_is_seen_by_who_started_it_and_her_organisation_only():
    from carteblanche.accounts.models import Membership
    from tests.factories import MembershipFactory

    territory = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    starter = User.objects.get(email="agent.caf@demo.carteblanche.fr")
    caf = Membership.objects.get(user=starter, territory=territory).organisation
    colleague = MembershipFactory(territory=territory, role="agent", organisation=caf).user
    other = Membership.objects.filter(territory=territory, role="agent").exclude(organisation=caf).first().user
    juror = User.objects.get(email="jury@demo.carteblanche.fr")
    team = User.objects.get(email="equipe@demo.carteblanche.fr")
    started = Job.objects.create(kind="rights.screening", label="Examen", territory=territory, created_by=starter)
    platform = Job.objects.create(kind="territories.access_week", label="Semaine", territory=territory)

    def sees(user):
        return set(Job.objects.for_user(user).filter(pk__in=[started.pk, platform.pk]).values_list("label", flat=True))

    assert sees(starter) == {"Examen"}
    assert sees(colleague) == {"Examen"}
    assert sees(other) == set()
    assert sees(juror) == set()
    assert sees(team) == {"Semaine"}
