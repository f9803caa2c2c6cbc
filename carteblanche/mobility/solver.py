"""Tours of the itinerant public-services bus, solved by PyVRP behind a small adapter of ours.

Pure computation, no database. The model (issue 6):
- time in minutes since Monday 00:00 of the first week;
- one vehicle per (bus, day), with that day's shift as its time window and its maximum working time;
- a stop (a commune's square, market place or town hall) allowed on several half-days becomes one client per
  allowed half-day, all at the same place, in a mutually exclusive group: the solver picks at most one of them;
- every group is optional with a prize (the stop's demand weight), so an over-constrained week still gives a plan,
  and the stops it could not serve are listed with a reason, never nothing;
- stability: the half-day a stop had in the previous plan earns a bonus above any stop's prize, so it keeps it
  unless a constraint forces a move; ``moved`` says what moved. The search starts from the previous plan's tours
  (what of them is still allowed), so a re-plan is never worse than keeping them, however little time the machine
  gives the search.

Travel times and distances come from a matrix (minutes, metres) that the caller builds: straight line times a road
factor at a stated speed, or road times imported from a routing engine.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from dataclasses import dataclass, field

DAY = 24 * 60


@dataclass(frozen=True)
class Window:
    """An allowed half-day: service may start at ``start`` and must end by ``end`` (minutes since Monday)."""

    start: int
    end: int

    @property
    def day(self) -> int:
        return self.start // DAY


@dataclass
class Stop:
    key: str
    location: int  # row of the matrices
    service: int  # minutes on site
    windows: list[Window]
    weight: int = 1  # demand weight: what serving it is worth
    previous: Window | None = None  # its half-day in the previous plan, if any
    required: bool = False  # forced in (to learn what serving it would cost: ``force``)


@dataclass
class Vehicle:
    key: str  # e.g. "bus-1/mardi"
    depot: int  # row of the matrices
    start: int  # shift start, minutes since Monday
    end: int  # shift end
    max_minutes: int | None = None  # maximum working time in the shift


@dataclass
class Problem:
    durations: list[list[int]]  # minutes
    distances: list[list[int]]  # metres
    stops: list[Stop]
    vehicles: list[Vehicle]
    # Tours to start the search from (the previous plan's, mapped onto this horizon): vehicle key → the (stop key,
    # half-day) it visits, in order. What is no longer allowed is left out of the start.
    start: dict[str, list[tuple[str, Window]]] = field(default_factory=dict)


@dataclass
class Visit:
    stop: str
    window: Window
    arrival: int
    start: int
    end: int


@dataclass
class Tour:
    vehicle: str
    visits: list[Visit]
    start: int
    end: int
    distance: int  # metres
    minutes: int


@dataclass
class Plan:
    tours: list[Tour]
    dropped: list[tuple[str, str]]  # (stop key, reason in French)
    moved: list[tuple[str, Window | None, Window]] = field(default_factory=list)
    feasible: bool = True

    @property
    def served(self) -> set[str]:
        return {v.stop for t in self.tours for v in t.visits}


# Prizes are in the unit of distance (metres): the heaviest stop is worth this much driving. Prizes far above the
# costs would let the solver trade feasibility for prizes (PyVRP penalises violations, it does not forbid them).
MAX_PRIZE = 1_000_000
# A stop kept on its previous half-day earns more than any stop could bring: the plan keeps last period's
# assignments unless a constraint (a half-day no longer allowed, a shorter day, a stop removed) forces a move.
KEEP_BONUS = MAX_PRIZE + 1_000
NEIGHBOURS = 150


class _Clock:
    """PyVRP stopping criterion: stop after ``seconds``, telling ``progress`` the elapsed share now and then."""

    def __init__(self, seconds: float, progress=None, every: float = 0.5):
        self.seconds, self.progress, self.every = seconds, progress, every
        self.started = time.monotonic()
        self.told = self.started

    def __call__(self, best_cost) -> bool:
        now = time.monotonic()
        if self.progress is not None and now - self.told >= self.every:
            self.told = now
            self.progress(min((now - self.started) / self.seconds, 1.0))
        return now - self.started >= self.seconds


def solve(problem: Problem, *, seconds: float = 5, seed: int = 1, progress=None, neighbours=None) -> Plan:
    """The best plan found in ``seconds``; ``progress(share)`` is called about twice a second if given."""
    from pyvrp import Model

    model = Model()
    locations = [model.add_location(x=0, y=0) for _ in problem.durations]
    depots = {}
    for vehicle in problem.vehicles:
        if vehicle.depot not in depots:
            depots[vehicle.depot] = model.add_depot(locations[vehicle.depot])
        model.add_vehicle_type(
            1,
            start_depot=depots[vehicle.depot],
            end_depot=depots[vehicle.depot],
            tw_early=vehicle.start,
            tw_late=vehicle.end,
            shift_duration=vehicle.max_minutes or (vehicle.end - vehicle.start),
            unit_distance_cost=1,
            name=vehicle.key,
        )
    copies = []  # (stop, window) per client, in the order PyVRP numbers them
    heaviest = max((s.weight for s in problem.stops), default=1) or 1
    for stop in problem.stops:
        worth = 1_000 + MAX_PRIZE * stop.weight // heaviest
        fitting = [w for w in stop.windows if w.end - stop.service >= w.start]
        if not fitting:
            continue  # no half-day long enough for its service: dropped, with that reason
        group = model.add_client_group(required=stop.required, name=stop.key)
        for window in fitting:
            latest_start = window.end - stop.service
            prize = worth + (KEEP_BONUS if stop.previous == window else 0)
            model.add_client(
                locations[stop.location],
                service_duration=stop.service,
                tw_early=window.start,
                tw_late=latest_start,
                prize=prize,
                required=False,
                group=group,
                name=f"{stop.key}@{window.start}",
            )
            copies.append((stop, window))
    for i, frm in enumerate(locations):
        for j, to in enumerate(locations):
            if i != j:
                model.add_edge(frm, to, distance=problem.distances[i][j], duration=problem.durations[i][j])
    from pyvrp import SolveParams
    from pyvrp.search import NeighbourhoodParams

    # Many copies share a place: a wider granular neighbourhood than PyVRP's default (50) lets the search see the
    # copies of other stops on the same half-day, which it needs to fill every slot of a week.
    clients = len(copies)
    neighbours = neighbours or min(max(clients - 1, 1), NEIGHBOURS)
    params = SolveParams(neighbourhood=NeighbourhoodParams(num_neighbours=neighbours))
    initial = _initial_solution(model.data(), problem, copies)
    result = model.solve(_Clock(seconds, progress), seed=seed, display=False, params=params, initial_solution=initial)
    best = result.best
    tours, served = [], set()
    for route in best.routes():
        vehicle = problem.vehicles[route.vehicle_type()]
        visits = []
        for activity in route.schedule():
            if not activity.is_client():
                continue
            stop, window = copies[activity.idx]  # the index among clients
            visits.append(
                Visit(stop.key, window, activity.start_time, activity.start_time, activity.start_time + stop.service)
            )
            served.add(stop.key)
        tours.append(
            Tour(vehicle.key, visits, route.start_time(), route.end_time(), route.distance(), route.duration())
        )
    tours.sort(key=lambda t: t.start)
    dropped = [(s.key, _reason(problem, s)) for s in problem.stops if s.key not in served]
    plan = Plan(tours=tours, dropped=dropped, feasible=best.is_feasible())
    plan.moved = moved(problem, plan)
    return plan


def _initial_solution(data, problem: Problem, copies):
    """``problem.start`` as a feasible PyVRP solution, or None when there is nothing to start from.

    A visit whose stop or half-day is gone is left out; a tour that no longer fits its day (a shorter shift, a
    longer service) loses its last visits until it fits. PyVRP keeps the best solution it has seen, so the plan it
    returns is never worse than this start.
    """
    if not problem.start:
        return None
    from pyvrp import Route, Solution

    client = {(stop.key, window): index for index, (stop, window) in enumerate(copies)}
    vehicle_type = {vehicle.key: index for index, vehicle in enumerate(problem.vehicles)}
    routes, used = [], set()
    for key, visits in problem.start.items():
        if key not in vehicle_type:
            continue
        route = []
        for stop_key, window in visits:
            if (stop_key, window) in client and stop_key not in used:
                route.append(client[stop_key, window])
                used.add(stop_key)
        while route and not Route(data, route, vehicle_type[key]).is_feasible():
            used.discard(copies[route.pop()][0].key)
        if route:
            routes.append(Route(data, route, vehicle_type[key]))
    if not routes:
        return None
    # Each route is feasible and each stop used once; a stop forced in (``force``) may still be missing: the search
    # starts from there and inserts it.
    solution = Solution(data, routes)
    return solution if solution.is_feasible() or not solution.is_complete() else None


def routes_of(plan: Plan) -> dict[str, list[tuple[str, Window]]]:
    """A plan's tours in the form of ``Problem.start``."""
    return {tour.vehicle: [(v.stop, v.window) for v in tour.visits] for tour in plan.tours}


def _reason(problem: Problem, stop: Stop) -> str:
    """Why a stop has no visit, in French: no half-day reachable at all, or not enough bus time this period."""
    reachable = False
    for window in stop.windows:
        for vehicle in problem.vehicles:
            there = problem.durations[vehicle.depot][stop.location]
            back = problem.durations[stop.location][vehicle.depot]
            start = max(window.start, vehicle.start + there)
            if start + stop.service <= window.end and start + stop.service + back <= vehicle.end:
                reachable = True
    if not stop.windows:
        return "Aucune demi-journée n'est autorisée pour cet arrêt."
    if not reachable:
        return "Aucune demi-journée autorisée ne tombe pendant un service du bus, trajet depuis le dépôt compris."
    return (
        "Le temps de bus de la période est épuisé par des arrêts qui pèsent plus (population, éloignement, irritants)."
    )


def force(problem: Problem, plan: Plan, key: str, *, seconds: float, seed: int = 1) -> Plan:
    """The best plan found with stop ``key`` required, starting from ``plan``: what serving it would cost (which
    stops would leave, which would move). ``feasible`` is False when even then it fits in no tour."""
    stops = [dataclasses.replace(s, required=s.key == key) for s in problem.stops]
    with warnings.catch_warnings():
        # PyVRP warns when its penalties reach their bound: here, that the forced stop fits nowhere (the answer).
        warnings.simplefilter("ignore")
        forced = solve(dataclasses.replace(problem, stops=stops, start=routes_of(plan)), seconds=seconds, seed=seed)
    if key not in forced.served:
        forced.feasible = False
    return forced


def moved(problem: Problem, plan: Plan) -> list[tuple[str, Window | None, Window]]:
    """Stops whose half-day changed since the previous plan: (stop, before, after)."""
    now = {v.stop: v.window for t in plan.tours for v in t.visits}
    return [
        (s.key, s.previous, now[s.key])
        for s in problem.stops
        if s.key in now and s.previous is not None and s.previous != now[s.key]
    ]


def with_previous(problem: Problem, plan: Plan) -> Problem:
    """The same problem, each stop remembering the half-day ``plan`` gave it (to re-plan stably)."""
    now = {v.stop: v.window for t in plan.tours for v in t.visits}
    stops = [dataclasses.replace(s, previous=now.get(s.key)) for s in problem.stops]
    return dataclasses.replace(problem, stops=stops, start=routes_of(plan))
