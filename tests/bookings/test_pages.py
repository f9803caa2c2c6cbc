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


def test_an_agent_subscribes_to_the_booths_agenda_without_names_then_stops_it(client):
    agent = demo_user("agent.franceservices")
    client.force_login(agent)
    territory = demo_territory()
    motif = booth()
    calendar = motif.schedules.first().calendar
    day = reverse("bookings:day", args=[territory.slug]) + f"?agenda={calendar}"
    assert "Voir cet agenda dans votre application de calendrier" in text(client.get(day))
    created = client.post(
        reverse("bookings:feed_manage", args=[territory.slug]), {"agenda": calendar, "action": "creer"}, follow=True
    )
    url = re.search(r"(http://\S+/agenda\.ics)", text(created)).group(1)
    assert url not in text(client.get(day))  # shown once
    feed = client.get(url.split("8000", 1)[1])
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    booked = Appointment.objects.filter(motif=motif, resource__isnull=False).exclude(phone="").first()
    assert "BEGIN:VEVENT" in body and motif.name[:20] in body.replace("\r\n ", "")
    assert booked.last_name not in body and booked.phone not in body  # no one is named
    # Another agent's agenda cannot be subscribed from this account.
    other = f"agent:{demo_user('agent.caf').pk}"
    refused = client.post(reverse("bookings:feed_manage", args=[territory.slug]), {"agenda": other})
    assert refused.status_code == 403
    client.post(reverse("bookings:feed_manage", args=[territory.slug]), {"agenda": calendar, "action": "revoquer"})
    assert client.get(url.split("8000", 1)[1]).status_code == 404


def test_a_ride_asked_with_a_booking_is_booked_by_the_desk_from_the_appointment(client):
    from carteblanche.mobility.models import Passenger

    territory = demo_territory()
    motif = Motif.objects.get(territory=territory, name__startswith="Aide à une démarche CAF")
    slot = slots.first_free(motif, now=slots.timezone.now())
    from carteblanche.bookings import services

    appointment = services.appointment_book(
        motif=motif,
        start=slot.starts_at,
        site_id=slot.site_id,
        who={"first_name": "Odette", "last_name": "Sans-Voiture", "phone": "06 11 22 33 44", "ride_wanted": True},
        via=BookedVia.ONLINE,
    )
    client.force_login(demo_user("equipe"))
    desk = client.get(reverse("mobility:rides", args=[territory.slug]))
    assert "Odette Sans-Voiture" in text(desk) and f"?rdv={appointment.pk}" in text(desk)
    form = client.get(reverse("mobility:ride_add", args=[territory.slug]) + f"?rdv={appointment.pk}")
    local = slots.timezone.localtime(appointment.starts_at)
    assert f'value="{local:%Y-%m-%d}"' in form.content.decode() and f'value="{local:%H:%M}"' in form.content.decode()
    passenger = Passenger.objects.filter(territory=territory).first()
    posted = client.post(
        reverse("mobility:ride_add", args=[territory.slug]) + f"?rdv={appointment.pk}",
        {
            "passenger": passenger.pk,
            "from_home": "on",
            "destination_site": appointment.site_id,
            "purpose": "demarche",
            "date": f"{local:%Y-%m-%d}",
            "time": f"{local:%H:%M}",
            "margin_minutes": "20",
            "return_kind": "attente",
            "duration_minutes": str(motif.duration_minutes),
            "channel": "telephone",
        },
    )
    assert posted.status_code == 302, text(posted)[:3000]
    appointment.refresh_from_db()
    assert appointment.ride is not None and appointment.ride.destination_latitude == appointment.site.latitude
    assert "Odette Sans-Voiture" not in text(client.get(reverse("mobility:rides", args=[territory.slug])))


def test_figures_per_motif_and_site_and_the_booths_use_by_half_day_with_their_csv(client):
    territory = demo_territory()
    client.force_login(demo_user("equipe"))
    url = reverse("bookings:figures", args=[territory.slug])
    page = text(client.get(url))
    assert "Téléconsultation médicale en cabine" in page and "Taux de « lapins »" in page
    assert "Cabine de téléconsultation de Catus : utilisation par demi-journée" in page
    assert "Mardi matin" in page or "Mardi après-midi" in page
    export = client.get(url + "?format=csv")
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode().splitlines()
    header = lines[0].split(";")
    assert header[:5] == ["période", "organisation", "motif", "lieu", "rendez-vous pris"]
    booth_line = next(line.split(";") for line in lines if ";Téléconsultation médicale en cabine;" in line)
    motif = booth()
    today = slots.timezone.localdate()
    start = datetime.datetime.combine(today - datetime.timedelta(days=91), datetime.time(0), tzinfo=slots.PARIS)
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(0), tzinfo=slots.PARIS)
    in_period = Appointment.objects.filter(motif=motif, starts_at__gte=start, starts_at__lt=end)
    seen, missed = in_period.filter(status=Status.SEEN).count(), in_period.filter(status=Status.NO_SHOW).count()
    assert int(booth_line[4]) == in_period.count() and int(booth_line[5]) == seen and int(booth_line[6]) == missed
    assert float(booth_line[9]) == round(missed / (seen + missed), 4)
    # An agent sees her organisations' motifs only.
    client.force_login(demo_user("agent.caf"))
    caf = text(client.get(url))
    assert "Aide à une démarche CAF" in caf and "Téléconsultation médicale en cabine" not in caf
