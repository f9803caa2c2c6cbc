"""Production smoke test: through gunicorn, log in (password, then the second factor's enrolment), start a job,
and watch a Celery worker finish it.

python .ci/smoke_production.py http://127.0.0.1:8123
"""

import base64
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from django_otp.oath import totp

BASE = sys.argv[1].rstrip("/")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(path, timeout=10):
    with opener.open(BASE + path, timeout=timeout) as response:
        return response.geturl(), response.read().decode()


def post(path, data):
    token = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(BASE + path, data=body, headers={"Referer": BASE + path})
    with opener.open(request, timeout=10) as response:
        return response.geturl(), response.read().decode()


def wait_for_server():
    for _ in range(60):
        try:
            # A worker still importing the application answers late: wait for it rather than fail.
            _, body = get("/sante/", timeout=30)
            return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit("gunicorn ne répond pas")


health = wait_for_server()
assert '"base": "postgresql"' in health and '"taches": "celery"' in health, health
get("/connexion/")
url, _ = post("/connexion/", {"username": "equipe@demo.carteblanche.fr", "password": "demo-carteblanche-2018"})
# Production asks every password account for its second factor: pair an authenticator as an agent would, from
# the key the page shows, and give its code.
assert "/connexion/double-authentification/" in url, f"connexion refusée ou sans second facteur : {url}"
_, page = get("/connexion/double-authentification/")
secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
key = base64.b32decode(secret + "=" * (-len(secret) % 8))
url, page = post("/connexion/double-authentification/", {"code": f"{totp(key):06d}", "next": "/"})
assert "Vos codes de secours" in page, "double authentification refusée"
get("/territoires/bassin-de-vie-de-cahors/")
job_url, page = post("/territoires/bassin-de-vie-de-cahors/accessibilite-semaine/", {})
assert "/taches/" in job_url, job_url
job_path = urllib.parse.urlparse(job_url).path
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    _, fragment = get(job_path + "progression/")
    if "Terminée" in fragment or "Échouée" in fragment:
        break
    time.sleep(0.5)
assert "Terminée" in fragment, fragment
assert re.search(r"Habitants à 20 km ou plus", fragment)
print(f"OK : tâche {job_path} exécutée par le worker Celery, servie par gunicorn.")
