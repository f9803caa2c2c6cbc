"""Every form of the platform, fuzzed: hostile strings, wrong types, missing and duplicated fields, huge files and
files lying about their type. Never a 500; a refused form says why in French; a refused form writes nothing.

The forms are found, not listed: every route of the URL configuration is opened by the first identity that may
open it (``doors``), and every ``<form method="post">`` of its page that posts back to it is fuzzed with its own
fields. Examples per form: ``FUZZ_EXAMPLES`` (8 by default, bounded for CI; raise it locally to search longer).
"""

import os
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from carteblanche.core.backup import row_counts

from . import doors

EXAMPLES = int(os.getenv("FUZZ_EXAMPLES", "8"))
# Who opens each form: the first of these identities the page answers with a 200.
OPENERS = ("equipe", "agent_caf", "prefecture", "jury", "habitante", "anonyme")
# Tables a refused attempt may write to: the journal of the attempt, the session, the throttle's counters.
JOURNALS = {"audit_journalentry", "django_session"}
ENGLISH = re.compile(
    r"This field is required|Enter a valid|Ensure this value|Select a valid choice|is not a valid|"
    r"The submitted file|No file was submitted|Invalid|Please correct",
)
HOSTILE = [
    "",
    " ",
    "'; DROP TABLE rights_person; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }}{% debug %}",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e\u061c",  # RTL and LTR marks
    "\x00\x01\x08\x1b[31m",  # control characters, NUL included
    "👩‍👧🚌💶",
    "-1",
    "1e308",
    "NaN",
    "2026-02-30",
    "99:99",
    "9" * 400,
    "é" * 10_000,
    '=HYPERLINK("http://pirate.example")',
    "../../etc/passwd",
]
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300), st.text(min_size=2000, max_size=5000))


def _files():
    """What an upload field receives: an HTML page named like a PDF, a CSV or a JSON; empty; 3 MB of noise."""
    return st.sampled_from(
        [
            ("arrete.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
            ("caf.json", b"<html>pas du JSON</html>", "application/json"),
            ("import.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "text/csv"),
            ("vide.csv", b"", "text/csv"),
            ("bruit.ods", os.urandom(3 * 1024 * 1024), "application/vnd.oasis.opendocument.spreadsheet"),
            ("compte-rendu.txt", "Compte rendu \u202e exe.pdf".encode(), "text/plain"),
        ]
    )


class _Forms(HTMLParser):
    """The POST forms of a page and their fields: name → (kind, options)."""

    def __init__(self):
        super().__init__()
        self.forms, self._current, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken":
                return
            kind = "select" if tag == "select" else ("textarea" if tag == "textarea" else attrs.get("type", "text"))
            self._current["fields"].setdefault(name, [kind, []])
            if kind in ("checkbox", "radio", "hidden") and attrs.get("value") is not None:
                self._current["fields"][name][1].append(attrs["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._current is not None and self._select:
            self._current["fields"][self._select][1].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def _value(kind: str, options: list[str]):
    if kind == "file":
        return _files().map(lambda f: SimpleUploadedFile(f[0], f[1], f[2]))
    choices = [o for o in options if o]
    if kind in ("select", "radio", "checkbox", "hidden") and choices:
        return st.one_of(st.sampled_from(choices), text, st.lists(st.sampled_from(choices + HOSTILE[:4]), max_size=3))
    return st.one_of(text, st.lists(text, min_size=2, max_size=3))  # a field sent twice


def _payload(fields: dict) -> st.SearchStrategy:
    """Each field with a hostile value, or left out (a missing field)."""
    each = {name: st.one_of(st.none(), _value(kind, options)) for name, (kind, options) in fields.items()}
    return st.fixed_dictionaries(each).map(lambda data: {k: v for k, v in data.items() if v is not None})


def _targets():
    """(route name, identity, url, fields) of every POST form that posts back to its own page."""
    from django.db import transaction as tx

    found = []
    with tx.atomic():
        urls = doors.urls()
        people = {who.role: who.client for who in doors.identities()}
        for name, url in sorted(urls.items()):
            if name in ("accounts:logout", "rights:space_logout"):
                continue
            for role in OPENERS:
                response = people[role].get(url)
                if response.streaming:
                    b"".join(response.streaming_content)  # a file served: read to its end, which closes it
                    continue
                if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                    continue
                parser = _Forms()
                parser.feed(response.content.decode())
                shapes = set()
                for form in parser.forms:
                    shape = frozenset(form["fields"])  # a page listing many records repeats one form: fuzzed once
                    if form["action"] in ("", url) and form["fields"] and shape not in shapes:
                        shapes.add(shape)
                        found.append((name, role, url, form["fields"]))
                break
        tx.set_rollback(True)
    return found


@pytest.fixture(scope="module")
def targets(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        return _targets()


def test_the_fuzzer_finds_the_platforms_forms(targets):
    names = {name for name, *_ in targets}
    print(f"forms={len(targets)} routes={len(names)} examples_per_form={EXAMPLES}")
    assert len(names) >= 30, sorted(names)
    assert {"exploration:public_report", "rights:register", "mobility:ride_add", "exploration:import"} <= names


def test_every_form_resists_hostile_input(targets, db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    people = {who.role: who.client for who in doors.identities()}
    for client in people.values():
        client.raise_request_exception = False  # a crash is a 500 the person would see: counted, not raised
    failures = []
    for name, role, url, fields in targets:
        try:
            _fuzz(name, role, people[role], url, fields)
        except AssertionError as exc:
            failures.append(str(exc)[:1200])
    assert not failures, "\n".join(f.splitlines()[0][:300] for f in failures)


def _fuzz(name, role, client, url, fields):
    @settings_for_ci
    @given(data=_payload(fields))
    def attempt(data):
        before = _counts()
        with transaction.atomic():
            response = client.post(url, data)
            body = response.content.decode(errors="replace") if not response.streaming else ""
            refused = response.status_code in (200, 400)
            after = _counts() if refused else before
            transaction.set_rollback(True)  # each example starts from the same state
        assert response.status_code < 500, f"{name} ({role}) : erreur {response.status_code} pour {data!r}"[:800]
        if refused:
            english = ENGLISH.search(body)
            assert not english, f"{name} : message en anglais « {english.group(0)} »"
            assert after == before, f"{name} : formulaire refusé mais écrit {_diff(before, after)}"

    attempt()


settings_for_ci = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.getenv("FUZZ_RANDOM") is None,  # the same examples on every CI run unless asked otherwise
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing example is reported as found
    database=None,
)


def _counts() -> dict[str, int]:
    return {t: n for t, n in row_counts().items() if t not in JOURNALS}


def _diff(before, after) -> dict:
    return {t: (before.get(t), n) for t, n in after.items() if before.get(t) != n}
