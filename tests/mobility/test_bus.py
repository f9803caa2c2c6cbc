"""The itinerant bus: from the team's inputs to a published timetable (demo territory, real solver)."""

import datetime
import json

import pytest
from django.urls import reverse
from icalendar import Calendar

from carteblanche.accounts.models import User
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import french
from carteblanche.core.qr import qr_data_uri
from carteblanche.mobility import services, solver
from carteblanche.mobility.enums import Frequency, PlanStatus
from carteblanche.mobility.models import Bus, CandidateStop, PlannedVisit, RoadTimes, Shift, TourPlan
from carteblanche.territories.models import Commune, Territory

SLUG = "bassin-de-vie-de-cahors"


def monday() -> datetime.date:
    """Next Monday, whatever the day the suite runs (the demo's published plan starts this week's Monday)."""
    return services.next_monday()


@pytest.fixture
def territory():
    territory = Territory.objects.get(slug=SLUG)
    config = services.settings_for(territory)
    config.solve_seconds = 2
    config.save()
    return territory


@pytest.fixture
def team():
    return User.objects.get(email="equipe@demo.carteblanche.fr")


def _minutes(value):
    return value.hour * 60 + value.minute


def test_a_fortnightly_stop_makes_a_two_week_cycle_with_copies_per_allowed_half_day(territory):
    built = services.build(territory)
    assert built.weeks == 2
    assert len(built.problem.vehicles) == 2 * 5  # one bus, five days, two weeks
    lalbenque = next(s for s in built.problem.stops if built.stops[s.key].commune.name == "Lalbenque")
    # Weekly: one group per week, each with the stop's two allowed half-days (Tuesday morning and afternoon).
    assert lalbenque.key.endswith("/0")
    assert [w.day for w in lalbenque.windows] == [1, 1]
    fortnightly = next(s for s in built.problem.stops if s.key.endswith("/f"))
    assert {w.day for w in fortnightly.windows} >= {0, 7}  # both weeks in one exclusive group


def test_the_driver_break_is_cut_out_of_the_half_days(territory):
    shift = Shift.objects.get(bus__territory=territory, weekday=0)
    shift.break_start, shift.break_end = datetime.time(11, 0), datetime.time(12, 0)
    shift.save()
    built = services.build(territory)
    stop = next(s for s in built.problem.stops if s.windows and s.windows[0].day == 0)
    monday_morning = stop.windows[0]
    assert (monday_morning.start, monday_morning.end) == (9 * 60, 11 * 60)


def test_the_plan_respects_half_days_shifts_and_serves_each_stop_at_most_once_per_cycle(territory, team):
    plan = services.make_plan(territory, period_start=monday(), user=team)
    assert plan.feasible
    config = services.settings_for(territory)
    visits = list(plan.visits.select_related("stop", "bus"))
    assert visits
    for visit in visits:
        assert visit.half_day in visit.stop.half_days
        day, half = visit.half_day.split("-")
        assert int(day) == visit.weekday
        start, end = config.half_day(half == "pm")
        assert start <= _minutes(visit.start) and _minutes(visit.end) <= end
        shift = visit.bus.shifts.get(weekday=visit.weekday)
        assert _minutes(shift.start) <= _minutes(visit.arrival)
        assert _minutes(visit.end) - _minutes(visit.start) == visit.stop.service_minutes
        # Opens as early as the half-day and the road allow (to five minutes): stable, round hours for residents.
        assert _minutes(visit.start) <= max(start, -(-_minutes(visit.arrival) // 5) * 5)
    # Exclusive groups: a fortnightly stop once in the cycle, a weekly stop once a week.
    for stop in {v.stop for v in visits}:
        mine = [v for v in visits if v.stop == stop]
        if stop.frequency == Frequency.FORTNIGHTLY:
            assert len(mine) == 1
        else:
            assert sorted(v.week for v in mine) in ([0], [1], [0, 1])
    # The bus cannot be in two places: visits of a day never overlap.
    for week in (0, 1):
        for weekday in range(5):
            day = sorted((v for v in visits if (v.week, v.weekday) == (week, weekday)), key=lambda v: v.start)
            for a, b in zip(day, day[1:], strict=False):
                assert a.end <= b.arrival
    # 22 groups for 20 half-days of bus time: the plan says who is left out, and why, in French.
    assert len(plan.dropped) >= 2
    assert all("bus" in row["reason"] or "demi-journée" in row["reason"] for row in plan.dropped)
    # Weekly stops keep the same half-day both weeks: the timetable says « chaque semaine ».
    timetable = services.timetable(plan)
    lalbenque = CandidateStop.objects.get(territory=territory, commune__name="Lalbenque")
    assert timetable[lalbenque.pk].endswith("chaque semaine")
    fortnightly = [p for p in services.passages(plan) if not p.every_week]
    assert fortnightly
    for passage in fortnightly:
        # The parity named is that of the ISO week of the passage's next occurrence.
        first = passage.first_date(plan.period_start)
        assert passage.parity == ("paires" if first.isocalendar().week % 2 == 0 else "impaires")
        assert f"des semaines {passage.parity}" in timetable[passage.stop_id]


def test_an_over_constrained_week_still_gives_a_plan_and_the_reasons(territory, team):
    Shift.objects.filter(bus__territory=territory).exclude(weekday=0).delete()
    plan = services.make_plan(territory, period_start=monday(), user=team)
    assert plan.visits.count() == 4  # Monday morning and afternoon, both weeks
    reasons = {row["commune"]: row["reason"] for row in plan.dropped}
    assert reasons["Lalbenque"].startswith("Aucune demi-journée autorisée ne tombe pendant un service du bus")
    # The heaviest of those the bus could reach are examined by forcing each in: what it would take is named.
    assert any(reason.startswith("Pour le servir, il faudrait retirer") for reason in reasons.values())
    assert all("épuisé" not in reason for reason in reasons.values())


def test_no_bus_day_is_a_clear_error():
    territory = Territory.objects.get(slug=SLUG)
    Shift.objects.filter(bus__territory=territory).delete()
    with pytest.raises(services.PlanError, match="Aucun bus en service"):
        services.build(territory)


def test_a_re_plan_keeps_last_period_and_shows_what_a_change_forces_to_move(territory, team):
    # The solver stops on a time budget, which a busy machine shortens: the search starts from the published tours,
    # so even a short budget moves nothing for no reason.
    config = services.settings_for(territory)
    config.solve_seconds = 1
    config.save()
    published = services.previous_plan(territory)
    again = services.make_plan(territory, period_start=monday(), user=team)
    assert again.based_on == published
    # Nothing changed: no passage moves and no stop loses its bus. (The published plan was itself found within a
    # time budget, on a machine as busy as this one: a re-solve may serve one more stop it had left out, never at
    # the cost of a passage residents already know.)
    assert [row for row in again.moved if row["kind"] != "new"] == []
    # Catus may no longer be served on its half-day, only on Tuesday mornings, which the team frees by removing
    # the stops held there: it must move, and the plan says from where to where; the others stay where they were.
    catus = CandidateStop.objects.get(territory=territory, commune__name="Catus")
    before = services.timetable(published)[catus.pk]
    catus.half_days = ["1-am"]
    catus.save()
    tuesday_morning = published.visits.filter(half_day="1-am").exclude(stop=catus).values_list("stop", flat=True)
    CandidateStop.objects.filter(pk__in=list(tuesday_morning)).update(is_active=False)
    moved = services.make_plan(territory, period_start=monday(), user=team).moved
    row = next(r for r in moved if r["commune"] == "Catus")
    assert row["before"] == before and row["after"].startswith("le mardi") and row["kind"] == "moved"
    assert {r["commune"] for r in moved if r["kind"] == "moved"} == {"Catus"}
    # The stops taken out are listed too: every change between the two plans is said.
    removed = set(CandidateStop.objects.filter(pk__in=list(tuesday_morning)).values_list("commune__name", flat=True))
    assert {r["commune"] for r in moved if r["kind"] == "left"} == removed
    assert all(r["after"] == "Ne passe plus" for r in moved if r["kind"] == "left")


def test_access_indicator_never_worsens_with_the_bus(territory):
    plan = services.previous_plan(territory)
    rows = plan.access["rows"]
    assert len(rows) == 10 and plan.access["minutes"] == 20
    assert all(r["after"] <= r["before"] for r in rows)
    assert any(r["gain"] > 0 for r in rows)


def test_passage_phrases_read_like_a_timetable():
    passage = services.Passage(1, 1, datetime.time(9), datetime.time(12), False, 0, "paires")
    assert passage.phrase() == "le mardi des semaines paires de 9 h à 12 h"
    weekly = services.Passage(1, 3, datetime.time(14), datetime.time(16, 30), True, 0, "paires")
    assert weekly.phrase() == "le jeudi de 14 h à 16 h 30, chaque semaine"


def test_the_team_edits_a_stop_with_field_errors_in_french(client, territory, team):
    client.force_login(team)
    url = reverse("mobility:stop_add", args=[territory.slug])
    gigouzac = Commune.objects.get(insee_code="46119")
    response = client.post(url, {"commune": gigouzac.pk, "place": "Place de la mairie", "service_minutes": 20})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cochez au moins une demi-journée" in body
    assert "Cette commune a déjà un arrêt à ce lieu." in body
    assert "supérieure ou égale à 30" in body
    response = client.post(
        url,
        {
            "commune": gigouzac.pk,
            "place": "Parking du foirail",
            "service_minutes": 120,
            "frequency": Frequency.FORTNIGHTLY,
            "half_days": ["1-am", "3-pm"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    stop = CandidateStop.objects.get(territory=territory, place="Parking du foirail")
    assert (stop.latitude, stop.longitude) == (gigouzac.latitude, gigouzac.longitude)  # the commune's centre
    assert JournalEntry.objects.about(stop).filter(action=Action.BUS_INPUT_CHANGED).exists()


def test_a_driver_day_needs_hours_in_order(client, territory, team):
    client.force_login(team)
    bus = Bus.objects.get(territory=territory)
    url = reverse("mobility:shift", args=[territory.slug, bus.pk, 2])
    response = client.post(url, {"works": "on", "start": "17:00", "end": "08:00", "max_hours": "8"})
    assert "Le retour doit suivre le départ." in response.content.decode()
    response = client.post(url, {"start": "08:00", "end": "17:00", "max_hours": "8"})  # no longer runs
    assert response.status_code == 302
    assert not Shift.objects.filter(bus=bus, weekday=2).exists()


def test_only_the_team_and_the_prefecture_plan_the_bus(client, territory):
    client.force_login(User.objects.get(email="agent.caf@demo.carteblanche.fr"))
    assert client.get(reverse("mobility:dashboard", args=[territory.slug])).status_code == 403


def test_run_publish_and_read_the_timetable(client, territory, team, django_capture_on_commit_callbacks):
    client.force_login(team)
    dashboard = client.get(reverse("mobility:dashboard", args=[territory.slug])).content.decode()
    assert "Lalbenque" in dashboard and "Poids d'un arrêt" in dashboard
    tuesday = monday() + datetime.timedelta(days=1)
    response = client.post(reverse("mobility:plan_start", args=[territory.slug]), {"period_start": tuesday})
    assert response.status_code == 302 and not TourPlan.objects.filter(period_start=tuesday).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mobility:plan_start", args=[territory.slug]), {"period_start": monday().isoformat()}
        )
    job_page = client.get(response["Location"]).content.decode()
    assert "Voir le plan et le publier" in job_page
    plan = TourPlan.objects.get(period_start=monday())
    assert plan.status == PlanStatus.DRAFT
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Communes non desservies" in page and "Publier ce plan" in page
    client.post(reverse("mobility:plan_publish", args=[territory.slug, plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert TourPlan.objects.filter(territory=territory, status=PlanStatus.PUBLISHED).count() == 1

    client.logout()  # residents need no account
    lalbenque = Commune.objects.get(insee_code="46148")
    page = client.get(reverse("mobility:public_commune", args=[territory.slug, "46148"])).content.decode()
    assert "Le bus passe à Lalbenque le mardi de" in page
    ics = client.get(reverse("mobility:public_ics", args=[territory.slug, "46148"]))
    assert ics["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(ics.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["INTERVAL"] == [1]
    assert event.decoded("DTSTART").date() == monday() + datetime.timedelta(days=1)
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Paris"
    assert list(calendar.walk("VTIMEZONE"))
    assert lalbenque.name in str(event["SUMMARY"])
    pdf = client.get(reverse("mobility:public_poster", args=[territory.slug, "46148"]))
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    week = client.get(reverse("mobility:public", args=[territory.slug])).content.decode()
    assert "Arrêts du bus, jour par jour" in week
    geojson = json.loads(client.get(reverse("mobility:public_geojson", args=[territory.slug])).content)
    bus_stops = [f for f in geojson["features"] if f["properties"]["type"] == "bus"]
    assert len(bus_stops) == len(set(plan.visits.values_list("stop", flat=True)))
    assert sum(1 for f in geojson["features"] if f["properties"]["type"] == "pouce") == 3  # hitchhiking stops
    cahors = client.get(reverse("mobility:public_commune", args=[territory.slug, "46042"])).content.decode()
    assert "Le bus ne s'arrête pas à Cahors" in cahors


def test_a_fortnightly_passage_recurs_every_two_weeks_in_the_calendar(client, territory):
    plan = services.previous_plan(territory)
    row = next(r for r in services.passages(plan) if not r.every_week)
    stop = CandidateStop.objects.get(pk=row.stop_id)
    ics = client.get(reverse("mobility:public_ics", args=[territory.slug, stop.commune.insee_code]))
    event = next(iter(Calendar.from_ical(ics.content).walk("VEVENT")))
    assert event["RRULE"]["INTERVAL"] == [2]


def test_road_times_from_osrm_replace_the_estimate(client, territory, team):
    client.force_login(team)
    url = reverse("mobility:road_times", args=[territory.slug])
    size = 1 + CandidateStop.objects.active().filter(territory=territory).count()
    bad = json.dumps({"durations": [[0]], "distances": [[0]]}).encode()
    response = client.post(url, {"engine": "osrm", "file": _upload(bad)})
    assert f"{size} × {size} cases" in response.content.decode()
    assert not RoadTimes.objects.exists()
    table = [[0 if i == j else 1200 for j in range(size)] for i in range(size)]  # 20 minutes everywhere
    good = json.dumps({"code": "Ok", "durations": table, "distances": [[v * 15 for v in r] for r in table]}).encode()
    response = client.post(url, {"engine": "osrm", "file": _upload(good)})
    assert response.status_code == 302
    built = services.build(territory)
    assert built.source == "routier" and built.estimated_pairs == 0
    assert built.problem.durations[0][1] == 20
    points = client.get(reverse("mobility:road_points", args=[territory.slug])).content.decode("utf-8-sig")
    assert points.splitlines()[1].startswith("1;bus-")


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("table.json", content, content_type="application/json")


def test_solver_progress_is_reported():
    shares = []
    problem = solver.Problem(
        durations=[[0, 10], [10, 0]],
        distances=[[0, 1000], [1000, 0]],
        stops=[solver.Stop("a", 1, 60, [solver.Window(540, 720)])],
        vehicles=[solver.Vehicle("v", 0, 480, 1080)],
    )
    solver.solve(problem, seconds=1.2, progress=shares.append)
    assert shares and all(0 < s <= 1 for s in shares)


def test_fortnightly_weeks_keep_their_parity_across_a_53_week_year():
    """2026 has 53 ISO weeks: weeks 53 and 1 are both odd, so a passage every other week flips parity in 2027."""
    plan = TourPlan(period_start=datetime.date(2026, 11, 30), weeks=2)  # ISO week 49
    visits = [PlannedVisit(stop_id=7, weekday=1, week=0, start=datetime.time(9), end=datetime.time(11, 30))]
    # Tuesdays 1, 15 and 29 December 2026 (weeks 49, 51, 53), then 12 January 2027 (week 2).
    (december,) = services.passages(plan, visits, on=datetime.date(2026, 12, 2))
    assert december.phrase() == (
        "le mardi des semaines impaires de 9 h à 11 h 30 (des semaines paires à partir du 4 janvier 2027)"
    )
    assert december.weeks_label == "semaines impaires (paires à partir du 4 janvier 2027)"
    (january,) = services.passages(plan, visits, on=datetime.date(2027, 1, 5))
    assert january.phrase() == "le mardi des semaines paires de 9 h à 11 h 30"
    # Read in the last days of ISO year 2026 (Sunday 3 January 2027 is in week 53): still the year's parity.
    (sunday,) = services.passages(plan, visits, on=datetime.date(2027, 1, 3))
    assert sunday.parity == "impaires" and sunday.parity_after == "paires"
    # The same passages read on different days are the same slot: a re-plan does not report them as moved.
    assert december.slot == january.slot == sunday.slot
    # In a 52-week year nothing flips.
    plan.period_start = datetime.date(2027, 11, 29)
    (ordinary,) = services.passages(plan, visits, on=datetime.date(2027, 12, 1))
    assert ordinary.parity_after == "" and ordinary.phrase() == "le mardi des semaines paires de 9 h à 11 h 30"


def test_a_draft_for_the_week_of_the_published_plan_says_which_plan_it_would_replace(client, territory, team):
    published = services.previous_plan(territory)
    draft = services.make_plan(territory, period_start=published.period_start, user=team, seconds=1)
    client.force_login(team)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f"Plan n° {draft.pk} du {published.period_start:%d/%m/%Y} (brouillon)" in page
    assert f"il remplacera le plan n° {published.pk} du {published.period_start:%d/%m/%Y}" in page
    assert "qui commence le même lundi" in page
    dashboard = client.get(reverse("mobility:dashboard", args=[territory.slug])).content.decode()
    assert f"Plan n° {draft.pk} du" in dashboard and f"Plan n° {published.pk} du" in dashboard
    # Residents still read the published plan.
    assert services.previous_plan(territory) == published
    response = client.post(
        reverse("mobility:plan_start", args=[territory.slug]),
        {"period_start": published.period_start.isoformat()},
        follow=True,
    )
    assert f"Le plan publié (n° {published.pk}, à partir du lundi" in response.content.decode()


def test_the_heaviest_stop_kept_to_one_half_day_gets_its_true_reason_and_every_change_is_said(territory, team):
    """The newcomer's case: Catus, the heaviest stop, restricted to Tuesday morning without freeing it."""
    published = services.previous_plan(territory)
    catus = CandidateStop.objects.get(territory=territory, commune__name="Catus")
    catus.half_days = ["1-am"]
    catus.save()
    plan = services.make_plan(territory, period_start=monday(), user=team)
    served = set(plan.visits.values_list("stop__commune__name", flat=True))
    reasons = {row["commune"]: row["reason"] for row in plan.dropped}
    assert all("épuisé par des arrêts qui pèsent plus" not in r for r in reasons.values())
    if "Catus" in reasons:
        # Its reason is what forcing it in costs: the stops named are those of Tuesday morning.
        reason = reasons["Catus"]
        assert reason.startswith("Pour le servir, il faudrait")
        tuesday = set(published.visits.filter(half_day="1-am").values_list("stop__commune__name", flat=True))
        assert any(name in reason for name in tuesday - {"Catus"}), reason
        assert "libérez le mardi matin" in reason
    else:
        assert "Catus" in served
    before = set(published.visits.values_list("stop__commune__name", flat=True))
    changes = {(r["commune"], r["kind"]) for r in plan.moved}
    assert {(name, "left") for name in before - served} <= changes
    assert {(name, "new") for name in served - before} <= changes
    assert before != served or plan.moved  # nothing silent


def test_the_solver_forces_a_stop_in_to_learn_its_cost():
    # Two stops at the same place, one half-day that holds only one of them: forcing the lighter one in removes
    # the heavier, and says so.
    durations = [[0, 10, 10], [10, 0, 0], [10, 0, 0]]
    distances = [[0, 1000, 1000], [1000, 0, 0], [1000, 0, 0]]
    window = solver.Window(9 * 60, 12 * 60)
    stops = [
        solver.Stop("lourd", 1, 150, [window], weight=10),
        solver.Stop("leger", 2, 150, [window], weight=1),
    ]
    problem = solver.Problem(durations, distances, stops, [solver.Vehicle("bus", 0, 8 * 60, 18 * 60)])
    plan = solver.solve(problem, seconds=0.5)
    assert plan.served == {"lourd"}
    forced = solver.force(problem, plan, "leger", seconds=0.5)
    assert forced.feasible and forced.served == {"leger"}
    alone = solver.Problem(durations, distances, [solver.Stop("trop long", 1, 400, [window])], problem.vehicles)
    assert not solver.force(alone, solver.solve(alone, seconds=0.2), "trop long", seconds=0.2).feasible


def test_public_pages_give_next_dates_explain_the_weeks_and_point_to_france_services(client, territory):
    from carteblanche.mobility import publication

    plan = services.previous_plan(territory)
    today = services.timezone.localdate()
    fortnightly = next(p for p in services.passages(plan) if not p.every_week)
    stop = CandidateStop.objects.select_related("commune").get(pk=fortnightly.stop_id)
    page = client.get(reverse("mobility:public_commune", args=[territory.slug, stop.commune.insee_code])).content
    page = page.decode()
    dates = fortnightly.next_dates(plan.period_start, today)
    assert dates[0] >= today and all((b - a).days == 14 for a, b in zip(dates, dates[1:], strict=False))
    assert (
        dates[0].weekday() == fortnightly.weekday
        and (dates[0] - fortnightly.first_date(plan.period_start)).days % 14 == 0
    )
    monday_of = dates[0] - datetime.timedelta(days=dates[0].weekday())
    parity = "paires" if dates[0].isocalendar().week % 2 == 0 else "impaires"
    assert f"Semaines {parity} : la prochaine est celle du {french.date(monday_of, year=False)}" in page or (
        f"Semaines {parity} : la prochaine est celle du {french.date(monday_of)}" in page
    )
    assert french.date(dates[0], weekday=True) in page  # « mardi 15 décembre 2026 »
    # The fixed France services nearby, with their phone; the bus's own phone.
    assert "Les France services ouvertes toute la semaine" in page and "07 62 60 96 94" in page
    # The poster carries the dates, a QR code to this page and the phone; none for a commune without a passage.
    rows = publication.commune_passages(plan, stop.commune, today)
    assert rows[0]["next_dates"][0] == min(
        d for p in rows[0]["passages"] for d in p.next_dates(plan.period_start, today)
    )
    assert qr_data_uri("https://exemple.fr/").startswith("data:image/svg+xml")
    poster = client.get(reverse("mobility:public_poster", args=[territory.slug, stop.commune.insee_code]))
    assert poster.status_code == 200 and poster.content.startswith(b"%PDF")
    assert client.get(reverse("mobility:public_poster", args=[territory.slug, "46042"])).status_code == 404
    # The weekly map draws the communes served.
    geojson = json.loads(client.get(reverse("mobility:public_geojson", args=[territory.slug])).content)
    communes = [f for f in geojson["features"] if f["properties"]["type"] == "commune"]
    served = set(plan.visits.values_list("stop__commune__name", flat=True))
    assert {f["properties"]["commune"] for f in communes} == served
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in communes)


def test_the_bus_phone_is_checked_and_written_the_french_way(client, territory, team):
    client.force_login(team)
    url = reverse("mobility:settings", args=[territory.slug])
    config = services.settings_for(territory)
    data = {
        "morning_start": "09:00",
        "morning_end": "12:00",
        "afternoon_start": "14:00",
        "afternoon_end": "17:00",
        "road_factor": "1.3",
        "speed_kmh": "50",
        "access_minutes": "20",
        "solve_seconds": "2",
        "contact_phone": "05 65 2",
    }
    assert "Numéro de téléphone français attendu" in client.post(url, data).content.decode()
    client.post(url, data | {"contact_phone": "+33565123456"})
    config.refresh_from_db()
    assert config.contact_phone == "05 65 12 34 56"
