"""Browser tests: the real server (`streamlit run app.py`) driven by headless Debian Chromium.

Run with `.venv/bin/python -m pytest tests/e2e -q`. They need Debian's `chromium` package (never
`playwright install`): without it they are skipped locally and fail on CI (env CI set).
Screenshots of every step land in tests/e2e/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from challenge import migrate
from challenge.db import Database
from challenge.editions import create_edition
from challenge.reference import load_reference

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
COOKIE_SECRET = "e2e-only-secret-not-for-production-0123456789abcdef"
START_TIMEOUT_S = 30
RUN_TIMEOUT_MS = 15_000
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
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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
_SAFE = re.compile(r"[^\w.-]+")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - our http URL
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(path: Path, limit: int = 6000) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return text[-limit:]


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
    create_edition(db, "Défi e2e", running_edition_start(date.today()), 8, [("region", "32")])

    port = _free_port()
    base = f"http://localhost:{port}"
    log_path = folder / "server.log"
    env = {**os.environ, "DATABASE_URL": url, "DZG_COOKIE_SECRET": COOKIE_SECRET}
    env.pop("DZG_COOKIE_SECURE", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _healthy(base):
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{_log_tail(log_path)}")
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within {START_TIMEOUT_S} s:\n{_log_tail(log_path)}")
            time.sleep(0.2)
        _SERVER_LOGS[base] = log_path
        _SERVER_DATABASES[base] = url
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if request.session.stash.get(_FAILED, False):
            print(f"\n--- server log ({log_path}) ---\n{_log_tail(log_path)}")


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


def new_phone_context(browser: Browser, base: str) -> BrowserContext:
    """A fresh phone-sized browser context (its own cookies) on the app."""
    context = browser.new_context(**PHONE, base_url=base)
    context.set_default_timeout(RUN_TIMEOUT_MS)
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


def wait_for_app(page: Page, timeout_ms: int = RUN_TIMEOUT_MS, settle_s: float = 0.3) -> None:
    """Wait until Streamlit has finished the current script run (bounded).

    A rerun starts asynchronously after a widget interaction, so first let it start, then wait
    for the app to report `notRunning` and for the "Running…" status widget to go away.
    """
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_be_visible(timeout=timeout_ms)
    page.wait_for_timeout(settle_s * 1000)
    done = re.compile(r"^(notRunning|compilationError)$")
    expect(app).to_have_attribute("data-test-script-state", done, timeout=timeout_ms)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_be_hidden(timeout=timeout_ms)
    page.wait_for_timeout(settle_s * 1000)
    state = app.get_attribute("data-test-script-state")
    errors = page.locator('[data-testid="stException"]')
    if state != "notRunning" or errors.count():
        origin = next((base for base in _SERVER_LOGS if page.url.startswith(base)), None)
        log = _log_tail(_SERVER_LOGS[origin]) if origin else "(no server log)"
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
    from tests.support.servers import serve_app

    # As in production: no module reloading when files change under the running servers.
    production_like = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    if not POSTGRES_URL:
        pytest.skip("two app processes share a PostgreSQL database: set DZG_TEST_POSTGRES_URL")
    folder = tmp_path_factory.mktemp("twins")
    with empty_database("postgresql", str(folder)) as url:
        migrate.upgrade(url)
        db = Database(url)
        load_reference(db)
        create_edition(db, "Défi e2e", running_edition_start(date.today()), 8, [("region", "32")])
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
    (react-aria): a person taps again, and so do we.
    """
    field = page.locator(f".st-key-{key} input")
    for _ in range(3):
        field.click()
        try:
            expect(page.get_by_role("listbox")).to_be_visible(timeout=1500)
            return
        except AssertionError:
            continue
    expect(page.get_by_role("listbox")).to_be_visible()


# The edition form offers every territory of the région (~3,900 options): on a loaded 2-core
# CI machine its first render can take longer than an ordinary page.
EDITION_FORM_MS = 60_000
# Saving the edition form sometimes leaves the script run "running" for over 60 s under CI's
# 2-worker load (cause not found yet; issue 4 stays open); the journeys pass when run alone.
edition_save_may_hang = pytest.mark.xfail(
    strict=False,
    reason="under CI's 2-worker load, saving the edition form sometimes leaves the script run "
    "'running' for over 60 s (cause not found yet; issue 4 stays open); passes when run alone",
)
