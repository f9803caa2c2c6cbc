"""Appointments as RFC 5545 calendars: the person's one event (from her link), and the subscription feed of an
agent's or a resource's agenda (its token from ``core.links``). A feed names no one: its events say the motif, the
place and the appointment's page on the platform, where the agent reads who comes (journaled)."""

from django.conf import settings
from django.urls import reverse

from .enums import Status


def _calendar(name: str = ""):
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Carte blanche//Rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Paris")
    return calendar


def _event(appointment, *, summary: str, description: str, url: str):
    from icalendar import Event

    event = Event()
    event.add("uid", f"rdv-{appointment.pk}@carteblanche")
    event.add("dtstamp", appointment.status_changed_at or appointment.created_at)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    event.add("location", appointment.place_label)
    event.add("description", description.strip())
    if appointment.status in (Status.CANCELLED, Status.EXCUSED):
        event.add("status", "CANCELLED")
    event.add("url", url)
    return event


def appointment_ics(appointment) -> bytes:
    calendar = _calendar()
    description = appointment.motif.description or ""
    if appointment.motif.no_health_data:
        description += "\nLe motif médical ne vous est jamais demandé."
    calendar.add_component(
        _event(appointment, summary=appointment.motif.name, description=description, url=settings.PLATFORM_URL)
    )
    return calendar.to_ical()


def feed_ics(name: str, appointments) -> bytes:
    """An agenda's subscription: one event per appointment, without the person's name."""
    calendar = _calendar(name)
    base = settings.PLATFORM_URL.rstrip("/")
    for appointment in appointments:
        url = base + reverse("bookings:appointment", args=[appointment.territory.slug, appointment.pk])
        session = f" (séance {appointment.series_index})" if appointment.series else ""
        description = f"{appointment.get_status_display()}. Qui vient, ses besoins : {url}"
        calendar.add_component(
            _event(appointment, summary=f"{appointment.motif.name}{session}", description=description, url=url)
        )
    return calendar.to_ical()
