from config.celery import app


@app.task(name="bookings.send_reminders")
def send_booking_reminders():
    """Every ten minutes (Celery beat, or the send_booking_reminders command from cron)."""
    from . import services

    return services.send_reminders()
