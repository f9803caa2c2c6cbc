"""The settings pages of the bookings: an agent of the France services (Grand Cahors) sets up a motif and her
opening hours, and residents then find its slots; an overlapping schedule, 9 h 03 or an end before the start are
refused in French and nothing is written; another organisation's agent is refused (403), another territory's does
not even see it (404); a schedule is ended, never deleted, and not while appointments are booked after its end."""

import datetime
import html
import re

from django.urls import reverse
from django.utils import timezone

from carteblanche.bookings import slots
from carteblanche.bookings.enums import Audience, Place, Recurrence, Status
from carteblanche.bookings.models import Appointment, Motif, Resource, Schedule
from carteblanche.territories.models import Organisation, ServiceSite
from tests.demo import demo_territory, demo_user

GRAND_CAHORS = "Grand Cahors (communauté d'agglomération)"


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def url(name, *args):
    return reverse(f"bookings:{name}", args=[demo_territory().slug, *args])


def catus():
    return ServiceSite.objects.get(external_id="fs-582")


def next_weekday(weekday: int) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def motif_data(**changes):
    return {
        "name": "Aide au dossier retraite",
        "description": "Apportez vos relevés de carrière.",
        "duration_minutes": 30,
        "buffer_minutes": 5,
        "place": Place.SITE,
        "audience": Audience.RESIDENTS,
        "min_notice_hours": 2,
        "max_notice_days": 28,
        "capacity": 1,
        "sessions": 1,
        "session_interval_days": 7,
        "structure": "",
        "is_active": "on",
        **changes,
    }


def schedule_data(motifs, **changes):
    return {
        "agent": demo_user("agent.franceservices").pk,
        "resource": "",
        "motifs": [m.pk for m in motifs],
        "site": catus().pk,
        "weekday": 4,
        "start": "09:00",
        "end": "12:00",
        "recurrence": Recurrence.WEEKLY,
        "first_date": timezone.localdate().isoformat(),
        "last_date": "",
        **changes,
    }


def test_an_agent_sets_up_a_motif_and_her_hours_and_residents_find_the_slots(client):
    agent = demo_user("agent.franceservices")
    client.force_login(agent)
    counter = client.get(url("counter"))
    assert url("setup") in counter.content.decode()
    created = client.post(url("setup_motif_add"), motif_data())
    assert created.status_code == 302
    motif = Motif.objects.get(name="Aide au dossier retraite")
    assert motif.organisation.name == GRAND_CAHORS and motif.territory == demo_territory()
    assert motif.duration_minutes == 30 and motif.buffer_minutes == 5 and motif.is_active
    # No schedule yet: no slot.
    assert not re.search(rf"/motifs/{motif.pk}/[0-9T]+-", client.get(url("public_slots", motif.pk)).content.decode())

    added = client.post(url("setup_schedule_add"), schedule_data([motif]))
    assert added.status_code == 302
    schedule = Schedule.objects.get(motifs=motif)
    assert (schedule.agent, schedule.organisation.name, schedule.weekday) == (agent, GRAND_CAHORS, 4)
    assert (schedule.start, schedule.end, schedule.last_date) == (datetime.time(9), datetime.time(12), None)

    page = client.get(url("public_slots", motif.pk))
    key = re.search(rf"/motifs/{motif.pk}/([0-9T]+-\d+-\d+)/", page.content.decode()).group(1)
    start, site_id, _ = slots.parse_key(key)
    local = timezone.localtime(start)
    assert local.weekday() == 4 and local.time() == datetime.time(9) and site_id == catus().pk
    assert "9 h 00" in text(page) and "9 h 35" in text(page)  # 30 minutes and 5 of buffer

    overview = text(client.get(url("setup")))
    assert "Paramétrage des rendez-vous" in overview and GRAND_CAHORS in overview
    assert "Aide au dossier retraite" in overview and "Le vendredi de 9 h 00 à 12 h 00, chaque semaine" in overview
    assert "CAF du Lot" not in overview  # her organisation only


def test_a_resource_takes_its_checklist_one_line_per_check(client):
    client.force_login(demo_user("agent.franceservices"))
    done = client.post(
        url("setup_resource_add"),
        {
            "name": "Salle du premier",
            "kind": "salle",
            "site": catus().pk,
            "checklist": "Clés\n\n  Vidéoprojecteur  \n",
        },
    )
    assert done.status_code == 302
    room = Resource.objects.get(name="Salle du premier")
    assert room.checklist == ["Clés", "Vidéoprojecteur"] and room.organisation.name == GRAND_CAHORS
    page = client.get(url("setup_resource_edit", room.pk))
    assert "Clés\nVidéoprojecteur" in page.content.decode()


def test_deactivating_a_motif_takes_it_off_the_public_list(client):
    client.force_login(demo_user("agent.franceservices"))
    workshop = Motif.objects.get(territory=demo_territory(), name="Atelier CV")
    form = client.get(url("setup_motif_edit", workshop.pk))
    assert form.status_code == 200 and "Atelier CV" in text(form)
    data = motif_data(name="Atelier CV", capacity=8, duration_minutes=120, buffer_minutes=0)
    del data["is_active"]
    assert client.post(url("setup_motif_edit", workshop.pk), data).status_code == 302
    workshop.refresh_from_db()
    assert not workshop.is_active and Motif.objects.filter(pk=workshop.pk).exists()
    assert url("public_slots", workshop.pk) not in client.get(url("public_motifs")).content.decode()


def test_an_overlapping_schedule_is_refused_in_french_and_nothing_is_written(client):
    agent = demo_user("agent.franceservices")
    client.force_login(agent)
    coaching = Motif.objects.get(territory=demo_territory(), sessions__gt=1)
    before = Schedule.objects.count()
    # Her Monday mornings already hold coaching from 9 h to 12 h.
    refused = client.post(url("setup_schedule_add"), schedule_data([coaching], weekday=0, start="11:30", end="13:00"))
    assert refused.status_code == 200
    page = text(refused)
    assert "chevauche une autre plage du même agenda" in page and "le lundi de 9 h 00 à 12 h 00" in page
    assert Schedule.objects.count() == before
    # The booth too, whoever asks: a resource's calendar is one.
    booth = Resource.objects.get(territory=demo_territory(), kind="cabine")
    teleconsultation = Motif.objects.get(territory=demo_territory(), no_health_data=True)
    data = schedule_data([teleconsultation], agent="", resource=booth.pk, weekday=1, start="11:00", end="14:30")
    assert "chevauche" in text(client.post(url("setup_schedule_add"), data))
    assert Schedule.objects.count() == before
    # Right after, it fits.
    fits = schedule_data([coaching], weekday=0, start="12:00", end="13:00")
    saved = client.post(url("setup_schedule_add"), fits)
    assert saved.status_code == 302, re.findall(r"fr-error-text[^>]*>([^<]*)", saved.content.decode())
    assert Schedule.objects.count() == before + 1


def test_two_fortnightly_schedules_on_alternate_weeks_do_not_overlap(client):
    agent = demo_user("agent.franceservices")
    client.force_login(agent)
    existing = Schedule.objects.get(agent=agent, recurrence=Recurrence.FORTNIGHTLY)
    workshop = existing.motifs.get()
    week = datetime.timedelta(days=7)
    same = {"weekday": existing.weekday, "start": "14:00", "end": "16:00", "recurrence": Recurrence.FORTNIGHTLY}
    on_its_weeks = schedule_data([workshop], **same, first_date=(existing.first_date + 2 * week).isoformat())
    assert "chevauche" in text(client.post(url("setup_schedule_add"), on_its_weeks))
    other_weeks = schedule_data([workshop], **same, first_date=(existing.first_date + 3 * week).isoformat())
    assert client.post(url("setup_schedule_add"), other_weeks).status_code == 302


def test_bad_hours_and_dates_get_field_errors(client):
    client.force_login(demo_user("agent.franceservices"))
    coaching = Motif.objects.get(territory=demo_territory(), sessions__gt=1)
    before = Schedule.objects.count()
    odd = text(client.post(url("setup_schedule_add"), schedule_data([coaching], start="09:03", end="10:00")))
    assert "Indiquez une heure ronde à 5 minutes près" in odd
    backwards = text(client.post(url("setup_schedule_add"), schedule_data([coaching], start="14:00", end="10:00")))
    assert "La fin de la plage doit suivre son début." in backwards
    today = timezone.localdate()
    dates = schedule_data(
        [coaching], first_date=today.isoformat(), last_date=(today - datetime.timedelta(1)).isoformat()
    )
    assert "La dernière date doit suivre la première." in text(client.post(url("setup_schedule_add"), dates))
    both = schedule_data([coaching], resource=Resource.objects.get(territory=demo_territory(), kind="cabine").pk)
    assert "Choisissez un agent ou une ressource" in text(client.post(url("setup_schedule_add"), both))
    assert Schedule.objects.count() == before
    motif = text(client.post(url("setup_motif_add"), motif_data(duration_minutes=7, capacity=4, sessions=3)))
    assert "Indiquez un multiple de 5 minutes." in motif
    assert "Un atelier collectif (plus d'une place) se réserve en une séance." in motif
    assert not Motif.objects.filter(name="Aide au dossier retraite").exists()


def test_an_agent_of_another_organisation_is_refused(client):
    caf = demo_user("agent.caf")
    client.force_login(caf)
    territory = demo_territory()
    coaching = Motif.objects.get(territory=territory, sessions__gt=1)
    booth = Resource.objects.get(territory=territory, kind="cabine")
    schedule = Schedule.objects.filter(resource=booth).first()
    for name, pk in (
        ("setup_motif_edit", coaching.pk),
        ("setup_resource_edit", booth.pk),
        ("setup_schedule_edit", schedule.pk),
        ("setup_schedule_end", schedule.pk),
    ):
        refused = client.get(url(name, pk))
        assert refused.status_code == 403, name
        assert "celui d'une autre organisation" in text(refused)
    posted = client.post(url("setup_motif_edit", coaching.pk), motif_data(name="Détourné"))
    assert posted.status_code == 403
    coaching.refresh_from_db()
    assert coaching.name != "Détourné"
    # Her page lists the CAF's motifs, not the Grand Cahors's.
    overview = text(client.get(url("setup")))
    assert "Aide à une démarche CAF" in overview and "Coaching emploi" not in overview
    # Choosing the Grand Cahors's booth or colleague from her own forms: refused, nothing written.
    before = Schedule.objects.count()
    caf_help = Motif.objects.get(territory=territory, organisation__name="CAF du Lot")
    data = schedule_data([caf_help], agent="", resource=booth.pk, weekday=5)
    assert client.post(url("setup_schedule_add"), data).status_code == 200
    colleague = schedule_data([caf_help], weekday=5)  # agent.franceservices, not of the CAF
    assert client.post(url("setup_schedule_add"), colleague).status_code == 200
    assert Schedule.objects.count() == before
    # Another territory's agent does not even see the page.
    client.force_login(demo_user("agent.figeac"))
    assert client.get(url("setup")).status_code == 404
    assert client.get(url("setup_motif_edit", coaching.pk)).status_code == 404


def test_the_team_sets_up_any_organisation_of_the_territory(client):
    client.force_login(demo_user("equipe"))
    overview = text(client.get(url("setup")))
    assert GRAND_CAHORS in overview and "CAF du Lot" in overview
    caf = Organisation.objects.get(territory=demo_territory(), name="CAF du Lot")
    assert client.post(url("setup_motif_add"), motif_data(organisation=caf.pk)).status_code == 302
    assert Motif.objects.get(name="Aide au dossier retraite").organisation == caf


def test_ending_a_schedule_keeps_it_and_stops_its_slots(client):
    agent = demo_user("agent.franceservices")
    client.force_login(agent)
    coaching = Motif.objects.get(territory=demo_territory(), sessions__gt=1)
    wednesday = Schedule.objects.get(agent=agent, motifs=coaching, weekday=2)
    today = timezone.localdate()
    page = client.get(url("setup_schedule_end", wednesday.pk))
    assert page.status_code == 200 and "Dernier jour d'ouverture" in text(page)
    done = client.post(url("setup_schedule_end", wednesday.pk), {"last_date": today.isoformat()})
    assert done.status_code == 302
    wednesday.refresh_from_db()
    assert wednesday.last_date == today
    later = slots.free_slots(
        coaching,
        first=today + datetime.timedelta(days=1),
        last=today + datetime.timedelta(days=27),
        now=timezone.now(),
    )
    assert later and all(timezone.localtime(s.starts_at).weekday() == 0 for s in later)


def test_a_schedule_is_not_ended_before_appointments_booked_on_it(client):
    client.force_login(demo_user("agent.franceservices"))
    booked = (
        Appointment.objects.filter(status=Status.BOOKED, resource__isnull=False, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    local = timezone.localtime(booked.starts_at)
    schedule = Schedule.objects.get(
        resource=booked.resource, weekday=local.weekday(), start__lte=local.time(), end__gt=local.time()
    )
    day_before = local.date() - datetime.timedelta(days=1)
    refused = client.post(url("setup_schedule_end", schedule.pk), {"last_date": day_before.isoformat()})
    assert refused.status_code == 200
    assert "rendez-vous déjà pris" in text(refused) and "déclarez une absence" in text(refused)
    schedule.refresh_from_db()
    assert schedule.last_date is None
    # Moving its hours away from that appointment is refused the same way.
    data = schedule_data(
        list(schedule.motifs.all()),
        agent="",
        resource=schedule.resource_id,
        weekday=schedule.weekday,
        start="18:00",
        end="19:00",
        first_date=schedule.first_date.isoformat(),
    )
    assert "rendez-vous déjà pris" in text(client.post(url("setup_schedule_edit", schedule.pk), data))
    schedule.refresh_from_db()
    assert schedule.start != datetime.time(18)


def test_a_schedule_in_the_bus_must_match_a_passage_of_the_published_plan(client):
    from carteblanche.bookings import setup
    from carteblanche.mobility.services import passages

    client.force_login(demo_user("agent.franceservices"))
    client.post(url("setup_motif_add"), motif_data(name="Permanence dans le bus", place=Place.BUS))
    motif = Motif.objects.get(name="Permanence dans le bus")
    plan = setup.published_plan(demo_territory())
    busy = set(Schedule.objects.filter(agent=demo_user("agent.franceservices")).values_list("weekday", flat=True))
    passage = next(p for p in passages(plan) if p.every_week and p.weekday not in busy)
    stop = passage.stop_id
    wrong_day = (passage.weekday + 1) % 5
    common = {"site": "", "bus_stop": stop, "first_date": timezone.localdate().isoformat()}
    refused = client.post(url("setup_schedule_add"), schedule_data([motif], weekday=wrong_day, **common))
    assert refused.status_code == 200 and "Le bus n'est pas à cet arrêt ce jour-là à ces heures" in text(refused)
    both = client.post(
        url("setup_schedule_add"),
        schedule_data([motif], weekday=passage.weekday, **{**common, "site": catus().pk}),
    )
    assert "pas les deux" in text(both)
    no_stop = client.post(url("setup_schedule_add"), schedule_data([motif], **{**common, "bus_stop": ""}))
    assert "Choisissez l'arrêt du bus" in text(no_stop)
    assert not Schedule.objects.filter(motifs=motif).exists()
    fits = schedule_data(
        [motif], weekday=passage.weekday, start=f"{passage.start:%H:%M}", end=f"{passage.end:%H:%M}", **common
    )
    saved = client.post(url("setup_schedule_add"), fits)
    assert saved.status_code == 302, re.findall(r"fr-error-text[^>]*>([^<]*)", saved.content.decode())
    schedule = Schedule.objects.get(motifs=motif)
    assert schedule.bus_stop_id == stop and schedule.site_id is None
    # Residents find its slots, in the bus at that stop.
    page = client.get(url("public_slots", motif.pk)).content.decode()
    assert re.search(rf"/motifs/{motif.pk}/[0-9T]+-0-{stop}/", page)
