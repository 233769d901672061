"""Browser tests: the real server (`streamlit run app.py`) driven by headless Debian Chromium.

Run with `.venv/bin/python -m pytest tests/e2e -q`. They need Debian's `chromium` package (never
`playwright install`): without it they are skipped locally and fail on CI (env CI set).
Screenshots of every step land in tests/e2e/screenshots/ (git-ignored).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import sqlite3
import time
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from challenge.cli.reference import load_reference
from challenge.demo.generator import generate_demo
from challenge.infra import migrate
from challenge.infra.db import Database
from devtools.browser import CHROMIUM_ARGS
from devtools.servers import log_tail, serve_app
from tests.support.editions import make_edition

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
COOKIE_SECRET = "e2e-only-secret-not-for-production-0123456789abcdef"
START_TIMEOUT_S = 120  # a state-based wait (the health check answers): bounds only a true hang
# Budgets of browser waits are given for 2 idle cores and scaled by `budget()` to the pace the
# machine showed at the start of the session (see the `pace` fixture). Every wait waits for a
# state (a script run ended, a value shown, a flash shown); a budget only bounds a true hang.
RUN_TIMEOUT_MS = 15_000
# A warm page (second load of the home page, script run included) on 2 idle cores: measured
# 0.74-1.0 s on the CI machine with a load of 2 per core.
WARM_PAGE_REFERENCE_S = 1.0
MAX_PACE = 10.0
COLD_LIMIT_MS = round(RUN_TIMEOUT_MS * MAX_PACE)  # the warm-up itself, against a true hang only
# A phone's user agent matters: Streamlit only folds the sidebar back after a navigation click
# when the user agent says "mobile" (a 390 px desktop window keeps it open over the page).
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "user_agent": PHONE_USER_AGENT,
    "locale": "fr-FR",
}
# Page title -> url path, as declared in streamlit_app.py ("" is the default page of the role).
URL_PATHS = {
    "Accueil": "",
    "Bienvenue": "",
    "Mon défi": "",
    "Bilan": "bilan",
    "Services": "services",
    "Catalogue": "catalogue",
    "Compte": "compte",
}
_LOCAL_SCHEMES = ("data:", "blob:", "about:")
_IDLE = re.compile(r"^(notRunning|compilationError)$")
_SAFE = re.compile(r"[^\w.-]+")


class Pace:
    """How much slower than 2 idle cores the machine is, measured once per session (>= 1)."""

    factor: float = 1.0
    warm_page_s: float | None = None
    load: float | None = None


PACE = Pace()


def _load_per_core() -> float:
    return os.getloadavg()[0] / (os.cpu_count() or 1)


def budget(base_ms: int = RUN_TIMEOUT_MS) -> int:
    """A wait budget given for 2 idle cores, scaled to the pace measured for this session.

    The load per core at the time of the call counts too (bounded by MAX_PACE): other jobs
    may start on the machine after the warm-up was measured.
    """
    return round(base_ms * max(PACE.factor, min(MAX_PACE, _load_per_core())))


def running_edition_start(today: date) -> date:
    """The Monday two weeks before this week's: today falls in week 3 of the edition."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=2)


_SERVER_LOGS: dict[str, Path] = {}
_SERVER_DATABASES: dict[str, str] = {}
_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    """Remember that an e2e test failed, so that the server log gets printed at the end."""
    report = yield
    if report.failed:
        item.session.stash[_FAILED] = True
    return report


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[str]:
    """The real app on a fresh SQLite database with a running edition over région 32 (week 3)."""
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'e2e.sqlite3'}"
    migrate.upgrade(url)
    db = Database(url)
    load_reference(db)
    make_edition(db, "Défi e2e", running_edition_start(date.today()), 8, [("region", "32")])

    with serve_app(url, folder / "server.log", COOKIE_SECRET, start_timeout_s=START_TIMEOUT_S) as server:
        _SERVER_LOGS[server.base] = server.log
        _SERVER_DATABASES[server.base] = url
        try:
            yield server.base
        finally:
            if request.session.stash.get(_FAILED, False):
                print(f"\n--- server log ({server.log}) ---\n{log_tail(server.log)}")


DEMO_HOUSEHOLDS = 240  # enough for published (non-secret) figures in the Lille metropolis


def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, generated once per test run and shared by the xdist workers.

    The first worker to get here generates it under an exclusive lock (a minute on a loaded
    machine); the others wait for it, then copy it: one generation instead of one per worker
    competing for the same 2 cores. Without xdist, it lives in this session's own basetemp.
    """
    basetemp = tmp_path_factory.getbasetemp()
    root = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    template = root / "demo-template.sqlite3"
    with (root / "demo-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = root / "demo-template.building.sqlite3"
            building.unlink(missing_ok=True)  # left by a run that was killed while generating
            url = f"sqlite:///{building}"
            migrate.upgrade(url)
            db = Database(url)
            load_reference(db)
            generate_demo(db, households=DEMO_HOUSEHOLDS, weeks=6, seed=42, today=date.today())
            db.dispose()
            building.rename(template)
    return template


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    """The real app on a demo challenge of a few hundred households (its own database).

    One server per test worker, on its own copy of the demo database (generated once per run),
    shared by the modules and classes that only read it (the phone and accessibility walks):
    its data differ from `live_server`'s, where tests write.
    """
    folder = tmp_path_factory.mktemp("demo")
    copy = folder / "demo.sqlite3"
    with sqlite3.connect(_demo_template(tmp_path_factory)) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    url = f"sqlite:///{copy}"
    db = Database(url)
    with serve_app(
        url,
        folder / "server.log",
        COOKIE_SECRET,
        start_timeout_s=START_TIMEOUT_S,
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
    ) as server:
        _SERVER_LOGS[server.base] = server.log
        yield server.base, db
    db.dispose()


@pytest.fixture(scope="session", autouse=True)
def pace(browser: Browser, live_server: str) -> Pace:
    """Measure a warm page once per session and scale every browser budget by it.

    The first load of the home page imports the app (cold); the second one is timed. The factor
    is also at least the load average per core at that moment, and `budget()` reads the load
    again at each call (other jobs may start later). Assertions (`expect`, reset before each
    test) and actions (the contexts' default timeout) share the scaled budget. The figures
    land in tests/e2e/screenshots/pace-<worker>.txt.
    """
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    try:
        page.goto("/", timeout=COLD_LIMIT_MS)
        wait_for_app(page, COLD_LIMIT_MS)
        started = time.monotonic()
        page.reload(timeout=COLD_LIMIT_MS)
        wait_for_app(page, COLD_LIMIT_MS)
        PACE.warm_page_s = time.monotonic() - started
    finally:
        context.close()
    PACE.load = _load_per_core()
    PACE.factor = min(MAX_PACE, max(1.0, PACE.warm_page_s / WARM_PAGE_REFERENCE_S, PACE.load))
    expect.set_options(timeout=budget())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    (SCREENSHOTS / f"pace-{worker}.txt").write_text(
        f"warm page {PACE.warm_page_s:.2f} s, load per core {PACE.load:.2f}, "
        f"budget factor {PACE.factor:.2f}\n",
        encoding="utf-8",
    )
    return PACE


@pytest.fixture(autouse=True)
def _assertion_budget(pace: Pace) -> None:
    """Assertions (`expect`) wait as long as actions: the scaled budget, as of this test."""
    expect.set_options(timeout=budget())


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        message = "chromium not found: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _is_offsite(url: str, base: str) -> bool:
    if url.startswith(_LOCAL_SCHEMES):
        return False
    ws_base = "ws" + base.removeprefix("http")
    return not any(url == prefix or url.startswith(prefix + "/") for prefix in (base, ws_base))


def record_offsite_requests(context: BrowserContext, base: str, sink: list[str]) -> None:
    """Append to `sink` the URL of every request of `context` that leaves the app's origin."""
    context.on("request", lambda req: sink.append(req.url) if _is_offsite(req.url, base) else None)


SMALL_PHONE = {**PHONE, "viewport": {"width": 360, "height": 740}}


def small_phone_page(browser: Browser, base: str, offsite: list[str], name: str) -> Page:
    """A page of a fresh 360×740 phone (its own cookies, downloads allowed) recording into `offsite`
    every request that leaves the app's origin; `name` prefixes its screenshots."""
    context = browser.new_context(**SMALL_PHONE, base_url=base, accept_downloads=True)
    context.set_default_timeout(budget())
    record_offsite_requests(context, base, offsite)
    page = context.new_page()
    page.test_name = name  # type: ignore[attr-defined]
    return page


def new_phone_context(browser: Browser, base: str) -> BrowserContext:
    """A fresh phone-sized browser context (its own cookies) on the app."""
    context = browser.new_context(**PHONE, base_url=base)
    context.set_default_timeout(budget())
    return context


@pytest.fixture
def phone(browser: Browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh phone-sized page (390×844) that records every request leaving the app's origin.

    The test fails at teardown if any third-party request was made (a product rule). Use
    `screenshot(page, step)` to save tests/e2e/screenshots/<test>-<step>.png.
    """
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    page.offsite_requests = []  # type: ignore[attr-defined]
    page.test_name = _SAFE.sub("_", request.node.name)  # type: ignore[attr-defined]
    record_offsite_requests(context, live_server, page.offsite_requests)  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        offsite = list(page.offsite_requests)  # type: ignore[attr-defined]
        context.close()
    assert offsite == [], f"third-party requests made by the app: {offsite}"


def screenshot(page: Page, step: str) -> Path:
    """Save tests/e2e/screenshots/<test name>-<step>.png (the folder is git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = getattr(page, "test_name", "page")
    path = SCREENSHOTS / f"{name}-{_SAFE.sub('_', step)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app(page: Page, timeout_ms: int | None = None, settle_s: float = 0.3) -> None:
    """Wait until Streamlit is quiet: no script run under way, and none starting (bounded).

    After an interaction the rerun starts asynchronously, later on a loaded machine, and a run
    that ends in `st.rerun()` (every console save does: flash, then rerun) is followed by
    another. So one finished run is not enough: the app must be seen idle, and still idle
    `settle_s` later, before the page is read. Fails on a timeout or on a shown exception.
    `timeout_ms` defaults to the scaled run budget (`budget()`).
    """
    if timeout_ms is None:
        timeout_ms = budget()
    app = page.locator('[data-testid="stApp"]')
    status = page.locator('[data-testid="stStatusWidget"]')
    expect(app).to_be_visible(timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.wait_for_timeout(settle_s * 1000)
        left_ms = max(deadline - time.monotonic(), 0.5) * 1000
        expect(app).to_have_attribute("data-test-script-state", _IDLE, timeout=left_ms)
        expect(status).to_be_hidden(timeout=left_ms)
        page.wait_for_timeout(settle_s * 1000)
        state = app.get_attribute("data-test-script-state")
        if state is not None and _IDLE.match(state) and not status.is_visible():
            break
        if time.monotonic() > deadline:
            break
    errors = page.locator('[data-testid="stException"]')
    if state != "notRunning" or errors.count():
        origin = next((base for base in _SERVER_LOGS if page.url.startswith(base)), None)
        log = log_tail(_SERVER_LOGS[origin]) if origin else "(no server log)"
        pytest.fail(
            f"the script run ended with {state!r} on {page.url}, "
            f"{errors.count()} exception(s) shown; server log tail:\n{log}"
        )


def open_page(page: Page, title: str, *, via: str = "menu") -> None:
    """Open a page of the app by its navigation title.

    via="menu": click its link in the navigation bar (visible at phone size too).
    via="url": go straight to its url path.
    """
    if via == "url":
        page.goto(f"/{URL_PATHS[title]}")
    else:
        page.locator(".st-key-nav_bar").get_by_role("link", name=title).click()
        expect(page).to_have_url(re.compile(rf"/{URL_PATHS[title]}$"))
    wait_for_app(page)


@pytest.fixture(scope="session")
def live_database(live_server: str) -> Database:
    """The database behind the live server, to prepare accounts and data directly."""
    return Database(_SERVER_DATABASES[live_server])


def log_in(page: Page, email: str, password: str) -> None:
    """Log in through the real form, then wait for the app."""
    page.goto("/connexion")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    wait_for_app(page)


@pytest.fixture(scope="session")
def twin_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """Two app processes on two ports sharing one PostgreSQL database and one cookie secret.

    What a region's deployment looks like behind its reverse proxy (docs/operations.md).
    Yields (base URL of A, base URL of B, database URL).
    """
    from tests.conftest import POSTGRES_URL, empty_database

    # As in production: no module reloading when files change under the running servers.
    production_like = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    if not POSTGRES_URL:
        pytest.skip("two app processes share a PostgreSQL database: set DZG_TEST_POSTGRES_URL")
    folder = tmp_path_factory.mktemp("twins")
    with empty_database("postgresql", str(folder)) as url:
        migrate.upgrade(url)
        db = Database(url)
        load_reference(db)
        make_edition(db, "Défi e2e", running_edition_start(date.today()), 8, [("region", "32")])
        db.dispose()
        with (
            serve_app(url, folder / "server-a.log", COOKIE_SECRET, **production_like) as first,
            serve_app(url, folder / "server-b.log", COOKIE_SECRET, **production_like) as second,
        ):
            for server in (first, second):
                _SERVER_LOGS[server.base] = server.log
            yield first.base, second.base, url


def open_combobox(page: Page, key: str) -> None:
    """Open the Streamlit selectbox/multiselect with this key, as a person would.

    Streamlit 1.67's combobox only focuses on a first tap when another combobox had the focus
    (react-aria): a person taps again, and so do we. But a tap on an open combobox closes it: on a
    loaded machine the list can take seconds to show after the tap that opened it, and a blind
    second tap then closed it (seen under stress-ng). So tap only while the field says it is
    closed (`aria-expanded`), and otherwise wait for its list.
    """
    field = page.locator(f".st-key-{key} input")
    listbox = page.get_by_role("listbox")
    for _ in range(4):
        if field.get_attribute("aria-expanded") != "true":
            field.click()
        try:
            expect(listbox).to_be_visible(timeout=budget(1500))
            return
        except AssertionError:
            continue
    expect(listbox).to_be_visible()


def _shown(page: Page, key: str, option: str) -> Locator:
    """Where the widget shows `option` once chosen: a tag (multiselect) or its value (selectbox)."""
    widget = page.locator(f".st-key-{key}")
    if widget.locator('[data-testid="stMultiSelect"]').count():
        return widget.locator("[data-tag]").filter(has_text=option)
    return widget.get_by_role("combobox")


def _is_shown(page: Page, key: str, option: str, timeout_ms: int) -> bool:
    shown = _shown(page, key, option)
    try:
        if page.locator(f".st-key-{key} [data-testid='stMultiSelect']").count():
            expect(shown).to_have_count(1, timeout=timeout_ms)
        else:
            expect(shown).to_have_value(option, timeout=timeout_ms)
        return True
    except AssertionError:
        return False


def pick_option(page: Page, key: str, typed: str, option: str | None = None) -> None:
    """Choose an option of the Streamlit selectbox/multiselect with this key, as a person would.

    Opens the list (once no other list is open), types `typed` to filter it, taps the option
    named exactly `option` (or the first real one when `option` is None, never "Select all"),
    closes the list, then waits until the widget SHOWS that option (a tag of a multiselect, the
    value of a selectbox) and the app is idle. Pressing Enter on a filtered list of thousands
    of options chose nothing on a loaded machine (the filter had not caught up): a tap on the
    named option cannot miss, and the wait on the shown value catches a choice the widget did
    not keep. A person who sees their choice missing picks it again, and so does this helper,
    once, and only if it is still not shown.
    """
    name = option
    for attempt in range(3):
        # A save's flash shows at the top of the run that follows it, while that run is still
        # drawing the widgets below: a tap then can be lost with the widget redrawn under it (seen
        # under stress-ng). A person waits for the page to settle, and so does this helper.
        wait_for_app(page)
        expect(page.get_by_role("listbox")).to_be_hidden()  # no list of another widget still open
        open_combobox(page, key)
        if typed:
            page.keyboard.type(typed)
        listbox = page.get_by_role("listbox")
        expect(listbox).to_be_visible()
        try:
            if option:
                choice = listbox.get_by_role("option", name=option, exact=True)
            else:  # Streamlit's multiselect offers "Select all" first: skip it.
                choice = listbox.get_by_role("option").filter(has_not_text="Select all").first
                name = choice.inner_text(timeout=budget(5_000)).strip()
            choice.click(timeout=budget(5_000))
        except PlaywrightTimeoutError:
            # The list closed under the finger (a late rerun re-rendered the widget, as seen on
            # a loaded CI machine): a person opens it again, and so does this helper.
            if listbox.is_visible():
                page.keyboard.press("Escape")
            wait_for_app(page)
            warnings.warn(f"{key}: the list closed before the tap, opening it again", stacklevel=2)
            continue
        # A multiselect keeps its list open; Escape on a closed combobox would clear what was typed.
        if listbox.is_visible():
            page.keyboard.press("Escape")
        assert name is not None
        if _is_shown(page, key, name, budget()):
            break
        wait_for_app(page)
        if attempt == 2 or _is_shown(page, key, name, budget(1_000)):
            break
        warnings.warn(f"{key}: the chosen option {name!r} was not kept, choosing again", stacklevel=2)
    assert name is not None
    assert _is_shown(page, key, name, budget(1_000)), f"{key}: {name!r} is not shown after two taps"
    wait_for_app(page)


# The edition form offers every territory of the région (~3,900 options): on a loaded 2-core
# CI machine its first render can take longer than an ordinary page.
EDITION_FORM_MS = 60_000


def submit_form(page: Page, button_key: str, message: str, timeout_ms: int | None = None) -> None:
    """Tap the submit button with this key and wait for the flash `message` the save ends with.

    The button is focused first, so that the combobox the person last typed in loses the focus
    (and re-renders) before the tap, not during it. Once in a full CI run (2 workers, 2 cores)
    such a tap still went unheard: no script run followed, the form kept its values, nothing
    was written. A person taps again when nothing happens, and so does this helper, once, and
    only when the app is idle and shows no error. The forms driven this way are safe to submit
    twice: after a save they show the saved record, so a second tap updates it, never
    duplicates it (see ui/console_editions.py). `timeout_ms` defaults to the scaled budget of
    the edition form.
    """
    if timeout_ms is None:
        timeout_ms = budget(EDITION_FORM_MS)
    button = page.locator(f".st-key-{button_key} button")
    flash = page.get_by_text(message)
    button.focus()
    wait_for_app(page, timeout_ms)
    for tap in range(2):
        button.click()
        wait_for_app(page, timeout_ms)
        try:
            expect(flash).to_be_visible(timeout=budget() if tap else budget(5_000))
            wait_for_app(page, timeout_ms)  # the flash shows while its run still draws the page
            return
        except AssertionError:
            if tap or page.locator('[data-testid="stAlertContentError"]').count():
                raise
            warnings.warn(f"{button_key}: the first tap went unheard, tapping again", stacklevel=2)
