#!/usr/bin/env python
"""Benchmark: PyVRP on Solomon VRPTW instances, then the real Cahors week of the itinerant bus.

    .venv/bin/python bench/tours.py [INSTANCE_FILE...] [--seconds 60] [--cahors-seconds 5]

Solomon instances (default: data/reference/solomon/*.txt, copied from shared/data/solomon): hierarchical objective,
fewest vehicles first (a fixed cost per vehicle far above any distance), then total Euclidean distance. PyVRP works
on integers: distances are scaled by 1,000 and rounded; the distance printed is recomputed in double precision
from the routes found. One line per instance, ``NAME vehicles=V distance=D seconds=S``, then the gap to the
best-known value where it is known.

The Cahors case: the 59 communes of the living area as candidate stops, one bus based at the France services bus
base in Cahors, five days of 8:00–18:00 (9 hours' work at most), morning (9:00–12:00) and afternoon (14:00–17:00)
half-days, 2 h 30 on site, travel times by straight line × 1.3 at 50 km/h; each commune weighs its population.
Prints the time and the population served.
"""

import argparse
import csv
import itertools
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEST_KNOWN = {"C101": (10, 828.94), "R101": (19, 1650.80), "RC101": (14, 1696.95)}
SCALE = 1000
VEHICLE_COST = 10**9


def read_solomon(path: Path):
    lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    name = lines[0][0]
    vehicles_at = next(i for i, row in enumerate(lines) if row[0] == "VEHICLE")
    number, capacity = int(lines[vehicles_at + 2][0]), int(lines[vehicles_at + 2][1])
    customers_at = next(i for i, row in enumerate(lines) if row[0] == "CUSTOMER")
    nodes = [tuple(float(v) for v in row) for row in lines[customers_at + 2 :] if len(row) == 7]
    return name, number, capacity, nodes


def solve_solomon(path: Path, seconds: float) -> str:
    from pyvrp import Model, minimise_fleet, solve
    from pyvrp.stop import MaxRuntime

    name, number, capacity, nodes = read_solomon(path)
    model = Model()
    locations = [model.add_location(x=n[1], y=n[2]) for n in nodes]
    depot = model.add_depot(locations[0], tw_early=int(nodes[0][4]), tw_late=int(nodes[0][5]) * SCALE)
    model.add_vehicle_type(
        number,
        capacity=capacity,
        start_depot=depot,
        end_depot=depot,
        fixed_cost=VEHICLE_COST,
        tw_early=int(nodes[0][4]) * SCALE,
        tw_late=int(nodes[0][5]) * SCALE,
    )
    for n in nodes[1:]:
        model.add_client(
            locations[int(n[0])],
            delivery=int(n[3]),
            service_duration=int(n[6]) * SCALE,
            tw_early=int(n[4]) * SCALE,
            tw_late=int(n[5]) * SCALE,
        )

    def euclid(a, b):
        return math.hypot(a[1] - b[1], a[2] - b[2])

    for i, a in enumerate(nodes):
        for j, b in enumerate(nodes):
            if i != j:
                scaled = round(euclid(a, b) * SCALE)
                model.add_edge(locations[i], locations[j], distance=scaled, duration=scaled)
    start = time.perf_counter()
    # Fewest vehicles first: a fleet-minimisation phase on a third of the budget finds the smallest fleet that
    # still admits a feasible plan, then the rest of the budget minimises distance with that fleet.
    data = model.data()
    fleet = minimise_fleet(data, MaxRuntime(seconds / 3), seed=1)
    data = data.replace(vehicle_types=[fleet])
    remaining = max(seconds - (time.perf_counter() - start), 1)
    result = solve(data, MaxRuntime(remaining), seed=1, display=False)
    elapsed = time.perf_counter() - start
    best = result.best
    distance = 0.0
    for route in best.routes():
        path_nodes = [0] + [nodes[a.idx + 1][0] for a in route.schedule() if a.is_client()] + [0]
        distance += sum(euclid(nodes[int(p)], nodes[int(q)]) for p, q in itertools.pairwise(path_nodes))
    line = f"{name} vehicles={best.num_routes()} distance={distance:.2f} seconds={elapsed:.1f}"
    if not best.is_feasible():
        line += " INFAISABLE"
    if name in BEST_KNOWN:
        vehicles, known = BEST_KNOWN[name]
        line += (
            f" best_known_vehicles={vehicles} best_known_distance={known} gap={(distance - known) / known * 100:+.2f}%"
        )
    return line


def cahors_case(seconds: float) -> None:
    from carteblanche.mobility.matrix import estimated
    from carteblanche.mobility.solver import DAY, Problem, Stop, Vehicle, Window, solve

    with open(ROOT / "data/reference/communes_lot.csv", encoding="utf-8") as f:
        communes = [row for row in csv.DictReader(f) if row["bv2012_code"] == "46042"]
    with open(ROOT / "data/reference/service_sites_lot.csv", encoding="utf-8") as f:
        base = next(row for row in csv.DictReader(f) if row["site_id"] == "fs-262")
    points = [(float(base["latitude"]), float(base["longitude"]))]
    points += [(float(c["latitude"]), float(c["longitude"])) for c in communes]
    durations, distances = estimated(points)
    half_days = [
        Window(day * DAY + start, day * DAY + end) for day in range(5) for start, end in ((540, 720), (840, 1020))
    ]
    stops = [Stop(c["code_insee"], i + 1, 150, half_days, weight=int(c["population"])) for i, c in enumerate(communes)]
    vehicles = [Vehicle(f"bus/{d}", 0, d * DAY + 480, d * DAY + 1080, max_minutes=540) for d in range(5)]
    start = time.perf_counter()
    plan = solve(Problem(durations, distances, stops, vehicles), seconds=seconds)
    elapsed = time.perf_counter() - start
    population = {c["code_insee"]: int(c["population"]) for c in communes}
    served = sum(population[key] for key in plan.served)
    total = sum(population.values())
    print(
        f"cahors communes={len(communes)} served_communes={len(plan.served)} served_population={served} "
        f"of={total} seconds={elapsed:.1f} feasible={plan.feasible}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", type=Path)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--cahors-seconds", type=float, default=5)
    args = parser.parse_args()
    instances = args.instances or sorted((ROOT / "data/reference/solomon").glob("*.txt"))
    for path in instances:
        print(solve_solomon(path, args.seconds), flush=True)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    cahors_case(args.cahors_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
