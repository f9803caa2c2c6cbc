from celery.signals import worker_ready
from django.utils import timezone

from config.celery import app


@app.task(name="core.apply_retention")
def apply_retention():
    """Every night (Celery beat ``retention-quotidienne``, or ``manage.py retention`` from cron)."""
    from . import retention

    return retention.apply_all(now=timezone.now())


@app.task(name="core.send_pending_messages")
def send_pending_messages():
    """Every minute (Celery beat ``messages-en-attente``): e-mails and SMS the provider refused or missed."""
    from . import messaging

    return messaging.send_pending()


@app.task(name="core.resume_jobs")
def resume_jobs():
    """Every minute (Celery beat ``reprise-des-taches``): jobs never sent, lost, or left by a dead worker."""
    from . import jobs

    return jobs.resume_jobs()


@worker_ready.connect
def _resume_on_start(**kwargs):
    """A worker that starts (again, after a crash) takes up at once what the dead one left."""
    from . import jobs

    jobs.resume_jobs()
