"""Browser-test harness: Playwright (sync API) driving Debian's Chromium against pytest-django's `live_server`.

Setup: `make e2e-deps` (installs Debian's chromium if missing); axe-core is vendored in tests/e2e/vendor.
Run: `.venv/bin/python -m pytest tests/e2e -q -p no:xdist` (a few seconds per journey).

Write a journey as `tests/e2e/test_<yourapp>_journey.py`:

    import pytest
    from playwright.sync_api import expect

    from tests.customers.factories import TEST_PASSWORD, UserFactory
    from tests.e2e.conftest import follow, last_email_to, link_in, login, screenshot, visit

    pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

    def test_a_csm_does_the_thing(page, live_server):
        csm = UserFactory(email="casey@portal.example")          # data made in the test; the server sees it
        login(page, live_server, csm.email, TEST_PASSWORD)       # real login form; a11y of both pages checked
        visit(page, live_server.url + "/things/")                # goto + wait for load + axe check
        page.once("dialog", lambda dialog: dialog.accept())      # only for forms with data-confirm
        follow(page, page.get_by_role("button", name="Save"))    # click + wait for the next page + axe check
        expect(page.get_by_text("Saved.")).to_be_visible()
        screenshot(page, "things-saved")                         # artifacts/e2e/things-saved.png, one per journey

Fixtures
- `live_server` (pytest-django): the portal on a real port; the database is transactional, so create your data in
  the test body (factories or services) and the server thread sees it. Tasks run synchronously in that thread.
- `page`: a fresh Playwright context and page per test (the browser is shared by the session). The test FAILS if
  the page logged any console error (a CSP violation is one), hit an uncaught JS error (`pageerror`), or got a
  status >= 500 from the live server. An expected 403 or 404 page makes Chromium log "Failed to load resource";
  that one message is tolerated, and only for the page's own document: a 4xx on a sub-resource (a missing
  script, a failed htmx request) still fails the test.
  Also set: `SITE_URL` points at the live server, so links in emails open on it.

Helpers (import them from `tests.e2e.conftest`)
- `visit(page, url) -> Response`: goto, wait for "load", run the axe check. Use it for every page you open.
- `follow(page, locator) -> Response`: click a link or submit button, wait for the page it leads to, run the axe
  check. Use it for every click that navigates, so every page a journey reaches is checked. (An htmx swap does not
  navigate: click, `expect(...)` the new content, then call `check_a11y(page)`.)
- `check_a11y(page)`: injects axe-core with `page.evaluate` (never a script tag: the portal's CSP forbids inline
  scripts, and axe is never served to users), runs `axe.run()`, fails listing every serious or critical violation.
  Call it yourself after an htmx swap or a dialog changes the page.
- `login(page, live_server, email, password)`: logs in through the real login form and waits to leave it.
- `screenshot(page, name) -> Path`: full-page PNG at `artifacts/e2e/<name>.png` (gitignored). One at each journey's end.
- `last_email_to(address) -> EmailMessage`: the newest message in `django.core.mail.outbox` sent to `address`
  (the test settings use the locmem backend); fails if there is none.
- `link_in(body) -> str`: the first http(s) link in an email body; fails if there is none.

Every test in this folder carries `pytest.mark.e2e` (added here automatically too): `pytest -m "not e2e"` skips them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Playwright's sync API runs an asyncio event loop in this thread, and Django then refuses ORM calls from it
# (SynchronousOnlyOperation). The test thread only creates data and reads it back, so allow it. Must be set before
# any database use, hence at import time.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
REPO_DIR = E2E_DIR.parents[1]
ARTIFACTS_DIR = REPO_DIR / "artifacts" / "e2e"
AXE_PATH = E2E_DIR / "vendor" / "axe.min.js"  # axe-core 4.14.1, MPL-2.0
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 10_000
_FAILED_RESOURCE = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d\b")
_LINK = re.compile(r"https?://[^\s<>\"']+")
_BROWSER_PROBLEMS = pytest.StashKey[Callable[[], None]]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """Report what the browser saw as a failure of the test itself (teardown reports anything later)."""
    result = yield
    report = item.stash.get(_BROWSER_PROBLEMS, None)
    if report is not None:
        report()
    return result


# --- browser --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM_PATH}: run `make e2e-deps` "
            "(or `sudo apt-get install chromium`). `playwright install` cannot download here.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _links_point_at_live_server(settings: Any, live_server: Any) -> None:
    settings.SITE_URL = live_server.url


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    console_errors: list[str] = []
    page_errors: list[str] = []
    server_errors: list[str] = []
    document_4xx: set[str] = set()

    def on_response(response: Any) -> None:
        if not response.url.startswith(live_server.url):
            return
        if response.status >= 500:
            server_errors.append(f"{response.status} {response.request.method} {response.url}")
        elif response.status >= 400 and response.request.resource_type == "document":
            document_4xx.add(response.url)

    def on_console(message: Any) -> None:
        if message.type != "error":
            return
        # Chromium logs an expected 403/404 page as a failed resource; tolerated only for the page's own document.
        if _FAILED_RESOURCE.match(message.text) and message.location.get("url") in document_4xx:
            return
        where = message.location.get("url", "")
        console_errors.append(f"{message.text} ({where})" if where else message.text)

    def report() -> None:
        problems = (
            [f"console error: {text}" for text in console_errors]
            + [f"uncaught page error: {text}" for text in page_errors]
            + [f"server error: {text}" for text in server_errors]
        )
        for found in (console_errors, page_errors, server_errors):
            found.clear()  # each problem is reported once
        if problems:
            pytest.fail("The browser saw errors:\n  " + "\n  ".join(problems), pytrace=False)

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    request.node.stash[_BROWSER_PROBLEMS] = report
    yield page
    with contextlib.suppress(PlaywrightTimeoutError):  # let late requests (htmx loads) finish and be checked
        page.wait_for_load_state("networkidle", timeout=2_000)
    context.close()
    report()


# --- helpers ---------------------------------------------------------------------------------------------------


def _axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}; it is part of the repository.", pytrace=False)
    return AXE_PATH.read_text(encoding="utf-8")


def check_a11y(page: Any) -> None:
    """Fail when axe-core finds a serious or critical accessibility violation on the current page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }"""
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"{v['impact']}: {v['id']} ({v['help']}) at {json.dumps(v['targets'])}" for v in blocking]
        pytest.fail(f"Accessibility violations on {page.url}:\n  " + "\n  ".join(lines), pytrace=False)


def visit(page: Any, url: str) -> Any:
    """Open `url`, wait for it to load, and check its accessibility. Returns the Playwright response."""
    response = page.goto(url, wait_until="load")
    page.wait_for_load_state("load")
    check_a11y(page)
    return response


def follow(page: Any, locator: Any) -> Any:
    """Click `locator` (a link or submit button), wait for the page it leads to, and check its accessibility."""
    with page.expect_navigation(wait_until="load") as navigation:
        locator.click()
    check_a11y(page)
    return navigation.value


def login(page: Any, live_server: Any, email: str, password: str) -> None:
    """Log in through the real login form (checking its accessibility) and wait until the portal lets us in."""
    visit(page, live_server.url + "/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    follow(page, page.get_by_role("button", name="Log in", exact=True))
    if "/login/" in page.url:
        pytest.fail(f"Could not log in as {email}: the login form came back.", pytrace=False)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def last_email_to(address: str) -> Any:
    """The newest email in Django's locmem outbox addressed to `address` (To, Cc or Bcc)."""
    from django.core import mail

    wanted = address.lower()
    for message in reversed(getattr(mail, "outbox", [])):
        if wanted in {a.lower() for a in message.recipients()}:
            return message
    sent = [message.recipients() for message in getattr(mail, "outbox", [])]
    pytest.fail(f"No email was sent to {address}; the outbox holds messages to {sent}.", pytrace=False)


def link_in(email_body: str) -> str:
    """The first http(s) link in an email body."""
    match = _LINK.search(email_body)
    if match is None:
        pytest.fail(f"No link in this email:\n{email_body}", pytrace=False)
    return match.group(0).rstrip(".,;)")
