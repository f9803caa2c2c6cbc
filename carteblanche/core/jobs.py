"""Long work as background jobs, with a progress bar.

A job kind is a subclass of ``JobTask`` registered as a Celery task::

    @app.task(base=JobTask, bind=True, name="territories.access_report")
    def access_report(self, job):
        ...
        job.set_progress(50, "Mardi")
        return {"...": ...}

``start_job(access_report, ...)`` creates the ``Job`` row and dispatches it once the surrounding
transaction commits: to the Celery broker when ``CELERY_BROKER_URL`` is set, otherwise in-process
(in a background thread of the web process, or inline where ``JOBS_IN_THREAD`` is false).

A job runs once, whatever happens to the workers:
- a worker **claims** the job in one conditional UPDATE (waiting, or running but silent past
  ``JOB_STALL_SECONDS``); a second delivery of the same job (Redis puts back the messages of a killed worker,
  the sweep below sends it again) finds it claimed and looks again later, or finds it finished and stops;
- while it runs, a thread of the worker writes a heartbeat every ``HEARTBEAT_SECONDS``: a job whose heartbeat
  stops (its worker was killed) is taken up again by the next worker, which resumes where the work was saved;
- when the broker cannot be reached, the job stays « en attente » and says so; ``resume_jobs()`` (Celery beat
  every minute, and each worker as it starts) sends again what was never sent and what a dead worker left.
"""

import datetime
import logging
import socket
import threading

from celery import Task
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .enums import JobStatus
from .models import Job

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15
WAITING_MESSAGE = (
    "La file des tâches est momentanément injoignable : la tâche partira dès son retour, "
    "sans que vous ayez à la relancer."
)
# A job sent to the broker but still not started after this long was lost by the broker (a Redis restarted
# without persistence): it is sent again. A duplicate delivery is harmless (see the claim).
REDISPATCH_AFTER = datetime.timedelta(hours=1)


def stall_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_STALL_SECONDS)


def claim(job_id, runner: str) -> tuple[str, Job | None]:
    """Take the job for this runner, atomically. ("claimed", job), ("finished", job), ("busy", job) when a live
    worker has it, ("missing", None)."""
    now = timezone.now()
    taken = (
        Job.objects.filter(pk=job_id)
        .filter(Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - stall_after()))
        .update(
            status=JobStatus.RUNNING,
            runner=runner[:120],
            heartbeat_at=now,
            started_at=Coalesce(F("started_at"), now),
            attempts=F("attempts") + 1,
            message="",
        )
    )
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return "missing", None
    if taken:
        return "claimed", job
    return ("finished" if job.is_finished else "busy"), job


class _Heartbeat(threading.Thread):
    """Writes the job's sign of life while the task computes (also between its progress reports)."""

    def __init__(self, job_id):
        super().__init__(daemon=True, name=f"heartbeat-{job_id}")
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
        except Exception as exc:  # noqa: BLE001 - a missed heartbeat only delays nothing; never kill the task
            logger.warning("job_heartbeat_failed job_id=%s error=%s", self.job_id, type(exc).__name__)
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()


class JobFailed(Exception):
    """A task raises this with a French message meant for the person who started the job."""


class JobTask(Task):
    """Celery task base: loads the Job, records start, progress, result or error. Idempotent."""

    abstract = True

    def __call__(self, job_id, *args, **kwargs):
        state, job = claim(job_id, f"{socket.gethostname()}:{self.name}")
        if state == "missing":
            logger.warning("job_missing job_id=%s", job_id)
            return None
        if state == "finished":  # delivered again after it finished (acks_late, the sweep): nothing to do
            logger.info("job_already_finished job_id=%s kind=%s", job.pk, job.kind)
            return str(job.pk)
        if state == "busy":  # a live worker has it: look again once it could have stalled
            logger.info("job_busy_elsewhere job_id=%s kind=%s runner=%s", job.pk, job.kind, job.runner)
            if settings.CELERY_BROKER_URL:
                self.apply_async(args=(str(job.pk),), countdown=settings.JOB_STALL_SECONDS)
            return str(job.pk)
        logger.info("job_started job_id=%s kind=%s attempt=%s", job.pk, job.kind, job.attempts)
        heartbeat = _Heartbeat(job.pk) if settings.CELERY_BROKER_URL else None
        if heartbeat:
            heartbeat.start()
        try:
            result = self.run(job, *args, **kwargs)
        except JobFailed as exc:
            job.mark_failed(str(exc))
            logger.info("job_failed job_id=%s kind=%s", job.pk, job.kind)
            return None
        except Exception as exc:
            job.mark_failed("La tâche a échoué de manière inattendue. L'équipe technique a été prévenue.")
            logger.exception("job_crashed job_id=%s kind=%s error=%s", job.pk, job.kind, type(exc).__name__)
            raise
        finally:
            if heartbeat:
                heartbeat.stop()
        job.mark_succeeded(result or {})
        logger.info("job_succeeded job_id=%s kind=%s", job.pk, job.kind)
        # Only the id: Celery logs what a task returns, and logs carry ids, never personal data.
        return str(job.pk)


def _run_in_thread(task, job_id):
    try:
        task.apply(args=(str(job_id),))
    finally:
        connection.close()


def dispatch(task, job_id) -> None:
    if settings.CELERY_BROKER_URL:
        try:
            task.apply_async(args=(str(job_id),), retry=False)
        except Exception as exc:  # the broker is down: the job waits, says so, and leaves with resume_jobs()
            logger.warning("job_dispatch_failed job_id=%s error=%s", job_id, type(exc).__name__)
            Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(message=WAITING_MESSAGE, dispatched_at=None)
        else:
            Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(dispatched_at=timezone.now(), message="")
    elif settings.JOBS_IN_THREAD:
        close_old_connections()
        threading.Thread(target=_run_in_thread, args=(task, job_id), daemon=True, name=f"job-{job_id}").start()
    else:
        task.apply(args=(str(job_id),))


def start_job(task, *, label: str, user=None, territory=None, params: dict | None = None) -> Job:
    job = Job.objects.create(
        kind=task.name,
        label=label,
        created_by=user if user is not None and user.is_authenticated else None,
        territory=territory,
        params=params or {},
    )
    transaction.on_commit(lambda: dispatch(task, job.pk))
    return job


def resume_jobs(*, now=None) -> int:
    """Send again the jobs the broker never received, lost, or whose worker died; the number sent."""
    from config.celery import app

    now = now or timezone.now()
    lost = Job.objects.filter(
        Q(status=JobStatus.PENDING, dispatched_at__isnull=True, created_at__lt=now - datetime.timedelta(seconds=5))
        | Q(status=JobStatus.PENDING, dispatched_at__lt=now - REDISPATCH_AFTER)
        | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - stall_after())
    )
    sent = 0
    for job in lost.only("pk", "kind", "status"):
        task = app.tasks.get(job.kind)
        if task is None:
            logger.warning("job_kind_unknown job_id=%s kind=%s", job.pk, job.kind)
            continue
        logger.info("job_resumed job_id=%s kind=%s was=%s", job.pk, job.kind, job.status)
        dispatch(task, job.pk)
        sent += 1
    return sent
