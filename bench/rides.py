#!/usr/bin/env python
"""Benchmark: matching solidarity-ride requests against volunteer drivers.

    .venv/bin/python bench/rides.py [--requests 1000] [--drivers 200] [--seed 1]

Drivers live in the 59 communes of the Cahors living area (real coordinates, data/reference/communes_lot.csv), accept
a perimeter of 15 to 40 km, are free on 3 to 8 half-days of the week (Monday to Saturday), one in ten takes a
wheelchair. Requests spread over two weeks between 8:00 and 17:00, from a random commune to Cahors (two in three) or to
another commune, one in ten with a wheelchair, one in five with a preferred driver; half wait on site, a quarter are
one-way. ``match_all`` ranks the three best drivers for each request, earliest first, booking each first choice (its
time and its load) before the next request. Prints the time, the share matched and the peak memory of the matching.
"""

import argparse
import csv
import datetime
import random
import sys
import time
import tracemalloc
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carteblanche.mobility.matching import DriverInfo, RequestInfo, match_all  # noqa: E402

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HALF_DAYS = [f"{day}-{half}" for day in range(6) for half in ("am", "pm")]


def communes():
    with open(ROOT / "data/reference/communes_lot.csv", encoding="utf-8") as f:
        return [
            (row["nom"], float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(f)
            if row["bv2012_code"] == "46042"
        ]


def make(requests: int, drivers: int, seed: int):
    rng = random.Random(seed)
    places = communes()
    cahors = next(p for p in places if p[0] == "Cahors")
    driver_list = []
    for i in range(drivers):
        _, lat, lon = rng.choice(places)
        driver_list.append(
            DriverInfo(
                id=i + 1,
                latitude=lat,
                longitude=lon,
                perimeter_km=rng.randint(15, 40),
                availability=frozenset(rng.sample(HALF_DAYS, rng.randint(3, 8))),
                wheelchair=rng.random() < 0.1,
                recent_rides=rng.randint(0, 4),
            )
        )
    monday = datetime.datetime(2026, 11, 30, tzinfo=PARIS)
    request_list = []
    for i in range(requests):
        _, lat, lon = rng.choice(places)
        destination = cahors if rng.random() < 2 / 3 else rng.choice(places)
        day = rng.randrange(12)
        start = monday + datetime.timedelta(days=day + day // 6, hours=rng.randint(8, 16), minutes=rng.choice([0, 30]))
        kind = rng.random()
        end = start + datetime.timedelta(minutes=30 if kind < 0.25 else rng.choice([90, 120, 150]))
        request_list.append(
            RequestInfo(
                id=i + 1,
                origin=(lat, lon),
                destination=(destination[1], destination[2]),
                start=start,
                end=end,
                round_trip=kind >= 0.25,
                wheelchair=rng.random() < 0.1,
                preferred=rng.randint(1, drivers) if rng.random() < 0.2 else None,
            )
        )
    return request_list, driver_list


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--drivers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    requests, drivers = make(args.requests, args.drivers, args.seed)
    started = time.perf_counter()
    result = match_all(requests, drivers, limit=3)
    elapsed = time.perf_counter() - started
    # Memory in a second run, as tracemalloc slows Python down.
    requests, drivers = make(args.requests, args.drivers, args.seed)
    tracemalloc.start()
    match_all(requests, drivers, limit=3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    matched = sum(1 for candidates in result.values() if candidates)
    firsts = [c[0].driver for c in result.values() if c]
    busiest = max((firsts.count(d.id) for d in drivers), default=0)
    print(
        f"rides requests={len(requests)} drivers={len(drivers)} matched={matched} "
        f"no_solution={len(requests) - matched} seconds={elapsed:.2f} "
        f"ms_per_request={elapsed / len(requests) * 1000:.2f} busiest_driver_rides={busiest} "
        f"peak_kib={peak // 1024}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
