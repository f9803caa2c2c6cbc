from config.celery import app


@app.task(name="bookings.send_reminders")
def send_booking_reminders():
    """Every ten minutes (Celery beat, or the send_booking_reminders command from cron)."""
    from . import services

    return services.send_reminders()


@app.task(name="bookings.deliver_webhooks")
def deliver_webhooks():
    """Every minute (Celery beat, or the send_webhooks command from cron): the deliveries due again."""
    from . import webhooks

    return webhooks.deliver_due()
