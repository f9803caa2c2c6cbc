"""Faults provoked for real: a Celery worker killed (SIGKILL) in the middle of its job, the broker unreachable.

Each job kind is run by a real worker process on the real Redis broker and the test database; the worker is
killed while it computes; a second worker, started after the first one's heartbeat has gone silent, takes the
job up. The job must finish once: one plan, one analysis, one assessment per file, one notice per person.
"""

import datetime
import html
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from carteblanche.core.enums import JobStatus
from carteblanche.core.jobs import start_job
from carteblanche.core.models import Job
from tests.utils import CI

ROOT = Path(__file__).resolve().parents[2]
STALL_SECONDS = 3


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{db['USER']}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """Real Celery workers, each in its own process group (killed whole), on the tests' day."""

    def __init__(self, tmp_path, extra_env):
        from config.celery import app

        self.tmp_path = tmp_path
        self.frozen_at = timezone.now()
        self.started = time.monotonic()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test_worker",
            "DATABASE_URL": _database_url(),
            "TEST_CELERY_BROKER_URL": django_settings.TEST_CELERY_BROKER_URL,
            "JOB_STALL_SECONDS": str(STALL_SECONDS),
            "TEST_CELERY_QUEUE": app.conf.task_default_queue,
            **extra_env,
        }
        self.processes = []

    def start(self):
        # The worker's clock starts where the tests' frozen clock would be had it run since the test began.
        at = self.frozen_at + datetime.timedelta(seconds=time.monotonic() - self.started)
        with open(self.tmp_path / f"worker-{len(self.processes) + 1}.log", "w") as log:
            process = self._popen(at, log)
        self.processes.append(process)
        return process

    def _popen(self, at, log):
        return subprocess.Popen(  # noqa: S603 - our own module
            [
                sys.executable,
                "-m",
                "tests.celery_worker",
                at.isoformat(),
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=panne{len(self.processes) + 1}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(p.read_text()[-3000:] for p in sorted(self.tmp_path.glob("worker-*.log")))

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def broker(settings):
    import redis

    from config.celery import app

    url = settings.TEST_CELERY_BROKER_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if CI:
            pytest.fail(f"Redis ne répond pas sur {url} : obligatoire sous CI=true.")
        pytest.skip(f"REDIS ABSENT ({url}) : tests de pannes du worker ignorés.")
    saved = app.conf.broker_url, app.conf.task_default_queue
    settings.CELERY_BROKER_URL = url
    # A queue of its own: the tests of other xdist workers share the broker, and a worker that took another
    # test's job would find no such job in its database and drop it.
    app.conf.broker_url, app.conf.task_default_queue = url, f"pannes-{uuid.uuid4().hex[:12]}"
    yield url
    app.conf.broker_url, app.conf.task_default_queue = saved
    app.close()
    app.amqp._producer_pool = None


def _wait(job, until, *, seconds=90, workers=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if until(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"délai dépassé : {job.status} {job.progress} % {job.message}\n{workers.logs()}")


def _kill_midway_and_resume(tmp_path, job_factory, midway, *, env=None):
    """Start a worker, start the job, kill the worker when ``midway(job)``, wait for the heartbeat to go stale,
    start another worker: the job must finish, in two attempts."""
    workers = Workers(tmp_path, env or {})
    try:
        first = workers.start()
        job = job_factory()
        _wait(job, lambda j: j.status == JobStatus.RUNNING and midway(j), workers=workers)
        workers.kill(first)
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING, "le worker a fini avant d'être tué : la panne n'a rien testé"
        time.sleep(STALL_SECONDS + 1)
        workers.start()
        _wait(job, lambda j: j.is_finished, workers=workers)
    finally:
        workers.stop_all()
    assert job.status == JobStatus.SUCCEEDED, (job.error, workers.logs())
    assert job.attempts == 2 and job.runner.startswith(os.uname().nodename), job.runner
    assert "job_resumed" in workers.logs() or "job_started" in workers.logs()
    return job


@pytest.mark.celery_worker
@pytest.mark.worker_kill
def test_a_tour_plan_whose_worker_is_killed_is_taken_up_and_saved_once(reload_demo, broker, tmp_path):
    from carteblanche.mobility import services
    from carteblanche.mobility.models import TourPlan
    from carteblanche.mobility.tasks import plan_tours
    from carteblanche.territories.models import Territory

    territory = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    config = services.settings_for(territory)
    config.solve_seconds = 4
    config.save()
    plans_before = TourPlan.objects.count()
    start = services.next_monday()

    def job():
        return start_job(
            plan_tours, label="Tournées (panne)", territory=territory, params={"period_start": start.isoformat()}
        )

    job = _kill_midway_and_resume(tmp_path, job, lambda j: j.progress >= 10)
    assert TourPlan.objects.count() == plans_before + 1
    assert TourPlan.objects.filter(job=job).count() == 1
    assert job.result["plan"] == TourPlan.objects.get(job=job).pk


@pytest.mark.celery_worker
@pytest.mark.worker_kill
def test_a_screening_whose_worker_is_killed_examines_each_file_once_and_tells_each_person_once(
    reload_demo, broker, tmp_path
):
    from carteblanche.accounts.models import User
    from carteblanche.rights.models import Person, RightsAssessment
    from carteblanche.rights.tasks import screen_territory
    from carteblanche.territories.models import Territory

    territory = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    agent = User.objects.get(email="agent.caf@demo.carteblanche.fr")
    persons = Person.objects.filter(territory=territory).count()
    assert persons >= 6

    def job():
        return start_job(screen_territory, label="Examen (panne)", user=agent, territory=territory)

    def some_saved(j):
        return RightsAssessment.objects.filter(job=j).exists()

    # Two files a round: killed once some files are saved, not all.
    job = _kill_midway_and_resume(tmp_path, job, some_saved, env={"RIGHTS_SCREENING_BATCH": "2"})
    per_person = list(
        RightsAssessment.objects.filter(job=job).values_list("person_id", flat=True).order_by("person_id")
    )
    assert len(per_person) == len(set(per_person)) == job.result["dossiers_examines"] > 0
    # E-mails leave from the workers' processes: they are counted in the journal of notices, one per person.
    from carteblanche.rights.models import Notice

    notices = list(Notice.objects.filter(assessment__job=job).values_list("person_id", flat=True))
    assert len(notices) == len(set(notices)) == job.result["personnes_informees"]
    assert not mail.outbox  # nothing was sent from this process


@pytest.mark.celery_worker
@pytest.mark.worker_kill
def test_a_theme_analysis_whose_worker_is_killed_is_taken_up_and_recorded_once(reload_demo, broker, tmp_path):
    from carteblanche.exploration.models import Theme, ThemeAnalysis
    from carteblanche.exploration.tasks import theme_analysis
    from carteblanche.operations.models import Operation

    operation = Operation.objects.get(slug="carte-blanche-cahors-2018")

    def job():
        return start_job(
            theme_analysis, label="Thèmes (panne)", territory=operation.territory, params={"operation": operation.pk}
        )

    job = _kill_midway_and_resume(tmp_path, job, lambda j: j.progress >= 2)
    assert ThemeAnalysis.objects.filter(job=job).count() == 1
    assert job.result["themes"] == Theme.objects.filter(operation=operation).count() > 0


def test_with_redis_down_pages_and_logins_work_and_a_job_says_it_waits(
    client, settings, demo_password, django_capture_on_commit_callbacks
):
    """Redis holds the throttles' counts, the public pages' cache and the jobs' queue: all three are gone."""
    from config.celery import app

    nowhere = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": nowhere}}
    settings.CELERY_BROKER_URL = nowhere
    saved = {k: app.conf[k] for k in ("broker_url", "broker_connection_retry", "broker_transport_options")}
    app.conf.update(broker_url=nowhere, broker_connection_retry=False, broker_transport_options={"max_retries": 0})
    try:
        for url in ("/", "/bus/bassin-de-vie-de-cahors/passages/", "/public/operations/carte-blanche-cahors-2018/"):
            assert client.get(url).status_code == 200, url
        login = "/connexion/"
        wrong = client.post(login, {"username": "equipe@demo.carteblanche.fr", "password": "pas le bon"})
        assert wrong.status_code == 200 and "incorrect" in wrong.content.decode()
        right = client.post(login, {"username": "equipe@demo.carteblanche.fr", "password": demo_password})
        assert right.status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post("/territoires/bassin-de-vie-de-cahors/accessibilite-semaine/")
        started = client.get(started["Location"])
    finally:
        app.conf.update(saved)
        app.close()
        app.amqp._producer_pool = None
    page = started.content.decode()
    assert started.status_code == 200 and "En attente" in page
    assert "La file des tâches est momentanément injoignable : la tâche partira dès son retour" in html.unescape(page)
    job = Job.objects.get(label__startswith="Accessibilité de la semaine")
    assert job.status == JobStatus.PENDING and job.dispatched_at is None


@pytest.mark.celery_worker
@pytest.mark.worker_kill
def test_an_import_whose_worker_is_killed_halfway_stores_nothing_then_is_imported_once(reload_demo, broker, tmp_path):
    from carteblanche.accounts.models import User
    from carteblanche.exploration.models import Irritant, PendingImport
    from carteblanche.exploration.tasks import import_irritants
    from carteblanche.operations.models import Operation

    operation = Operation.objects.get(slug="carte-blanche-cahors-2018")
    team = User.objects.get(email="equipe@demo.carteblanche.fr")
    places = ["Cahors", "Lalbenque", "Catus", "Luzech", "Castelnau-Montratier", "Puy-l'Évêque"]
    needs = ["la mairie", "la CAF", "France Travail", "le médecin", "la pharmacie", "le bus", "la crèche"]
    rows = [
        f"panne-{n},Q{170 + n % 7},Depuis {places[n % 6]} il faut {n % 50 + 5} minutes pour rejoindre "
        f"{needs[n % 7]} et le service ferme à {n % 9 + 12} h (témoignage {n})"
        for n in range(6000)
    ]
    raw = ("id,question_id,text\n" + "\n".join(rows) + "\n").encode()
    pending = PendingImport.objects.create(
        operation=operation, file_name="grand-debat.csv", source_label="Grand Débat", content=raw, created_by=team
    )
    seen = {}

    def job():
        return start_job(import_irritants, label="Import (panne)", user=team, params={"pending": pending.pk})

    def halfway(j):
        # The import writes in one transaction (its progress too): killed half a second into it (6,000 rows take
        # 3 to 7 s), with rows read or written but not committed, so none is visible.
        seen.setdefault("running_since", time.monotonic())
        seen["during"] = Irritant.objects.filter(external_id__startswith="panne-").count()
        return time.monotonic() - seen["running_since"] > 0.5

    job = _kill_midway_and_resume(tmp_path, job, halfway)
    assert seen["during"] == 0
    ids = list(Irritant.objects.filter(external_id__startswith="panne-").values_list("external_id", flat=True))
    assert len(ids) == len(set(ids)) == 6000 == job.result["crees"]
    assert not PendingImport.objects.filter(pk=pending.pk).exists()


def test_a_request_whose_database_restarts_midway_fails_cleanly_and_the_next_one_works(
    reload_demo, client, monkeypatch
):
    """The database server goes away in the middle of a resident's report (here: PostgreSQL ends the request's
    connection, as a restart does): a French 503 that says nothing was saved, nothing half-written, and the
    same report sent again a moment later is saved once."""
    if connection.vendor != "postgresql":
        pytest.skip("Un redémarrage de serveur n'existe que pour PostgreSQL (CI joue ce test sur PostgreSQL).")
    import psycopg

    from carteblanche.exploration import views
    from carteblanche.exploration.models import Irritant
    from carteblanche.operations.models import Operation

    operation = Operation.objects.get(slug="carte-blanche-cahors-2018")
    Operation.objects.filter(pk=operation.pk).update(public_form_open=True)
    url = f"/participer/{operation.slug}/"
    text = "Le bus du mardi ne passe plus à Lalbenque depuis la rentrée, je ne peux plus aller à la CAF."
    real = views.services.report_submit
    settings_dict = connection.settings_dict

    def submit_then_restart(**kwargs):
        irritant = real(**kwargs)  # written, not committed
        pid = connection.connection.info.backend_pid
        with psycopg.connect(
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"],
            password=settings_dict["PASSWORD"],
            dbname=settings_dict["NAME"],
            autocommit=True,
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return irritant

    assert client.get(url).status_code == 200
    monkeypatch.setattr(views.services, "report_submit", submit_then_restart)
    failed = client.post(url, {"what_happened": text})
    page = html.unescape(failed.content.decode())
    assert failed.status_code == 503 and failed["Retry-After"] == "30"
    assert "Service momentanément indisponible" in page and "Rien n'a été enregistré" in page
    assert not Irritant.objects.filter(description__contains="ne passe plus à Lalbenque").exists()
    monkeypatch.setattr(views.services, "report_submit", real)
    again = client.post(url, {"what_happened": text})
    assert again.status_code == 302
    assert Irritant.objects.filter(description__contains="ne passe plus à Lalbenque").count() == 1
