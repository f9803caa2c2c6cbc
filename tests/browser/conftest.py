import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.getenv("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CI = os.getenv("CI", "").lower() in {"1", "true", "yes"}


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium absent ({CHROMIUM}) : installez le paquet Debian « chromium »"
    if not AXE.exists():
        return f"axe-core absent ({AXE}) : lancez « npm ci »"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if not reason:
        return
    if CI:
        raise pytest.UsageError(f"Tests navigateur obligatoires sous CI=true : {reason}.")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"TESTS NAVIGATEUR IGNORÉS — {reason}"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, reload_demo):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console", lambda msg: page.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.base_url = live_server.url
    yield page
    context.close()


def assert_accessible(page):
    """axe-core on the current page, WCAG 2.1 A and AA rules: no violation at all."""
    # Evaluated through the DevTools protocol, which the page's CSP does not govern (a script tag would be
    # refused, as it should be).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]
    assert violations == [], "\n".join(violations)
