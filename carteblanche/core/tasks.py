from django.utils import timezone

from config.celery import app


@app.task(name="core.apply_retention")
def apply_retention():
    """Every night (Celery beat ``retention-quotidienne``, or ``manage.py retention`` from cron)."""
    from . import retention

    return retention.apply_all(now=timezone.now())
