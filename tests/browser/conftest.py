"""Browser journeys: Playwright drives Debian's chromium against pytest-django's live server.

- Chromium is ``/usr/bin/chromium`` (apt ``chromium``; ``SANTELOC_CHROMIUM`` names another
  binary); ``playwright install`` is not used. Without it the browser tests are skipped before
  any of them sets up (one line in the summary says how to get it), unless
  ``SANTELOC_REQUIRE_BROWSER=1`` (set by ``.ci/run``): then they fail, so a CI run can never
  pass without having driven a browser.
- The tests are transactional (the live server thread must see their data). A transactional
  test flushes the database afterwards, which removes the territories imported once for the
  session: the browser tests are therefore run last, and each one imports the Marne again.
  ``serialized_rollback`` restores what the migrations created (the DSFR site configuration).
- Every page a test visits must go through :func:`assert_accessible` (axe-core): the ``page``
  fixture fails the test if a page was visited and not checked, if a static file did not load,
  if a script raised, or if the Content-Security-Policy refused something (see
  :func:`expect_csp_violations` for the tests that provoke it).
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from demo.marne import DEMO_PASSWORD, create_demo_accounts, load_marne_demo
from tests.conftest import import_marne

# Playwright's sync API runs an event loop in the test thread: Django's ORM would refuse to run.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("SANTELOC_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_MISSING = f"{CHROMIUM} not found (apt-get install --no-install-recommends chromium)"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BLOCKING_IMPACTS = {"serious", "critical"}

# The outcome of a test's call phase, for the checks the ``page`` fixture makes at teardown.
CALL_PASSED = pytest.StashKey[bool]()
SKIPPED_BROWSER_TESTS = pytest.StashKey[int]()


def browser_required() -> bool:
    return os.environ.get("SANTELOC_REQUIRE_BROWSER", "").lower() in {"1", "true", "yes", "on"}


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the browser tests after every other test (after pytest-django's own ordering).

    Without Chromium (and when it is not required), skip them here, before any fixture runs.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    if chromium_available() or browser_required():
        return
    skip = pytest.mark.skip(reason=f"Browser tests skipped: {CHROMIUM_MISSING}")
    browser_tests = [item for item in items if item.get_closest_marker("browser") is not None]
    for item in browser_tests:
        item.add_marker(skip)
    config.stash[SKIPPED_BROWSER_TESTS] = len(browser_tests)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The one line saying the browser tests did not run, and how to get them."""
    if skipped := config.stash.get(SKIPPED_BROWSER_TESTS, 0):
        terminalreporter.write_line(f"Browser tests skipped ({skipped}): {CHROMIUM_MISSING}", yellow=True, bold=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[CALL_PASSED] = report.passed
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not chromium_available():  # only when required: otherwise the tests were skipped at collection
        pytest.fail(f"Browser tests are required (SANTELOC_REQUIRE_BROWSER) but {CHROMIUM_MISSING}", pytrace=False)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative addresses in ``page.goto()`` go to the live server.

    Also replaces pytest-playwright's fallback ``base_url`` fixture, an instance method that
    pytest 9 deprecates (PytestRemovedIn10Warning, an error under our ``filterwarnings``).
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        # A laptop screen, or 1280 px at 125 % zoom: still DSFR's desktop layout (≥ 992 px).
        "viewport": {"width": 1024, "height": 768},
    }


class PageWatch:
    """What happened in a page: the addresses shown, those checked with axe, the errors."""

    def __init__(self, page):
        self.visited: list[str] = []
        self.audited: set[str] = set()
        self.errors: list[str] = []
        self.csp_violations_expected = False
        page.on("framenavigated", lambda frame: frame == page.main_frame and self.visited.append(frame.url))
        page.on("pageerror", lambda error: self.errors.append(f"script error on {page.url}: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("console", self._console)

    def _request_failed(self, request):
        if request.failure == "net::ERR_ABORTED":  # cancelled by a navigation: not an error
            return
        self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response):
        if "/static/" in response.url and response.status >= 400:
            self.errors.append(f"static file not served: {response.url} (HTTP {response.status})")

    def _console(self, message):
        # A stylesheet or script blocked by its integrity hash only shows up in the console, as
        # does anything the Content-Security-Policy refused (unless the test provoked it).
        text = message.text.lower()
        if message.type == "error" and (
            "integrity" in text or ("content security policy" in text and not self.csp_violations_expected)
        ):
            self.errors.append(f"console: {message.text}")

    def problems(self) -> list[str]:
        not_audited = [url for url in dict.fromkeys(self.visited) if url not in self.audited]
        return self.errors + [f"page visited but not checked with assert_accessible(): {url}" for url in not_audited]


_WATCHES: dict[int, PageWatch] = {}


@pytest.fixture
def page(page, request):
    page.set_default_timeout(10_000)
    watch = _WATCHES[id(page)] = PageWatch(page)
    yield page
    del _WATCHES[id(page)]
    if request.node.stash.get(CALL_PASSED, False):
        problems = watch.problems()
        if problems:
            raise AssertionError("\n".join(problems))


@pytest.fixture
def live_demo(live_server):
    """The Marne, its demo CLS and the demo accounts, committed for the live server.

    Returns the CLS by short name (reims1, reims3, vitry, chalons1…), as the ``demo`` fixture.
    The test needs ``@pytest.mark.django_db(transaction=True, serialized_rollback=True)``.
    """
    import_marne()
    clss = load_marne_demo()
    create_demo_accounts(clss)
    return clss


def expect_csp_violations(page) -> None:
    """The test provokes refusals of the Content-Security-Policy on purpose: do not count them as errors."""
    _WATCHES[id(page)].csp_violations_expected = True


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation on the page, once its web fonts are in place."""
    page.evaluate("document.fonts.ready.then(() => true)")
    results = Axe().run(page)
    watch = _WATCHES.get(id(page))
    if watch is not None:
        watch.audited.add(page.url)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    lines = []
    for violation in blocking:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    target {node['target']}: {node['html'][:300]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:500]}")
    if blocking:
        heading = f"axe-core: {len(blocking)} serious/critical violation(s) on {page.url}"
        raise AssertionError("\n".join([heading, *lines]))


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in and submit the login form the page is showing."""
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
