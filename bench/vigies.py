#!/usr/bin/env python
"""Benchmark: a heat-wave campaign in the production shape, 30 agents calling the register's people at once.

    .venv/bin/python bench/vigies.py [--agents 30] [--people 3000] [--seconds 60] [--workers 3]
                                     [--call-seconds 4 12]

The production shape of bench/load.py (gunicorn, Celery, Redis, a fresh PostgreSQL database: carteblanche_vigies,
dropped at the end; everything it starts is stopped, also on Ctrl-C or error), then, in a ``manage.py shell``:
a register of ``--people`` people (the demo's 8 and fictitious ones) over the 59 communes of the Cahors demo
territory (by population, at least 3 a commune; priorities 1 to 3), ``--agents`` agents like the demo's France
services agent (an agent of « Grand Cahors (communauté d'agglomération) », a local authority: she may call) and a
heat-wave plan over the 59 communes (``register.campaign_start``). Each agent logs in over HTTP with her password
and TOTP, as in production.

For ``--seconds``, each agent loops as a caller does (locust, one gevent process, sharing the cores with the
server): she reads the call list (« à appeler »; one time in three for one commune; one time in five « à
rappeler » once some are), picks one of its first 5 rows (so that agents collide), phones (``--call-seconds``:
4 to 12 s, a real call lasts minutes), posts the outcome with the attempt number her page showed and a unique
marker in ``note``, follows the redirect (a second read of the list, timed as one) and reads the message:
« Appel noté » is acknowledged, « vient de noter » told (a colleague was first: nothing written, not a loss);
then 1 to 3 s before the next call. A call sent whose answer was not read (an error, or the load stopping in
its middle) is neither.

At the end, in the database: ``lost_calls`` counts acknowledged markers in no call's note; ``duplicate_calls``
counts (campaign, person, attempt) recorded more than once, markers found more than once, people with more calls
than distinct attempts, and calls written though their agent was told they were not (she would call again).
Last line: ``page_p95_ms=P lost_calls=L duplicate_calls=D``, P over every read of the list (both kinds) during
the load, the concurrent writes included.
"""

# ruff: noqa: E402 (gevent patches the standard library before anything imports it, as locust needs)
from gevent import monkey

monkey.patch_all()

import argparse
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import gevent
import load
from common import percentile
from locust import between, task

DB_NAME = "carteblanche_vigies"
READ, AFTER, POST = "liste d'appels — lecture", "liste d'appels — retour après l'appel", "appel — enregistrement"
# What agents answer, as a heat wave goes: most reached and well, some not reached, a few needing a visit.
OUTCOMES = {"va_bien": 6, "injoignable": 3, "visite": 1}
DATA: dict = {}
TALLY: dict = {"sent": set(), "acknowledged": set(), "told": set(), "again": 0}
READS: list[tuple[float, float]] = []  # each read of the list: (seconds since the load started, ms it took)
RAMP = 10  # the agents start within 5 s and all open the list at once: seconds left out of the steady p95
SETUP = (
    load.CLONES
    + r"""
import json, os, random
from django.utils import timezone
from carteblanche.territories.models import Commune
from carteblanche.vigies import register
from carteblanche.vigies.enums import PlanKind, RegisterCategory, RegisterSource
from carteblanche.vigies.models import RegisterEntry

FIRST = ("Jeanne Marcel Germaine Raymond Odette René Paulette Lucien Yvette André Simone Roger Marguerite Henri "
         "Denise Georges Suzanne Marcelle Fernand Huguette Gilberte Robert Lucienne Albert Colette Pierre "
         "Madeleine Louis Renée Jean").split()
LAST = ("Lacoste Delpech Bouyssou Lafon Vayssière Cazals Delmas Lagarrigue Marty Pélissié Calmon Fourès Lacroix "
        "Rességuier Cammas Bessières Couderc Gineste Laborie Massabie Pouzergues Salgues Vialard Teulières "
        "Austruy Bergougnoux Carrié Fabre Garrigou Combarieu").split()
STREETS = ("rue des Tilleuls", "chemin de la Fontaine", "place de l'Église", "route de Cahors", "impasse des Vignes",
           "rue du Lot", "allée des Platanes", "chemin des Combes", "rue de la Mairie", "lieu-dit Las Cazes")
SERVICES = ("", "", "Aide à domicile", "Portage de repas", "Infirmière", "Aide à domicile, portage de repas")
rng = random.Random(19)
territory, agents = clones("agent.franceservices@demo.carteblanche.fr", "vigie", int(os.environ["BENCH_AGENTS"]))
assert territory.slug == "bassin-de-vie-de-cahors", territory.slug
communes = list(Commune.objects.filter(territories=territory).order_by("-population", "name"))
demo = RegisterEntry.objects.filter(territory=territory).count()  # the demo's few people
people, total = int(os.environ["BENCH_PEOPLE"]) - demo, sum(c.population for c in communes)
shares = [max(3, people * c.population // total) for c in communes]
shares[0] += people - sum(shares)  # the rest to the largest commune
now, entries = timezone.now(), []
for commune, share in zip(communes, shares):
    for i in range(share):
        source = rng.choices(list(RegisterSource), weights=(5, 2, 2, 1))[0]
        contact = rng.random() < 0.6
        entries.append(RegisterEntry(
            territory=territory, commune=commune, first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
            category=rng.choices(list(RegisterCategory), weights=(8, 1, 2))[0],
            address=f"{rng.randrange(1, 60)} {rng.choice(STREETS)}",
            phone=f"05 65 {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d}",
            contact_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}" if contact else "",
            contact_phone=f"06 {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d} 00"
            if contact else "",
            home_services=rng.choice(SERVICES), source=source, priority=rng.choice((1, 2, 2, 3, 3)),
            agreed_at=now if source in (RegisterSource.SELF, RegisterSource.THIRD_PARTY) else None,
            informed_at=None if source in (RegisterSource.SELF, RegisterSource.THIRD_PARTY) else now,
        ))
RegisterEntry.objects.bulk_create(entries, batch_size=500)
prefecture = User.objects.get(email="prefecture@demo.carteblanche.fr")
campaign = register.campaign_start(territory=territory, kind=PlanKind.HEAT, communes=communes, by=prefecture)
print("BENCH=" + json.dumps({"territory": territory.slug, "campaign": campaign.pk, "agents": agents,
      "communes": [c.pk for c in communes], "people": RegisterEntry.objects.filter(territory=territory).count(),
      "demo": demo,
      "largest": [communes[0].name, shares[0]], "smallest": min(shares)}))
"""
)
VERIFY = r"""
import json, os, re
from collections import Counter
from django.db.models import Count, F, Max
from carteblanche.vigies.models import Call

calls = Call.objects.filter(campaign_id=int(os.environ["BENCH_CAMPAIGN"]))
same_attempt = [row["n"] for row in calls.values("entry", "attempt").annotate(n=Count("pk")).filter(n__gt=1)]
per_person = calls.values("entry").annotate(rows=Count("pk"), attempts=Count("attempt", distinct=True),
                                            last=Max("attempt"))
markers = Counter(m for note in calls.values_list("note", flat=True) for m in re.findall(r"\[appel-[^\]]+\]", note))
print("BENCH=" + json.dumps({
    "rows": calls.count(), "people": per_person.count(), "same_attempt": sum(n - 1 for n in same_attempt),
    "more_rows_than_attempts": per_person.filter(rows__gt=F("attempts")).count(),
    "gaps": per_person.exclude(last=F("rows")).count(), "markers": markers,
    "attempts": dict(Counter(calls.values_list("attempt", flat=True))),
    "outcomes": dict(Counter(calls.values_list("outcome", flat=True))),
}))
"""


class CallForms(load.Forms):
    """The forms of the page down to its ``rows``-th call form (what the agent looks at; the parser, in pure
    Python, shares the cores with the server), as load.Forms reads them, with where each one posts."""

    def __init__(self, html: str, rows: int = 5):
        self.actions: list[str] = []
        end = 0
        for _ in range(rows):
            action = html.find("/appels/", end)
            end = html.find("</form>", action) + len("</form>") if action >= 0 else len(html)
        super().__init__(html[:end])

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.actions.append(dict(attrs).get("action", ""))
        super().handle_starttag(tag, attrs)

    def rows(self) -> list[tuple[str, dict]]:
        """The call forms, in the list's order: (where it posts, its fields)."""
        return [(a, f) for a, f in zip(self.actions, self.forms, strict=True) if "/appels/" in a and "attempt" in f]


class Caller(load.LoggedIn):
    """An agent at her phone, the call list open in her browser."""

    wait_time = between(1, 3)  # between two calls: the next number found and dialled
    call_seconds = (4.0, 12.0)
    load_started = 0.0

    def call(self, name, path, data=None, expect=200):
        started = time.monotonic()
        answer = super().call(name, path, data, expect)
        if name in (READ, AFTER):
            READS.append((started - self.load_started, (time.monotonic() - started) * 1000))
        return answer

    @task
    def call_next(self):
        again = TALLY["again"] and random.random() < 0.2
        query = {"etat": "a_rappeler" if again else "a_appeler"}
        if random.random() < 1 / 3:
            query["commune"] = random.choice(DATA["communes"])
        page = self.call(READ, f"{DATA['page']}?{urllib.parse.urlencode(query)}")
        rows = CallForms(page).rows() if page else []
        if not rows:
            return
        action, fields = random.choice(rows[:5])
        gevent.sleep(random.uniform(*self.call_seconds))  # the call itself, much shorter than a real one
        marker = f"[appel-{load.RUN}-{next(load.SERIAL)}]"
        outcome = random.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
        changes = {"outcome": outcome, "note": f"Appel passé pendant la canicule. {marker}"}
        TALLY["sent"].add(marker)
        where = self.call(POST, action, urllib.parse.urlencode({**fields, **changes}), expect=302)
        answer = self.call(AFTER, where) if where else None
        if answer and "Appel noté" in answer:
            TALLY["acknowledged"].add(marker)
            TALLY["again"] += outcome == "injoignable" and fields["attempt"] == "1"
        elif answer and "vient de noter" in answer:
            TALLY["told"].add(marker)
        elif answer:  # none of the two messages: whether it was written is not known
            load.ERRORS[AFTER]["ni « Appel noté » ni « vient de noter »"] += 1


def check_calls(env) -> tuple[int, int, list[str]]:
    """The agents' tally against the database: (lost_calls, duplicate_calls, what was found)."""
    found = load.django({**env, "BENCH_CAMPAIGN": str(DATA["campaign"])}, VERIFY)
    markers = Counter(found["markers"])
    acknowledged, told = TALLY["acknowledged"], TALLY["told"]
    unknown = TALLY["sent"] - acknowledged - told  # no answer read, or cut at the end of the load
    lost = len(acknowledged - set(markers))
    twice = sum(n - 1 for n in markers.values())
    told_written = len(told & set(markers))
    strangers = len(set(markers) - TALLY["sent"])
    duplicates = found["same_attempt"] + twice + found["more_rows_than_attempts"] + told_written
    attempts = ", ".join(f"{n} × tentative {a}" for a, n in sorted(found["attempts"].items()))
    lines = [
        f"appels notés et confirmés : {len(acknowledged)} ; refusés (une collègue avant) : {len(told)} ; "
        f"sans réponse lue (erreur, ou coupés à la fin) : {len(unknown)}, dont {len(unknown & set(markers))} en base",
        f"en base : {found['rows']} appels pour {found['people']} personnes ({attempts}) ; "
        f"résultats {found['outcomes']}",
        f"confirmés absents de la base : {lost} ; refusés pourtant écrits : {told_written} ; "
        f"marqueurs en double : {twice} ; jamais envoyés : {strangers}",
        f"même tentative deux fois : {found['same_attempt']} ; personnes avec plus d'appels que de tentatives : "
        f"{found['more_rows_than_attempts']} ; numérotation avec un trou : {found['gaps']}",
    ]
    return lost, duplicates, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=30)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--call-seconds", type=float, nargs=2, default=Caller.call_seconds, metavar=("MIN", "MAX"))
    args = parser.parse_args()
    Caller.call_seconds = tuple(args.call_seconds)
    print(f"machine: {platform.node()} — {os.cpu_count()} cœurs — Python {platform.python_version()}", flush=True)
    print(
        f"charge de la machine avant la mesure (1 min) : {os.getloadavg()[0]:.2f} (autre chose qui tourne fausse tout)"
    )
    logs = tempfile.mkdtemp(prefix="carteblanche-vigies-")
    started: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill as Ctrl-C: the finally stops everything
    try:
        step = time.monotonic()
        base, env = load.start_shape(started, logs, args.workers, DB_NAME)
        DATA.update(load.django({**env, "BENCH_AGENTS": str(args.agents), "BENCH_PEOPLE": str(args.people)}, SETUP))
        DATA["page"] = f"/vigies/{DATA['territory']}/plans/{DATA['campaign']}/"
        load.wait_until(lambda: load.healthy(base), "gunicorn")
        load.wait_until(lambda: "ready." in Path(f"{logs}/celery.log").read_text(), "worker Celery")
        Caller.sessions = [list(load.login(base, email)) for email in DATA["agents"]]
        pages = [f"{DATA['page']}?etat=a_appeler", f"{DATA['page']}?etat=a_appeler&commune={DATA['communes'][0]}"]
        load.read_pages(base, Caller.sessions[0], pages, times=2 * args.workers)
        print(f"préparation (base, démo, registre, comptes, connexions, chauffe) : {time.monotonic() - step:.0f} s")
        largest, share = DATA["largest"]
        print(
            f"registre : {DATA['people']} personnes (dont {DATA['demo']} de la démo) dans {len(DATA['communes'])} "
            f"communes ({largest} {share}, "
            f"la plus petite {DATA['smallest']}) ; plan canicule n° {DATA['campaign']} ; {args.agents} agents, "
            f"chaque appel {args.call_seconds[0]:g} à {args.call_seconds[1]:g} s au téléphone, puis 1 à 3 s"
        )
        cpu, Caller.load_started = time.process_time(), time.monotonic()
        elapsed = load.run_load(base, {Caller: args.agents}, args.seconds)
        cpu, load_end = time.process_time() - cpu, os.getloadavg()[0]
        load.table(elapsed, logs)
        lost, duplicates, lines = check_calls(env)
        print("appels vérifiés en base :", *lines, sep="\n  ")
        print(
            f"générateur de charge : {cpu:.0f} s de processeur en {elapsed:.0f} s ({os.cpu_count()} cœurs partagés) ; "
            f"charge de la machine à la fin de la mesure (1 min) : {load_end:.2f}"
        )
        pages, posts = load.TIMES[READ] + load.TIMES[AFTER], load.TIMES[POST]
        page_p95 = percentile(pages, 95) if pages else 0
        print(
            f"liste d'appels : {len(pages)} lectures, p50 {percentile(pages, 50) if pages else 0:.0f} ms, "
            f"p95 {page_p95:.0f} ms ; enregistrement d'un appel : {len(posts)}, "
            f"p50 {percentile(posts, 50) if posts else 0:.0f} ms, p95 {percentile(posts, 95) if posts else 0:.0f} ms"
        )
        steady = [ms for at, ms in READS if at >= RAMP]
        if steady:
            print(
                f"liste d'appels après les {RAMP} premières secondes (les {args.agents} agents l'ouvrent ensemble) : "
                f"{len(steady)} lectures, p50 {percentile(steady, 50):.0f} ms, p95 {percentile(steady, 95):.0f} ms"
            )
        print(f"page_p95_ms={page_p95:.0f} lost_calls={lost} duplicate_calls={duplicates}")
        return 0
    except KeyboardInterrupt:
        print("interrompu : arrêt de ce qui a été démarré, base supprimée", file=sys.stderr)
        return 130
    finally:
        load.stop(started, DB_NAME)


if __name__ == "__main__":
    sys.exit(main())
