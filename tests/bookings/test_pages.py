"""The pages: a resident books the booth without an account and manages it from her link; no health data is ever
asked; an agent books coaching at the counter, sees it in her day (journaled) and marks it seen."""

import datetime
import html
import re

from django.urls import reverse

from carteblanche.audit.models import JournalEntry
from carteblanche.bookings import slots
from carteblanche.bookings.enums import BookedVia, Status
from carteblanche.bookings.models import Appointment, Motif
from carteblanche.core.models import OutgoingMessage
from tests.demo import demo_territory, demo_user


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def booth():
    return Motif.objects.get(territory=demo_territory(), no_health_data=True)


def test_a_resident_books_the_booth_then_cancels_from_her_link(client):
    motif = booth()
    territory = demo_territory()
    listing = client.get(reverse("bookings:public_motifs", args=[territory.slug]))
    assert "Téléconsultation médicale en cabine" in text(listing)
    page = client.get(reverse("bookings:public_slots", args=[territory.slug, motif.pk]))
    assert "Aucune donnée de santé" in text(page)
    key = re.search(rf"/motifs/{motif.pk}/([0-9T]+-\d+-\d+)/", page.content.decode()).group(1)
    url = reverse("bookings:public_book", args=[territory.slug, motif.pk, key])
    form = client.get(url)
    assert "motif médical ne vous est jamais demandé" in text(form)
    assert "raison" not in text(form).lower() or "motif de la consultation" not in text(form).lower()
    # Health words are refused in the needs, field by field, in French.
    refused = client.post(
        url,
        {
            "first_name": "Sarah",
            "last_name": "Bérangère-Test",
            "phone": "06 12 34 56 78",
            "accessibility": "diabète, insuline",
        },
    )
    assert refused.status_code == 200 and "santé" in text(refused)
    assert not Appointment.objects.filter(last_name="Bérangère-Test", motif=motif).exists()
    # No way to be told: refused too.
    nowhere = client.post(url, {"first_name": "Sarah", "last_name": "Bérangère-Test", "phone": "05 65 00 00 00"})
    assert "téléphone portable (06 ou 07) ou une adresse e-mail" in text(nowhere)
    booked = client.post(
        url, {"first_name": "Sarah", "last_name": "Bérangère-Test", "phone": "06 12 34 56 78", "equipment_help": "on"}
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get(last_name="Bérangère-Test", motif=motif)
    assert appointment.equipment_help and appointment.booked_via == BookedVia.ONLINE
    sms = OutgoingMessage.objects.get(key=f"rdv-confirmation:{appointment.pk}:sms")
    assert sms.channel == "sms"
    manage = client.get(booked["Location"])
    assert "Confirmé" in text(manage) and "Bérangère-Test" not in text(manage)  # no name on a page a link opens
    ics = client.get(booked["Location"] + "rendez-vous.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"Catus" in ics.content
    cancelled = client.post(booked["Location"] + "annuler/", follow=True)
    assert "Votre rendez-vous est annulé" in text(cancelled)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED and not appointment.holds.exists()


def test_an_agent_books_coaching_at_the_counter_and_marks_it_seen(client, clock):
    agent = demo_user("agent.franceservices")
    client.force_login(agent)
    territory = demo_territory()
    coaching = Motif.objects.get(territory=territory, sessions__gt=1)
    page = client.get(reverse("bookings:counter_slots", args=[territory.slug, coaching.pk]))
    assert page.status_code == 200
    key = re.search(rf"/guichet/{coaching.pk}/([0-9T]+-\d+-\d+)/", page.content.decode()).group(1)
    url = reverse("bookings:counter_book", args=[territory.slug, coaching.pk, key])
    done = client.post(
        url, {"first_name": "Sarah", "last_name": "Coachée-Test", "phone": "05 65 12 34 56", "via": "guichet"}
    )
    assert done.status_code == 302
    series = list(Appointment.objects.filter(last_name="Coachée-Test").order_by("starts_at"))
    assert len(series) == coaching.sessions and series[0].booked_by == agent
    first = series[0]
    day = reverse("bookings:day", args=[territory.slug]) + f"?jour={slots.timezone.localtime(first.starts_at).date()}"
    listed = client.get(day)
    assert "Sarah Coachée-Test" in text(listed)
    assert JournalEntry.objects.filter(target_id=str(first.pk), reason="Liste des rendez-vous du jour").exists()
    clock.move_to(first.starts_at + datetime.timedelta(minutes=5))
    client.force_login(agent)
    marked = client.post(
        reverse("bookings:appointment_mark", args=[territory.slug, first.pk]), {"status": "honore", "retour": day}
    )
    assert marked.status_code == 302 and marked["Location"] == day
    first.refresh_from_db()
    assert first.status == Status.SEEN


def test_an_appointment_of_another_organisation_is_not_shown(client):
    caf = Appointment.objects.filter(territory=demo_territory(), motif__organisation__name="CAF du Lot").first()
    client.force_login(demo_user("agent.franceservices"))
    assert client.get(reverse("bookings:appointment", args=[demo_territory().slug, caf.pk])).status_code == 404
