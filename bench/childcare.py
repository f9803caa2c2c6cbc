#!/usr/bin/env python
"""Benchmark: childcare needs at staggered hours matched against the childminders and structures of the Lot.

    .venv/bin/python bench/childcare.py [--needs 2000] [--childminders 400] [--structures 20] [--seed 18]

The 312 communes of the Lot (``data/reference/communes_lot.csv``, INSEE and IGN, Licence Ouverte) and the
travel times the bus planner estimates between them (``mobility.matrix.estimated``: straight line × road factor at
the average speed). Childminders and families are placed by population; childminders get an agrément of 2 to 4,
the children they already keep (and sometimes their own), their declared hours; structures are crèches and
micro-crèches (3 months to 3 years, most places taken, two of every crèche's kept for the AVIP priority) and
after-school care (3 to 11 years) in the larger towns. Needs mix office hours, staggered shifts (6 h 30 – 14 h /
12 h – 20 h, as Sarah's), evenings to 22 h and Saturdays; one in six has a particular week (rotating shifts: a week
of evenings until 23 h, three weeks after the start), one in ten the AVIP priority (a job seeker with a hiring
promise).

Each need goes through ``matching.propose`` without its final check; then ``law.check`` — the separate checker —
reads every proposal over two real weeks with the childminder's other children. Printed: the share of needs fully
covered by the best proposal, the mean daily travel of the best proposals, the time per need, and the proposals the
law refuses. Last line: ``needs=N covered_share=C mean_travel_min=T ms_per_need=M legal_violations=V``.
"""

import argparse
import csv
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carteblanche.childcare import law, matching, patterns  # noqa: E402
from carteblanche.childcare.matching import Kept, Offer  # noqa: E402
from carteblanche.mobility.matrix import estimated  # noqa: E402

START = datetime.date(2027, 1, 11)  # a Monday: every need starts then, so the runs compare
TOWNS = ("46042", "46102", "46127", "46309", "46083", "46128", "46201", "46240", "46311", "46157")


def communes():
    with open(ROOT / "data" / "reference" / "communes_lot.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (r["code_insee"], r["nom"], int(r["population"]), float(r["latitude"]), float(r["longitude"])) for r in rows
    ]


def week(days, start, end):
    return patterns.slots_of({str(d): [[start, end]] for d in days})


def childminders(rng, places, weights, count):
    found = []
    for key in range(count):
        commune = rng.choices(places, weights)[0]
        early = rng.random() < 0.35
        late = rng.random() < 0.3
        days = list(range(5)) + ([5] if rng.random() < 0.15 else [])
        night = rng.random() < 0.1  # her agrément allows the night: she opens until midnight
        opening = week(days, 12 if early else 15, 48 if night else 42 if late else 38)
        kept = []
        capacity = rng.choice([2, 3, 4, 4, 4])
        for i in range(rng.randint(0, capacity - 1)):
            start = rng.choice([15, 16, 17, 18])
            kept.append(
                Kept(
                    law.Child(f"k{key}-{i}", START - datetime.timedelta(days=rng.randint(120, 1500))),
                    week(rng.sample(range(5), rng.randint(2, 5)), start, start + rng.randint(10, 20)),
                )
            )
        if rng.random() < 0.3:
            kept.append(
                Kept(
                    law.Child(f"own{key}", START - datetime.timedelta(days=rng.randint(300, 4000)), own=True),
                    week(range(5), 33, 40) | week([2, 5, 6], 16, 40),
                )
            )
        found.append(
            Offer(
                key,
                f"Assistante maternelle {key}",
                commune,
                True,
                capacity,
                opening,
                kept=tuple(kept),
                night=night,
                hourly_cost=round(rng.uniform(3.8, 5.5), 2),
                max_age_months=132,
            )
        )
    return found


def structures(rng, codes, count):
    found = []
    for i in range(count):
        commune = codes[i % len(codes)]
        if i % 3 == 2:
            found.append(
                Offer(
                    10_000 + i,
                    f"Périscolaire {i}",
                    commune,
                    False,
                    60,
                    week(range(5), 14, 17) | week(range(5), 33, 37),
                    hourly_cost=1.2,
                    min_age_months=36,
                    max_age_months=132,
                )
            )
        else:
            found.append(
                Offer(
                    10_000 + i,
                    f"Crèche {i}",
                    commune,
                    False,
                    30,
                    week(range(5), 15, 37),
                    kept=tuple(
                        Kept(law.Child(f"c{i}-{k}", START - datetime.timedelta(days=400)), week(range(5), 16, 34))
                        for k in range(rng.randint(20, 30))
                    ),
                    hourly_cost=2.0,
                    min_age_months=3,
                    max_age_months=36,
                    reserved=2,
                )
            )
    return found


def needs(rng, places, weights, count):
    found = []
    for _ in range(count):
        shape = rng.random()
        if shape < 0.45:  # office hours
            slots = week(range(5), rng.choice([16, 17]), rng.choice([34, 35, 36]))
        elif shape < 0.8:  # staggered shifts, as Sarah's
            days = rng.sample(range(6), rng.randint(3, 5))
            slots = frozenset().union(*(week([d], 13, 28) if rng.random() < 0.5 else week([d], 24, 40) for d in days))
        else:  # evenings until 22 h
            slots = week(rng.sample(range(5), rng.randint(2, 4)), 28, 44)
        child = law.Child("nouveau", START - datetime.timedelta(days=rng.randint(90, 2900)))
        weeks = ((START + datetime.timedelta(days=21), week(range(5), 30, 46)),) if rng.random() < 1 / 6 else ()
        found.append((rng.choices(places, weights)[0], child, slots, weeks, rng.random() < 0.1))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=2000)
    parser.add_argument("--childminders", type=int, default=400)
    parser.add_argument("--structures", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows = communes()
    index = {code: i for i, (code, *_rest) in enumerate(rows)}
    minutes, _ = estimated([(lat, lon) for *_x, lat, lon in rows])
    places = [code for code, *_rest in rows]
    weights = [population for _c, _n, population, *_rest in rows]
    offers = childminders(rng, places, weights, args.childminders) + structures(rng, list(TOWNS), args.structures)
    offers = [Offer(**{**o.__dict__, "commune_id": index[o.commune_id]}) for o in offers]
    wanted = needs(rng, places, weights, args.needs)

    def travel(a, b):
        return minutes[a][b]

    started = time.perf_counter()
    results = []
    for commune, child, slots, weeks, priority in wanted:
        results.append(
            matching.propose(
                slots,
                child,
                START,
                offers,
                home_commune=index[commune],
                travel=travel,
                max_travel=20,
                checked=False,
                priority=priority,
                weeks=weeks,
            )
        )
    elapsed = time.perf_counter() - started
    violations = sum(
        bool(matching.verify(s, child, START))
        for (_, child, *_rest), found in zip(wanted, results, strict=True)
        for s in found
    )
    proposals = sum(len(found) for found in results)
    best = [found[0] for found in results if found]
    covered = sum(1 for s in best if s.coverage == 1.0) / len(wanted)
    travel_min = statistics.mean(s.travel_minutes for s in best) if best else 0.0
    combined = sum(1 for s in best if len(s.offers) > 1)
    particular = [found[0] for (*_x, weeks, _p), found in zip(wanted, results, strict=True) if weeks and found]
    print(
        f"communes du Lot : {len(rows)} ; assistantes maternelles : {args.childminders} ; "
        f"structures : {args.structures}"
    )
    print(
        f"besoins : {len(wanted)} ; avec au moins une proposition : {len(best)} ; "
        f"meilleure solution combinée : {combined}"
    )
    print(
        f"besoins avec une semaine particulière : {sum(1 for w in wanted if w[3])} ; "
        f"entièrement couverts : {sum(1 for s in particular if s.coverage == 1.0)}"
    )
    print(f"propositions lues par law.check : {proposals} ; refusées : {violations} ; temps total {elapsed:.1f} s")
    print(
        f"needs={len(wanted)} covered_share={covered:.3f} mean_travel_min={travel_min:.1f} "
        f"ms_per_need={elapsed / len(wanted) * 1000:.1f} legal_violations={violations}"
    )


if __name__ == "__main__":
    main()
