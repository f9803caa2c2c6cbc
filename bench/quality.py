#!/usr/bin/env python
"""Benchmark: published quality pages with 100,000 answers and 20,000 visits, and answers under concurrent posts.

    .venv/bin/python bench/quality.py [--repeat 30] [--answers 100000] [--visits 20000] [--posters 20]
                                      [--database sqlite|postgresql|both]

On a fresh database with the demo (see bench/common.py), the Cahors structures get ``--answers`` answers and
``--visits`` visits spread over two years. Measured through Django's test client (middleware, templates, queries):
a structure's public page and the territory page, each with nothing in the cache (every quarter recounted: the
first reader of the day), after a change (the page rendered again, the closed quarters memorised) and as served
from the cache. Then ``--posters`` threads post
answers at once through the personal-link questionnaire, every link posted twice by two threads: each link must
count once, none lost. Last line: ``page_p95_ms=P answers_per_second=A lost_answers=L double_counted=D`` (P: the
slower of the two pages with nothing in the cache).
"""

import argparse
import datetime
import logging
import random
import sys
import threading
import time

from common import Timer, fetcher, run_per_database, setup_django


def _fill(answers: int, visits: int) -> list:
    from django.utils import timezone

    from carteblanche.quality.enums import AnswerChannel, Satisfaction, Subject, VisitOutcome
    from carteblanche.quality.models import Answer, Structure, Visit, quarter_of, week_of

    rng = random.Random(16)
    structures = list(Structure.objects.filter(territory__slug="bassin-de-vie-de-cahors"))
    now = timezone.now()
    batch = []
    for i in range(answers):
        at = now - datetime.timedelta(minutes=rng.randint(1, 2 * 365 * 24 * 60))
        batch.append(
            Answer(
                structure=structures[i % len(structures)],
                channel=rng.choice(AnswerChannel.values),
                answered_at=at,
                quarter=quarter_of(at),
                satisfaction=rng.choice(Satisfaction.values),
                comprehension=rng.choice([None, 1, 2, 3, 4, 5]),
                help_tried=["telephone"],
                help_reached=rng.random() < 0.7,
                help_quality=rng.randint(1, 5),
            )
        )
    Answer.objects.bulk_create(batch, batch_size=5000)
    batch = []
    for i in range(visits):
        at = now - datetime.timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60))
        wait = int(rng.expovariate(1 / 12))
        outcome = rng.choice(VisitOutcome.values)
        batch.append(
            Visit(
                structure=structures[i % len(structures)],
                arrived_at=at,
                quarter=quarter_of(at),
                week=week_of(at),
                seen_at=at + datetime.timedelta(minutes=wait),
                wait_minutes=wait,
                done_at=at + datetime.timedelta(minutes=wait + 15),
                subject=rng.choice(Subject.values),
                outcome=outcome,
                referred_label="CPAM du Lot" if outcome == VisitOutcome.REFERRED else "",
                answer_due_on=(at + datetime.timedelta(days=10)).date() if outcome == VisitOutcome.REFERRED else None,
            )
        )
    Visit.objects.bulk_create(batch, batch_size=5000)
    _analyze()
    return structures


def _analyze() -> None:
    """The statistics the planner reads, as a database in service has them (autovacuum, or SQLite's ANALYZE after
    a big import): without them, a freshly filled table is read by a slower plan."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("quality_answer", "quality_visit"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def _pages(timer, structures, repeat):
    from django.core.cache import cache
    from django.test import Client

    from carteblanche.core import public_cache

    client = Client()
    fetch = fetcher(client)
    slug = structures[0].territory.slug
    pages = [
        ("page d'une structure", structures[0].get_public_url()),
        ("page du territoire (5 structures)", f"/qualite/{slug}/"),
    ]
    p95s = []
    for name, url in pages:
        fetch(url)

        def cold(url=url):
            cache.clear()  # nothing kept: the first reader of the day, or after a restart of Redis
            return fetch(url)

        def changed(url=url):
            public_cache.invalidate("quality")  # the team published something: the page is rendered again
            return fetch(url)

        p95s.append(timer.measure(f"{name}, tout recalculé", cold)[1])
        timer.measure(f"{name}, après un changement", changed)
        timer.measure(f"{name}, depuis le cache", lambda url=url: fetch(url))
    return max(p95s)


def _posts(structures, threads: int, per_thread: int) -> tuple[float, int, int, int]:
    """``threads`` threads post at once; every link is posted by two of them. Answers a second, lost, doubled."""
    from django.db import connection
    from django.test import Client

    from carteblanche.core import links
    from carteblanche.quality import services
    from carteblanche.quality.enums import Subject, VisitOutcome
    from carteblanche.quality.models import Answer

    structure = structures[0]
    tokens = []
    for _ in range(threads * per_thread // 2):
        visit = services.visit_arrive(structure=structure, subject=Subject.FAMILY, actor=None)
        services.visit_done(visit=visit, outcome=VisitOutcome.SOLVED)
        tokens.append(links.issue(purpose=services.SURVEY_PURPOSE, target=visit))
    # Thread k posts tokens k/2 + j·threads/2: each token is posted by exactly two threads, at about the same time.
    plans = [[tokens[(k // 2 + j * threads // 2) % len(tokens)] for j in range(per_thread)] for k in range(threads)]
    before = Answer.objects.filter(structure=structure, channel="lien").count()
    barrier, errors = threading.Barrier(threads), []

    def post(plan):
        client = Client()
        barrier.wait()
        for token in plan:
            response = client.post(f"/avis/lien/{token}/", {"satisfaction": "good", "comprehension": "4"})
            # 302: counted; 404: the link was already used; 200 with « déjà servi »: used in between.
            refused = response.status_code == 200 and "déjà servi" in response.content.decode()
            if response.status_code not in (302, 404) and not refused:
                errors.append(response.status_code)
        connection.close()

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the refused second posts are expected
    workers = [threading.Thread(target=post, args=(plan,)) for plan in plans]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    recorded = Answer.objects.filter(structure=structure, channel="lien").count() - before
    used = sum(1 for token in tokens if links.find(token, purpose=services.SURVEY_PURPOSE) is None)
    lost = len(tokens) - recorded if recorded < len(tokens) else 0
    doubled = recorded - used if recorded > used else 0
    if errors:
        print(f"erreurs HTTP : {sorted(set(errors))} ({len(errors)})")
    return recorded / elapsed, lost, doubled, len(tokens)


def child(repeat: int, answers: int, visits: int, posters: int) -> None:
    setup_django()
    from django.db import connection

    started = time.perf_counter()
    structures = _fill(answers, visits)
    print(
        f"database={connection.vendor} answers={answers} visits={visits} repeat={repeat} "
        f"remplissage={time.perf_counter() - started:.0f}s"
    )
    timer = Timer(repeat)
    page_p95 = _pages(timer, structures, repeat)
    per_second, lost, doubled, tokens = _posts(structures, posters, 10)
    print(f"{posters} envois simultanés, {tokens} liens postés deux fois chacun")
    print(
        f"page_p95_ms={page_p95:.0f} answers_per_second={per_second:.0f} lost_answers={lost} double_counted={doubled}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--posters", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    extra = ["--repeat", str(args.repeat), "--answers", str(args.answers), "--visits", str(args.visits)]
    extra += ["--posters", str(args.posters)]
    if args.child:
        child(args.repeat, args.answers, args.visits, args.posters)
        return 0
    return run_per_database(__file__, args.database, extra)


if __name__ == "__main__":
    sys.exit(main())
