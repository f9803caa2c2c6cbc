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
"""

import logging
import socket
import threading

from celery import Task
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from .enums import JobStatus
from .models import Job

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """A task raises this with a French message meant for the person who started the job."""


class JobTask(Task):
    """Celery task base: loads the Job, records start, progress, result or error. Idempotent."""

    abstract = True

    def __call__(self, job_id, *args, **kwargs):
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            logger.warning("job_missing job_id=%s", job_id)
            return None
        if job.status == JobStatus.SUCCEEDED:
            # Redelivered after success (acks_late): nothing to do again.
            return str(job.pk)
        job.mark_running(runner=f"{socket.gethostname()}:{self.name}")
        logger.info("job_started job_id=%s kind=%s", job.pk, job.kind)
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
            task.apply_async(args=(str(job_id),))
        except Exception as exc:  # the broker is down or refuses: say so rather than wait forever
            logger.exception("job_dispatch_failed job_id=%s error=%s", job_id, type(exc).__name__)
            Job.objects.get(pk=job_id).mark_failed(
                "La tâche n'a pas pu être confiée aux workers (file d'attente injoignable). Réessayez plus tard."
            )
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
