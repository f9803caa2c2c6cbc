"""The tour model: time windows respected, one half-day per stop, dropped stops reported, stable re-plans."""

import pytest

from carteblanche.mobility.solver import DAY, Problem, Stop, Vehicle, Window, routes_of, solve, with_previous

pytestmark = pytest.mark.no_database  # plain data: CI runs it on SQLite only

MORNING, AFTERNOON = (9 * 60, 12 * 60), (14 * 60, 17 * 60)


def half_day(day, which):
    start, end = MORNING if which == "matin" else AFTERNOON
    return Window(day * DAY + start, day * DAY + end)


def square(n, minutes=20):
    """Depot 0 and n places, every pair ``minutes`` apart (10 km)."""
    size = n + 1
    durations = [[0 if i == j else minutes for j in range(size)] for i in range(size)]
    distances = [[0 if i == j else 10_000 for j in range(size)] for i in range(size)]
    return durations, distances


def week(days=5):
    return [Vehicle(f"bus/{d}", 0, d * DAY + 8 * 60, d * DAY + 18 * 60, max_minutes=9 * 60) for d in range(days)]


def test_every_visit_is_inside_an_allowed_half_day_and_the_shift():
    durations, distances = square(6)
    stops = [
        Stop(f"commune-{i}", i, 150, [half_day(i % 5, "matin"), half_day((i + 1) % 5, "apres-midi")], weight=10)
        for i in range(1, 7)
    ]
    plan = solve(Problem(durations, distances, stops, week()), seconds=1)
    assert plan.feasible and not plan.dropped
    shifts = {v.key: v for v in week()}
    for tour in plan.tours:
        for visit in tour.visits:
            allowed = next(s for s in stops if s.key == visit.stop).windows
            assert visit.window in allowed
            assert visit.window.start <= visit.start and visit.end <= visit.window.end
        assert shifts[tour.vehicle].start <= tour.start and tour.end <= shifts[tour.vehicle].end


def test_a_stop_is_visited_once_whatever_its_allowed_half_days():
    durations, distances = square(3)
    every_half_day = [half_day(d, w) for d in range(5) for w in ("matin", "apres-midi")]
    stops = [Stop(f"commune-{i}", i, 120, every_half_day, weight=5) for i in range(1, 4)]
    plan = solve(Problem(durations, distances, stops, week()), seconds=1)
    visited = [v.stop for t in plan.tours for v in t.visits]
    assert sorted(visited) == ["commune-1", "commune-2", "commune-3"]


def test_an_over_constrained_week_gives_a_plan_and_says_who_is_left_out_and_why():
    durations, distances = square(5)
    tuesday_morning = [half_day(1, "matin")]
    stops = [Stop(f"commune-{i}", i, 150, tuesday_morning, weight=i) for i in range(1, 5)]
    stops.append(Stop("commune-nuit", 5, 60, [Window(2 * DAY + 22 * 60, 2 * DAY + 23 * 60)], weight=50))
    plan = solve(Problem(durations, distances, stops, week()), seconds=1)
    assert plan.served == {"commune-4"}  # one slot: the heaviest stop gets it
    reasons = dict(plan.dropped)
    assert set(reasons) == {"commune-1", "commune-2", "commune-3", "commune-nuit"}
    assert "épuisé" in reasons["commune-1"]
    assert "Aucune demi-journée autorisée ne tombe pendant un service" in reasons["commune-nuit"]


def six_stops_planned_once():
    """Six stops open on every half-day of the week, and a first plan of them."""
    durations, distances = square(6)
    stops = [
        Stop(f"commune-{i}", i, 150, [half_day(d, w) for d in range(5) for w in ("matin", "apres-midi")], weight=10)
        for i in range(1, 7)
    ]
    problem = Problem(durations, distances, stops, week())
    return problem, solve(problem, seconds=1, seed=1)


def test_re_planning_keeps_last_periods_half_days_unless_forced():
    problem, first = six_stops_planned_once()
    again = solve(with_previous(problem, first), seconds=1, seed=7)
    assert again.moved == []
    # Thursday is lost (the bus is in the garage): only the stops of Thursday move, and the plan says so.
    without_thursday = with_previous(problem, first)
    without_thursday.vehicles = [v for v in week() if not v.key.endswith("/3")]
    thursday = {v.stop for t in first.tours if t.vehicle.endswith("/3") for v in t.visits}
    replanned = solve(without_thursday, seconds=1, seed=7)
    assert {m[0] for m in replanned.moved} == thursday
    assert not replanned.dropped


def test_a_re_plan_with_no_time_to_search_keeps_the_previous_tours_and_trims_what_no_longer_fits():
    # A busy machine may leave the search almost no time: the re-plan starts from last period's tours, so it is
    # never worse than keeping them.
    problem, first = six_stops_planned_once()
    again = solve(with_previous(problem, first), seconds=0, seed=7)
    assert again.moved == [] and again.served == first.served
    assert routes_of(again) == routes_of(first)
    # Monday's shift now ends at 10:30: a tour of that day that no longer fits is cut to what fits, never kept
    # infeasible.
    shorter = with_previous(problem, first)
    shorter.vehicles = [
        Vehicle(v.key, 0, v.start, v.start + 150, max_minutes=150) if v.key == "bus/0" else v for v in week()
    ]
    trimmed = solve(shorter, seconds=0, seed=7)
    assert trimmed.feasible
    assert all(t.end <= t.start + 150 for t in trimmed.tours if t.vehicle == "bus/0")
    kept = {key: visits for key, visits in routes_of(first).items() if key != "bus/0"}
    assert {key: visits for key, visits in routes_of(trimmed).items() if key != "bus/0"} == kept
