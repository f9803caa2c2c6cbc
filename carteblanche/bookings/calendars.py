"""Appointments as RFC 5545 calendars: the person's one event (from her link), with its place and its link."""

from django.conf import settings


def appointment_ics(appointment) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Carte blanche//Rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"rdv-{appointment.pk}@carteblanche")
    event.add("dtstamp", appointment.created_at)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", appointment.motif.name)
    event.add("location", appointment.place_label)
    description = appointment.motif.description or ""
    if appointment.motif.no_health_data:
        description += "\\nLe motif médical ne vous est jamais demandé."
    event.add("description", description.strip())
    if appointment.status in ("annule", "excuse"):
        event.add("status", "CANCELLED")
    event.add("url", settings.PLATFORM_URL)
    calendar.add_component(event)
    return calendar.to_ical()
