"""Every page of the demo as each of its users reaches it by following links, at 1280 px and at 320 px: nothing
scrolls sideways, no table hides columns and no button its text, no error in the console, and axe-core finds no
violation.

Each role's pages are found by following links with Django's test client (milliseconds a page); each kind of
page (a path up to its identifiers) is then checked in Chromium once, as the first role that reaches it (the
roles see the same templates, and a browser check costs a second), whichever test worker reaches it first: a
worker claims a kind of page by creating its file in a folder the session's workers share. ``tests/browser/crawl.py``
run by hand crawls every page of one role in the browser."""

import hashlib
import os

import pytest
from django.conf import settings
from django.test import Client

from carteblanche.accounts.models import User
from carteblanche.rights.demo import SARAH_EMAIL
from carteblanche.rights.models import Person

from .crawl import check, discover, install_axe, pattern
from .test_journeys import login

# Not grouped on one worker: an xdist group is scheduled as a unit, possibly before the other tests of its worker,
# and a browser test's transactional database is emptied after it (the demo's other tests would find no demo). A
# kind of page is checked once per session, by the first worker that claims it.
pytestmark = pytest.mark.browser

ROLES = {
    "visiteur": None,
    "équipe projet": "equipe@demo.carteblanche.fr",
    "agent de la CAF": "agent.caf@demo.carteblanche.fr",
    "préfecture": "prefecture@demo.carteblanche.fr",
    "département": "departement@demo.carteblanche.fr",
    "agent France services": "agent.franceservices@demo.carteblanche.fr",
    "agent d'un autre territoire": "agent.figeac@demo.carteblanche.fr",
    "jury": "jury@demo.carteblanche.fr",
    "administrateur": "admin@demo.carteblanche.fr",
}


@pytest.fixture(scope="session")
def claims(tmp_path_factory, worker_id):
    """A folder shared by the session's workers (the parent of each worker's own temporary folder)."""
    root = tmp_path_factory.getbasetemp()
    folder = (root if worker_id == "master" else root.parent) / "every-page-claims"
    folder.mkdir(exist_ok=True)
    return folder


def _claim(folder, key: str) -> bool:
    """True for the first worker of the session that asks for ``key`` (creating a file is atomic)."""
    try:
        os.close(os.open(folder / hashlib.sha256(key.encode()).hexdigest(), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _check_new(page, client, start, claims) -> list[str]:
    paths = discover(client, start)
    assert paths, "aucune page trouvée"
    new = [path for path in paths if _claim(claims, pattern(path.split("?")[0]))]
    install_axe(page.context)
    report = check(page, page.base_url, new, axe_seen=set())
    assert report.problems == [], f"{len(report.problems)} problèmes :\n" + "\n".join(report.problems)
    return paths


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_reads_and_passes_axe(page, demo_password, role, claims):
    client = Client()
    if ROLES[role]:
        client.force_login(User.objects.get(email=ROLES[role]))
        login(page, ROLES[role], demo_password)
    paths = _check_new(page, client, ["/"], claims)
    assert len(paths) >= (5 if ROLES[role] is None else 10)


def test_every_page_of_the_residents_own_space(page, claims):
    """Sarah in her space (the session her one-time link opens)."""
    client = Client()
    session = client.session
    session["rights_person_id"] = Person.objects.get(email=SARAH_EMAIL).pk
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": page.base_url}]
    )
    paths = _check_new(page, client, ["/mon-espace/dossier/"], claims)
    assert any(path.startswith("/mon-espace/") for path in paths)
