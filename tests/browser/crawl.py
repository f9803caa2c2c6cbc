"""Every page a user can reach by following links, checked as she sees it: at a desktop's and a small phone's
width, nothing wider than the screen, no error in the console, and no axe-core violation.

Used by ``test_every_page.py`` (each demo role in turn) and runnable by hand against a running server::

    .venv/bin/python tests/browser/crawl.py http://127.0.0.1:8000 agent.caf@demo.carteblanche.fr PASSWORD
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 320)

# Links a crawl does not follow: they act (log out, download, switch a state) or leave the site's pages.
SKIPPED = re.compile(
    r"/deconnexion|/logout|/admin/|/static/|/media/|\.(pdf|csv|ods|ics|json|png|svg|zip)$|/export|/telecharger"
    r"|/pdf/|/affiche|/qr|/fichier"
)
# Two pages differing only by an identifier are the same template: one of each is checked.
_IDS = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{32}|[A-Za-z0-9_-]{20,})(?=/|$)")


def pattern(path: str) -> str:
    return _IDS.sub("/<id>", path)


@dataclass
class Report:
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def settle(page):
    """Two frames: what the page's scripts do on a resize (tables.js stacking a table) is done, as a person sees it."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def overflow(page) -> str | None:
    """What sticks out at the right of the screen, if anything: the widest element, named for a person."""
    return page.evaluate(
        """() => {
        const root = document.documentElement;
        if (root.scrollWidth <= root.clientWidth) return null;
        let worst = null, right = root.clientWidth;
        for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > right + 1) { right = box.right; worst = el; }
        }
        const name = worst ? worst.tagName.toLowerCase() + (worst.id ? '#' + worst.id : '') +
            (worst.className && typeof worst.className === 'string' ? '.' + worst.className.trim().split(/\\s+/).join('.') : '') : '?';
        return `${root.scrollWidth} px de large (${name})`;
    }"""
    )


def hidden_content(page) -> list[str]:
    """What the page hides without scrolling the whole page: a table wider than its frame (its last columns need
    a scroll inside the frame), a button or link whose text is cut (only its icon shows)."""
    return page.evaluate(
        """() => {
        const out = [];
        const label = el => (el.getAttribute('aria-label') || el.innerText || el.getAttribute('title') || '').trim().slice(0, 60);
        for (const table of document.querySelectorAll('table')) {
            const frame = table.parentElement;
            if (table.offsetParent === null) continue;
            if (table.getBoundingClientRect().width > frame.clientWidth + 1) {
                const caption = table.caption ? table.caption.innerText.trim().slice(0, 60) : '';
                out.push(`tableau « ${caption} » de ${Math.round(table.getBoundingClientRect().width)} px dans ${frame.clientWidth} px`);
            }
        }
        // The DSFR's own icon buttons (the header's menu, a dialog's close) are icons by design.
        for (const el of document.querySelectorAll('button, a.fr-btn, input[type=submit]')) {
            if (el.offsetParent === null || el.matches('.fr-btn--menu, .fr-btn--close, .fr-btn--tooltip, .fr-btn--sort')) continue;
            if (el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 4 && getComputedStyle(el).overflow === 'hidden') {
                out.push(`bouton « ${label(el)} » au texte coupé`);
            }
        }
        return out;
    }"""
    )


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA rules on the page (injected by the context's init script where there is one:
    ``install_axe``, once per context rather than once per page)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
    )
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def install_axe(context):
    """Every page of this browser context gets axe-core as it loads (through the DevTools protocol, which the
    site's Content Security Policy does not govern)."""
    context.add_init_script(path=str(AXE))


def crawl(page, base_url: str, start: list[str], *, limit: int = 200, axe_seen: set | None = None) -> Report:
    """Follows same-site links from ``start`` (breadth first), one page per pattern, at most ``limit`` pages.
    ``axe_seen``: patterns already run through axe by an earlier crawl (another role), not run again."""
    report = Report()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    host = urlsplit(base_url).netloc
    queue = [base_url + path for path in start]
    seen_patterns: set[str] = set()
    axe_seen = axe_seen if axe_seen is not None else set()
    while queue and len(report.visited) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        key = pattern(path) + ("?" + urlsplit(url).query if urlsplit(url).query and "page=" not in url else "")
        if key in seen_patterns:
            continue
        seen_patterns.add(key)
        errors.clear()
        try:
            response = page.goto(url)
        except Exception as exc:  # a download (an export reached by a link), a page that never loads
            if "Download is starting" not in str(exc):
                report.problems.append(f"{path} : {str(exc).splitlines()[0]}")
            continue
        if response is None or response.status >= 400:
            if response is not None and response.status not in (403, 404, 405):
                report.problems.append(f"{path} : réponse {response.status}")
            continue
        if urlsplit(page.url).netloc != host:
            continue
        report.visited.append(path)
        _check_page(page, path, report, errors, axe_seen)
        # Links, and the fragments htmx asks for (opened alone, they must still be whole pages).
        links = page.eval_on_selector_all(
            "a[href], [hx-get]",
            "els => els.map(e => e.hasAttribute('hx-get') ? "
            "new URL(e.getAttribute('hx-get'), location.href).href : e.href)",
        )
        for link in links:
            link, _ = urldefrag(link)
            parts = urlsplit(link)
            if parts.netloc != host or SKIPPED.search(parts.path) or "format=" in parts.query or link in queue:
                continue
            queue.append(link)
    return report


_HREF = re.compile(r"""(?:href|hx-get)="([^"#]+)""")


def discover(client, start: list[str], *, limit: int = 300) -> list[str]:
    """The paths a user reaches from ``start`` by links (and the fragments htmx asks for), through Django's test
    client (no browser: milliseconds a page), one per kind of page (``pattern``)."""
    from html import unescape

    queue, seen, found = list(start), set(), []
    while queue and len(found) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = pattern(parts.path)  # a page sorted or filtered otherwise is the same page
        if key in seen:
            continue
        seen.add(key)
        response = client.get(url)
        if response.status_code in (301, 302) and response["Location"].startswith("/"):  # a landing page
            queue.insert(0, response["Location"])
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        found.append(url)
        for link in _HREF.findall(response.content.decode("utf-8", "replace")):
            link = unescape(link)
            parts = urlsplit(link)
            if (
                parts.netloc
                or not parts.path.startswith("/")
                or SKIPPED.search(parts.path)
                or "format=" in parts.query
            ):
                continue
            queue.append(parts.path + ("?" + parts.query if parts.query else ""))
    return found


def check(page, base_url: str, paths: list[str], *, axe_seen: set) -> Report:
    """The browser checks of ``crawl`` on given paths (found by ``discover``), without following links."""
    report = Report()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for path in paths:
        errors.clear()
        response = page.goto(base_url + path)
        if response is None or response.status >= 400:
            report.problems.append(f"{path} : réponse {response.status if response else 'aucune'}")
            continue
        report.visited.append(path)
        _check_page(page, path, report, errors, axe_seen)
    return report


def _check_page(page, path, report, errors, axe_seen):
    key = pattern(urlsplit(path).path)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        wide = overflow(page)
        if wide:
            report.problems.append(f"{path} à {width} px : la page défile horizontalement, {wide}")
        for hidden in hidden_content(page):
            report.problems.append(f"{path} à {width} px : {hidden}")
    page.set_viewport_size({"width": 1280, "height": 900})
    if key not in axe_seen:
        axe_seen.add(key)
        for violation in axe_violations(page):
            report.problems.append(f"{path} : axe {violation}")
    for text in errors:
        report.problems.append(f"{path} : erreur dans la console — {text[:200]}")


def main(argv):
    from playwright.sync_api import sync_playwright

    base, email, password = argv[1:4]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_context(locale="fr-FR").new_page()
        if email != "-":  # « - »: as a visitor
            page.goto(base + "/connexion/")
            page.get_by_label("Adresse e-mail").fill(email)
            page.get_by_label("Mot de passe").fill(password)
            page.get_by_role("button", name="Se connecter").last.click()
            page.wait_for_url(lambda url: "/connexion/" not in url)
        report = crawl(page, base, ["/"], limit=int(argv[4]) if len(argv) > 4 else 200)
        print(f"{len(report.visited)} pages")
        print("\n".join(report.problems))


if __name__ == "__main__":
    main(sys.argv)
