from config.celery import app


@app.task(name="childcare.send_availability_reminders")
def send_availability_reminders():
    """Every morning (Celery beat, or the childcare_reminders command from cron): the availability reminders due."""
    from django.utils import timezone

    from . import availability

    return availability.reminders_send(today=timezone.localdate())
