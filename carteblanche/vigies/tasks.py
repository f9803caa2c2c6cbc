from config.celery import app


@app.task(name="vigies.escalate_overdue")
def escalate_overdue():
    """Every quarter of an hour (Celery beat, or the vigies_escalate command from cron): the signals nobody took in
    charge past their urgency's delay, told to their network's lead, once each."""
    from django.utils import timezone

    from . import services

    return services.escalate_overdue(now=timezone.now())
