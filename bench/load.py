#!/usr/bin/env python
"""Benchmark: the production shape under a realistic load (gunicorn, Celery, PostgreSQL, Redis), run outside CI.

    .venv/bin/python bench/load.py [--users 100] [--seconds 60] [--workers 3]

Starts everything itself on 127.0.0.1 and stops it at the end (also on Ctrl-C or error): a fresh PostgreSQL
database (carteblanche_load, dropped at the end; the role carteblanche that .ci/run creates, or the server named by
BENCH_LOAD_POSTGRES), Redis (the one on 6379, databases 11 for the cache and 12 for the
broker, flushed; or a redis-server of its own on 6390), then, with config.settings.prod and the environment of the
CI's production smoke (.ci/run): migrate, load_demo and collectstatic, gunicorn (3 workers) and a Celery worker.
The flows played send no e-mail nor SMS: the messaging settings are the smoke's. TRUSTED_PROXY_COUNT=1, as behind
the production proxy: each simulated person sends her own X-Forwarded-For address, so the per-address limits of
the public form count residents, not the load generator.

Setup (a ``manage.py shell`` with the prod settings) adds what the demo lacks for a load: agent and project team
accounts like the demo's (one per simulated agent), and a workshop of today, open for votes, with eight ideas. Each
agent then logs in over HTTP as the smoke does (password, then enrolling an authenticator: TOTP), and keeps her
session cookies. Warm-up: each page read six times before the load.

The load, locust 2 used as a library (FastHttpUser, one process, gevent), for --seconds with --users people:
30 % phones in one workshop (join, read the ideas every 5 s as htmx does, put and move their 3 dots), the rest
residents reading the bus timetables and the operation's public page (6/11), residents sending an irritant through
the public form (2/11, a new browser and address each time), agents in the rights console (2/11: the list, and
files their organisation's consents open) and the project team editing the operation (1/11). Forms are fetched
first, and posted with their CSRF token; redirects are not followed but fetched as a browser would, timed apart.

Every write the load counts carries a unique marker, and is looked for in the database at the end:
``lost_writes`` counts writes acknowledged but absent (a report without its irritant counts too; for the
operation, whose description each edit overwrites, the last edit is lost if the description holds none of the
edits that could have come last); ``duplicated_writes`` counts rows present more often than acknowledged (a
report or a participant twice, a dot not claimed). Times are those locust measures: the load generator shares
the machine's cores with the server.
"""

# ruff: noqa: E402 (gevent patches the standard library before anything imports it, as locust needs)
from gevent import monkey

monkey.patch_all()

import argparse
import base64
import http.cookiejar
import itertools
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import gevent
import psycopg
import redis
from common import ROOT, percentile
from locust import FastHttpUser, between, task
from locust.env import Environment

PG = os.getenv("BENCH_LOAD_POSTGRES", "postgres://carteblanche:carteblanche@127.0.0.1:5432")
DB_NAME = "carteblanche_load"
VENV = ROOT / ".venv" / "bin"
# Accounts like a demo account, one per simulated person (bench/vigies.py reuses it).
CLONES = """
from carteblanche.accounts.models import Membership, User

def clones(model_email, prefix, count):
    model = User.objects.get(email=model_email)
    membership = model.memberships.get()
    for i in range(count):
        user = User.objects.create(email=f"{prefix}-{i}@charge.demo.carteblanche.fr", password=model.password,
                                   first_name=model.first_name, last_name=f"{model.last_name} {i}")
        Membership.objects.create(user=user, territory=membership.territory, role=membership.role,
                                  organisation=membership.organisation)
    return membership.territory, [f"{prefix}-{i}@charge.demo.carteblanche.fr" for i in range(count)]
"""
SETUP = (
    CLONES
    + """
import json, os
from django.utils import timezone
from carteblanche.codesign import services as codesign
from carteblanche.codesign.models import Idea
from carteblanche.exploration.demo import CAHORS_IDEAS
from carteblanche.mobility import publication, services as mobility
from carteblanche.operations.models import Operation
from carteblanche.rights.access import Reader
from carteblanche.rights.models import Person
from carteblanche.territories.models import Territory

territory, agents = clones("agent.caf@demo.carteblanche.fr", "agent", int(os.environ["BENCH_AGENTS"]))
_, team = clones("equipe@demo.carteblanche.fr", "equipe", int(os.environ["BENCH_TEAM"]))
operation = Operation.objects.filter(published=True, public_form_open=True, territory=territory).first()
workshop = codesign.workshop_create(operation=operation, title="Atelier de la charge", date=timezone.localdate(),
                                    place="Cahors", status="vote", actor=User.objects.get(email=team[0]))
ideas = [Idea.objects.create(workshop=workshop, text=idea[0]).pk for idea in CAHORS_IDEAS]
bus = []
for t in Territory.objects.order_by("slug"):
    plan = mobility.previous_plan(t)
    if plan:
        insee = sorted({row["commune"].insee_code for row in publication.communes_served(plan)})
        bus.append({"slug": t.slug, "insee": insee})
reader = Reader.agent(User.objects.get(email=agents[0]), territory) if agents else None
persons = [str(p) for p in Person.objects.readable_by(reader).values_list("public_id", flat=True)] if reader else []
print("BENCH=" + json.dumps({"territory": territory.slug, "operation": operation.slug, "agents": agents,
      "team": team, "invitation": str(workshop.invitation), "workshop": workshop.pk, "ideas": ideas,
      "dots": workshop.dots_per_participant, "bus": bus, "persons": persons}))
"""
)
VERIFY = """
import json, os, re
from collections import Counter
from django.db.models import Count
from carteblanche.codesign.models import Participant, Vote
from carteblanche.exploration.models import ResidentReport
from carteblanche.operations.models import Operation
workshop = os.environ["BENCH_WORKSHOP"]
reports = Counter()
orphans = set()
for text, evidence in ResidentReport.objects.annotate(n=Count("evidence")).values_list("what_happened", "n"):
    for marker in re.findall(r"\\[sig-[^\\]]+\\]", text):
        reports[marker] += 1
        orphans |= {marker} if not evidence else set()
people = Counter(Participant.objects.filter(workshop=workshop).values_list("first_name", flat=True))
votes = {}
for name, idea in Vote.objects.filter(participant__workshop=workshop).values_list("participant__first_name", "idea"):
    votes.setdefault(name, []).append(idea)
description = Operation.objects.get(slug=os.environ["BENCH_OPERATION"]).description
print("BENCH=" + json.dumps({"reports": reports, "orphans": sorted(orphans), "people": people, "votes": votes,
      "edits": re.findall(r"\\[modif-[^\\]]+\\]", description)}))
"""

# As .ci/run's production smoke (the flows played send neither e-mail nor SMS), behind one proxy.
SMOKE_ENV = {"DJANGO_SETTINGS_MODULE": "config.settings.prod", "ALLOWED_HOSTS": "127.0.0.1,localhost",
             "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "DEMO_MODE": "true",
             "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
             "SMS_BACKEND": "carteblanche.core.messaging.HttpSmsBackend", "SMS_API_URL": "https://sms.invalid/envoi",
             "TRUSTED_PROXY_COUNT": "1"}  # fmt: skip
RUN = secrets.token_hex(3)
SERIAL = itertools.count(1)
DATA: dict = {}
TALLY = {"reports": set(), "people": {}, "placed": 0, "removed": 0, "edits": []}
TIMES: dict = defaultdict(list)
ERRORS: dict = defaultdict(Counter)


class Forms(HTMLParser):
    """The fields of each form of a page as a browser would post them, and the options of each select."""

    def __init__(self, html: str):
        super().__init__()
        self.forms, self.options, self._select, self._textarea = [], defaultdict(list), None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif tag == "option" and self._select:
            self.options[self._select].append(a.get("value", ""))
            if "selected" in a or self._select not in self.forms[-1]:
                self.forms[-1][self._select] = a.get("value", "")
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1][a["name"]] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag in ("textarea", "select"):
            self.forms[-1][a["name"]] = ""
            self._textarea, self._select = (a["name"], None) if tag == "textarea" else (None, a["name"])

    def handle_endtag(self, tag):
        self._textarea, self._select = None, None if tag == "select" else self._select

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea] += data

    def holding(self, field: str) -> dict:
        return next(form for form in self.forms if field in form)


class Person(FastHttpUser):
    """A browser: its own address behind the proxy; every answer checked, redirects fetched apart."""

    abstract = True
    network_timeout = connection_timeout = 30.0

    def on_start(self):
        self.address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"

    def call(self, name, path, data=None, expect=200) -> str | None:
        """The page (or, for a redirect, where it leads), or None once the failure is counted."""
        headers = {"X-Forwarded-For": self.address}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.request(
            "GET" if data is None else "POST", path, name=name, data=data, headers=headers,
            catch_response=True, allow_redirects=False,
        ) as response:  # fmt: skip
            if response.status_code == expect:
                response.success()
                return response.text or response.headers.get("Location", "redirigé")  # never empty
            where = response.headers.get("Location", "") if response.headers else ""
            response.failure(f"{response.status_code} {where}".strip() if response.status_code else "pas de réponse")
        return None

    def post_form(self, name, path, page, field, changes, expect=302):
        form = {**Forms(page).holding(field), **changes}
        return self.call(name, path, urllib.parse.urlencode(form), expect)


class TimetableReader(Person):
    wait_time = between(2, 6)

    @task(3)
    def territory(self):
        self.call("horaires du bus — territoire", f"/bus/{random.choice(DATA['bus'])['slug']}/passages/")

    @task(5)
    def commune(self):
        bus = random.choice(DATA["bus"])
        self.call("horaires du bus — commune", f"/bus/{bus['slug']}/passages/{random.choice(bus['insee'])}/")

    @task(2)
    def operation(self):
        self.call("page publique de l'opération", f"/public/operations/{DATA['operation']}/")


class ResidentReporting(Person):
    wait_time = between(2, 6)

    @task
    def report(self):
        self.client.cookiejar.clear()  # each report: a new resident, a new browser, a new address
        self.on_start()
        path = f"/participer/{DATA['operation']}/"
        page = self.call("signalement — formulaire", path)
        if not page:
            return
        gevent.sleep(random.uniform(5, 15))  # the time to write a few lines on a phone
        marker = f"[sig-{RUN}-{next(SERIAL)}]"
        text = f"Le car scolaire n'est pas passé ce matin et personne n'a prévenu les familles. {marker}"
        communes = [c for c in Forms(page).options["commune"] if c]
        changes = {"what_happened": text, "commune": random.choice(communes) if communes else "", "service": "Car"}
        if self.post_form("signalement — envoi", path, page, "what_happened", changes):
            TALLY["reports"].add(marker)
            self.call("signalement — page de remerciement", f"{path}merci/")


class LoggedIn(Person):
    abstract = True
    sessions: list = []

    def on_start(self):
        super().on_start()
        for cookie in self.sessions.pop():
            self.client.cookiejar.set_cookie(cookie)


class RightsAgent(LoggedIn):
    wait_time = between(3, 8)

    @task(1)
    def console(self):
        self.call("droits — console de l'agent", f"/droits/{DATA['territory']}/")

    @task(3)
    def person(self):
        public_id = random.choice(DATA["persons"])
        self.call("droits — dossier d'un usager", f"/droits/{DATA['territory']}/usagers/{public_id}/")


class TeamMember(LoggedIn):
    wait_time = between(5, 12)

    @task(2)
    def operation(self):
        self.call("opération — page de l'équipe", f"/operations/{DATA['operation']}/")

    @task(1)
    def edit(self):
        path = f"/operations/{DATA['operation']}/modifier/"
        page = self.call("opération — formulaire de modification", path)
        if not page:
            return
        gevent.sleep(random.uniform(2, 6))
        marker, started = f"[modif-{RUN}-{next(SERIAL)}]", time.monotonic()
        current = Forms(page).holding("description")["description"]
        description = re.sub(r"\s*\[modif-[^\]]*\]", "", current).strip() + f" {marker}"
        if self.post_form("opération — enregistrement", path, page, "description", {"description": description}):
            TALLY["edits"].append((started, time.monotonic(), marker))
            self.call("opération — page de l'équipe", f"/operations/{DATA['operation']}/")


class WorkshopPhone(Person):
    wait_time = between(2, 5)

    def on_start(self):
        super().on_start()
        self.name, self.mine, self.token = f"tel-{RUN}-{next(SERIAL)}", set(), None
        self.path = f"/atelier/{DATA['invitation']}/"
        page = self.call("atelier — rejoindre", self.path)
        changes = {"first_name": self.name, "kind": "usager"}
        if page and self.post_form("atelier — inscription", self.path, page, "first_name", changes):
            TALLY["people"][self.name] = self.mine
            self.read_page()

    def read_page(self):
        page = self.call("atelier — page du téléphone", f"{self.path}participer/")
        if page:
            self.token = Forms(page).holding("csrfmiddlewaretoken")["csrfmiddlewaretoken"]

    @task(3)
    def poll(self):
        if self.token:
            self.call("atelier — idées (rafraîchies toutes les 5 s)", f"{self.path}idees/?phase=vote")

    @task(2)
    def vote(self):
        if not self.token:
            return
        placing = len(self.mine) < DATA["dots"]
        idea = random.choice([i for i in DATA["ideas"] if i not in self.mine] if placing else sorted(self.mine))
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, "action": "vote", "idea": idea})
        if self.call("atelier — gommette", f"{self.path}participer/", data, expect=302):
            (self.mine.add if placing else self.mine.discard)(idea)
            TALLY["placed" if placing else "removed"] += 1
            self.read_page()


def manage(env, *command) -> str:
    done = subprocess.run([VENV / "python", "manage.py", *command], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"manage.py {command[0]} a échoué :\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def django(env, code: str) -> dict:
    """Run ``code`` in a ``manage.py shell`` with the prod settings; it prints its answer as JSON after BENCH=."""
    return json.loads(next(x for x in manage(env, "shell", "-c", code).splitlines() if x.startswith("BENCH="))[6:])


def login(base: str, email: str) -> http.cookiejar.CookieJar:
    """Password, then the enrolment of an authenticator, as .ci/smoke_production.py does."""
    from django_otp.oath import totp

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path, data):
        data["csrfmiddlewaretoken"] = next(c.value for c in jar if c.name == "csrftoken")
        with opener.open(base + path, urllib.parse.urlencode(data).encode(), timeout=30) as response:
            return response.geturl(), response.read().decode()

    opener.open(base + "/connexion/", timeout=30).read()
    url, page = post("/connexion/", {"username": email, "password": "demo-carteblanche-2018"})
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    _, page = post("/connexion/double-authentification/", {"code": f"{totp(key):06d}", "next": "/"})
    assert "Vos codes de secours" in page, f"double authentification refusée pour {email}"
    return jar


def postgres(action: str, name: str = DB_NAME) -> None:
    with psycopg.connect(f"{PG}/postgres", connect_timeout=5, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


def start(started, logs, name, command, env):
    log = open(f"{logs}/{name}.log", "w")  # noqa: SIM115 (closed with the process)
    started.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))


def wait_until(condition, what: str, seconds=90):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} : pas prêt après {seconds} s")
        time.sleep(0.5)


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/sante/", timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def mix(users: int) -> dict:
    phones = min(30, round(users * 0.3))
    rest = users - phones
    agents, team, senders = round(rest * 2 / 11), max(1, round(rest / 11)), round(rest * 2 / 11)
    return {TimetableReader: rest - agents - team - senders, ResidentReporting: senders, RightsAgent: agents,
            TeamMember: team, WorkshopPhone: phones}  # fmt: skip


def record(request_type, name, response_time, exception, **_):
    TIMES[name].append(response_time)
    if exception:
        ERRORS[name][str(exception)[:90]] += 1


def run_load(base: str, counts: dict, seconds: int) -> float:
    classes = [cls for cls, n in counts.items() if n]
    for cls in classes:
        cls.fixed_count, cls.host = counts[cls], base
    env = Environment(user_classes=classes)
    env.events.request.add_listener(record)
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(sum(counts.values()), spawn_rate=max(1, sum(counts.values()) / 5))
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return time.monotonic() - started


def check_writes(env) -> tuple[int, int, list[str]]:
    """The load's tally against the database: (lost_writes, duplicated_writes, one line per kind of write)."""
    people = {name: sorted(mine) for name, mine in TALLY["people"].items()}
    found = django({**env, "BENCH_WORKSHOP": str(DATA["workshop"]), "BENCH_OPERATION": DATA["operation"]}, VERIFY)
    claimed = TALLY["reports"]
    lost = len(claimed - set(found["reports"])) + len(set(found["orphans"]) & claimed)
    duplicated = sum(n - (m in claimed) for m, n in found["reports"].items())
    lost += sum(name not in found["people"] for name in people)
    duplicated += sum(n - (name in people) for name, n in found["people"].items())
    for name in set(people) | set(found["votes"]):
        expected, present = set(people.get(name, [])), Counter(found["votes"].get(name, []))
        lost += len(expected - set(present))
        duplicated += sum(n - (idea in expected) for idea, n in present.items())
    edits, last = TALLY["edits"], found["edits"]
    could_be_last = {m for _, end, m in edits if end >= max((s for s, _, _ in edits), default=0)}
    lost += bool(edits) and not set(last) & could_be_last
    duplicated += max(0, len(last) - 1) + len(set(last) - {m for _, _, m in edits})
    lines = [
        f"signalements : {len(claimed)} envoyés, {sum(m in claimed for m in found['reports'])} en base",
        f"participants à l'atelier : {len(people)} inscrits, {sum(n in people for n in found['people'])} en base",
        f"gommettes : {TALLY['placed']} posées, {TALLY['removed']} retirées, {sum(len(v) for v in people.values())}"
        f" attendues, {sum(len(v) for v in found['votes'].values())} en base",
        f"modifications de l'opération : {len(edits)}, dernière en base : {', '.join(last) or 'aucune'}",
    ]
    return int(lost), int(duplicated), lines


def table(elapsed: float, logs: str) -> tuple[list[float], int, float]:
    """One line per page as locust timed it, then all together, the errors and gunicorn's last exceptions:
    (every time, the number of errors, the p95 of all)."""
    print(f"{'page':<52} {'requêtes':>8} {'erreurs':>7} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for name in sorted(TIMES, key=lambda n: -percentile(TIMES[n], 95)):
        t, e = TIMES[name], sum(ERRORS[name].values())
        print(f"{name:<52} {len(t):>8} {e:>7} {len(t) / elapsed:>6.1f} {percentile(t, 50):>7.0f} "
              f"{percentile(t, 95):>7.0f} {percentile(t, 99):>7.0f}")  # fmt: skip
    every = [x for t in TIMES.values() for x in t]
    errors = sum(sum(c.values()) for c in ERRORS.values())
    p95 = percentile(every, 95) if every else 0
    print(f"{'ensemble':<52} {len(every):>8} {errors:>7} {len(every) / elapsed:>6.1f} {percentile(every, 50):>7.0f} "
          f"{p95:>7.0f} {percentile(every, 99):>7.0f}")  # fmt: skip
    for name, reasons in ERRORS.items():
        for reason, n in reasons.most_common(3):
            print(f"erreur — {name} : {reason} ({n}×)")
    if errors:  # the server's side of the errors: the last exceptions gunicorn logged
        lines = Path(logs, "gunicorn.log").read_text().splitlines()
        print(
            *[f"gunicorn : {line[:200]}" for line in lines if re.match(r"\w+(\.\w+)*(Error|Exception)", line)][-5:],
            sep="\n",
        )
    return every, errors, p95


def report(users: int, elapsed: float, writes, logs: str) -> None:
    every, errors, p95 = table(elapsed, logs)
    lost, duplicated, lines = writes
    print("écritures vérifiées en base :", *lines, sep="\n  ")
    print(f"users={users} requests={len(every)} errors={errors} p95_ms={p95:.0f} "
          f"lost_writes={lost} duplicated_writes={duplicated}")  # fmt: skip


def start_shape(started: list, logs: str, workers: int, db_name: str = DB_NAME) -> tuple[str, dict]:
    """Redis, the database (created afresh), the demo, gunicorn and Celery: the production shape, on 127.0.0.1."""
    redis_url = "redis://127.0.0.1:6379"
    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.ConnectionError:
        redis_url = "redis://127.0.0.1:6390"
        start(started, logs, "redis", ["redis-server", "--port", "6390", "--save", "", "--appendonly", "no"], None)
        wait_until(lambda: redis.Redis.from_url(redis_url).ping(), "redis-server")
    for db in (11, 12):
        redis.Redis.from_url(f"{redis_url}/{db}").flushdb()
    postgres("create", db_name)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{s.getsockname()[1]}"
    env = {
        **os.environ,
        **SMOKE_ENV,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"{PG}/{db_name}",
        "CELERY_BROKER_URL": f"{redis_url}/12",
        "CACHE_URL": f"{redis_url}/11",
        "PLATFORM_URL": base,
    }
    collectstatic = [VENV / "python", "manage.py", "collectstatic", "--noinput", "-v0"]
    static = subprocess.Popen(collectstatic, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "-v0")
    if static.wait():
        raise RuntimeError("collectstatic a échoué")
    bind = base.removeprefix("http://")
    start(started, logs, "gunicorn", [VENV / "gunicorn", "config.wsgi:application", "--workers", str(workers),
          "--bind", bind, "--timeout", "60"], env)  # fmt: skip
    start(started, logs, "celery", [VENV / "celery", "-A", "config", "worker", "--loglevel=INFO",
          "--concurrency=1", f"--hostname=charge-{RUN}@%h"], env)  # fmt: skip
    print(
        f"gunicorn {workers} workers ({base}), Celery 1, PostgreSQL {db_name}, Redis {redis_url} — journaux : {logs}"
    )
    return base, env


def read_pages(base: str, session: list, pages: list[str], times: int = 6) -> None:
    """Each page ``times`` times, with a session's cookies: templates compiled and modules imported in every worker."""
    jar = http.cookiejar.CookieJar()
    for cookie in session:
        jar.set_cookie(cookie)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for path in pages * times:
        opener.open(base + path, timeout=60).read()


def warm_up(base: str) -> None:
    """Each page six times before the load."""
    pages = [f"/bus/{b['slug']}/passages/{i}" for b in DATA["bus"] for i in ["", *b["insee"][:3]]]
    pages += [f"/public/operations/{DATA['operation']}/", f"/droits/{DATA['territory']}/"]
    pages += [f"/droits/{DATA['territory']}/usagers/{p}" for p in DATA["persons"]]
    session = RightsAgent.sessions[0] if RightsAgent.sessions else []
    read_pages(base, session, [path.rstrip("/") + "/" for path in pages])


def stop(started: list[subprocess.Popen], db_name: str = DB_NAME) -> None:
    """What was started, stopped (the last first), and the database dropped."""
    for process in reversed(started):
        process.terminate()
    for process in reversed(started):
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    try:
        postgres("drop", db_name)
    except psycopg.Error as exc:
        print(f"base {db_name} non supprimée : {exc}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.node()} — {os.cpu_count()} cœurs — Python {platform.python_version()}", flush=True)
    print(
        f"charge de la machine avant la mesure (1 min) : {os.getloadavg()[0]:.2f} (autre chose qui tourne fausse tout)"
    )
    logs = tempfile.mkdtemp(prefix="carteblanche-load-")
    started: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill as Ctrl-C: the finally stops everything
    try:
        step = time.monotonic()
        counts = mix(args.users)
        base, env = start_shape(started, logs, args.workers)
        agents, team = str(counts[RightsAgent]), str(counts[TeamMember])
        DATA.update(django({**env, "BENCH_AGENTS": agents, "BENCH_TEAM": team}, SETUP))
        wait_until(lambda: healthy(base), "gunicorn")
        wait_until(lambda: "ready." in Path(f"{logs}/celery.log").read_text(), "worker Celery")
        RightsAgent.sessions = [list(login(base, email)) for email in DATA["agents"]]
        TeamMember.sessions = [list(login(base, email)) for email in DATA["team"]]
        warm_up(base)
        print(f"préparation (base, démo, statiques, comptes, connexions, chauffe) : {time.monotonic() - step:.0f} s")
        labels = ("lecteurs d'horaires", "habitants qui signalent", "agents (droits)", "équipe projet", "téléphones")
        print("usagers : " + ", ".join(f"{n} {label}" for n, label in zip(counts.values(), labels, strict=True)))
        communes, files, ideas = sum(len(b["insee"]) for b in DATA["bus"]), len(DATA["persons"]), len(DATA["ideas"])
        print(f"démo : {len(DATA['bus'])} bus ({communes} communes desservies), {files} dossiers ouverts aux agents, "
              f"{ideas} idées à l'atelier ({DATA['dots']} gommettes par personne)")  # fmt: skip
        elapsed = run_load(base, counts, args.seconds)
        report(args.users, elapsed, check_writes(env), logs)
        return 0
    except KeyboardInterrupt:
        print("interrompu : arrêt de ce qui a été démarré, base supprimée", file=sys.stderr)
        return 130
    finally:
        stop(started)


if __name__ == "__main__":
    sys.exit(main())
