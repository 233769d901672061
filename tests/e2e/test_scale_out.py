"""Scale-out, proven: two app processes behind a real HAProxy (Debian's), one PostgreSQL.

The deployment docs/operations.md describes, started on loopback: sticky sessions by an inserted
cookie, WebSockets through the proxy, `/healthz` checks. One process is killed (SIGKILL) while
households are using it: their sessions reconnect through the proxy to the other process, stay
logged in (sessions live in the database), and no acknowledged check-in is lost; a real browser
reconnects by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from bench.streamlit_client import PageRun, StreamlitTab
from challenge.accounts import sessions
from challenge.cli.reference import load_reference
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra import migrate
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import Checkin
from devtools.proxy import AFFINITY_COOKIE, RunningProxy, haproxy_path, serve_haproxy
from devtools.servers import RunningServer, serve_app
from tests.conftest import PASSWORD, POSTGRES_URL, empty_database, make_member
from tests.e2e.conftest import COOKIE_SECRET, log_in, new_phone_context, running_edition_start, wait_for_app
from tests.support.concurrency import run_coroutine
from tests.support.editions import make_edition
from web.identity import SESSION_COOKIE, session_signer

pytestmark = pytest.mark.e2e
HOUSEHOLDS = 8  # half on each process
RECONNECT_LIMIT_S = 90.0  # waiting for a state (the other process answers), not a timing
SAVED = re.compile(r"Bilan de la semaine \d+ enregistré")
SUBMIT = ("Enregistrer mon bilan", "Mettre à jour mon bilan")


@dataclass
class Household:
    household_id: int
    session_cookie: str
    server: str  # the affinity cookie's value: which process the proxy sends it to at first
    acknowledged_before: bool = False
    acknowledged_after: bool = False
    reconnected_after_s: float | None = None


@dataclass(frozen=True)
class Deployment:
    database: Database
    week: int  # this week of the running edition
    proxy: RunningProxy
    servers: dict[str, RunningServer]  # affinity cookie value -> process


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    if not POSTGRES_URL:
        pytest.skip("several app processes share a PostgreSQL database: set DZG_TEST_POSTGRES_URL")
    if haproxy_path() is None:
        message = "haproxy not found: install Debian's haproxy (apt-get install haproxy)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    production_like = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    with empty_database("postgresql", str(tmp_path)) as url:
        migrate.upgrade(url)
        database = Database(url)
        load_reference(database)
        edition = make_edition(
            database, "Défi e2e", running_edition_start(date.today()), 8, [("region", "32")]
        )
        with contextlib.ExitStack() as stack:
            first = stack.enter_context(
                serve_app(url, tmp_path / "app1.log", COOKIE_SECRET, **production_like)
            )
            second = stack.enter_context(
                serve_app(url, tmp_path / "app2.log", COOKIE_SECRET, **production_like)
            )
            ports = [int(server.base.rsplit(":", 1)[1]) for server in (first, second)]
            proxy = stack.enter_context(serve_haproxy(ports, tmp_path))
            week = edition.this_week(date.today())
            yield Deployment(database, week, proxy, {"app1": first, "app2": second})
        database.dispose()


def _households(db: Database, week: int) -> list[Household]:
    signer = session_signer(Settings(database_url=db.url, cookie_secret=COOKIE_SECRET))
    made = []
    for number in range(HOUSEHOLDS):
        member = make_member(db, f"foyer-{number}@exemple.fr", name=f"Foyer {number}")
        save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
        # Checked in last week: this week's page starts on that answer, ready to send in one press
        # (a first check-in starts unanswered and refuses a press that answers nothing).
        record_checkin(db, member.household_id, week - 1, [CheckinEntry("gmail", "tried")], date.today())
        token = sessions.open_session(db, member.account_id, timedelta(hours=2))
        cookie = f"{SESSION_COOKIE}={signer.sign(token).decode()}"
        made.append(Household(member.household_id, cookie, f"app{number % 2 + 1}"))
    return made


def _tab(base: str, household: Household) -> StreamlitTab:
    cookies = f"{AFFINITY_COOKIE}={household.server}; {household.session_cookie}"
    return StreamlitTab(base, cookies, RECONNECT_LIMIT_S)


def _saved(run: PageRun) -> bool:
    return any(SAVED.search(body) for body in run.alerts_of("SUCCESS"))


async def _check_in(tab: StreamlitTab) -> bool:
    if not tab.pages:  # a new session learns the pages' addresses from its first run
        await tab.open("")
    shown = await tab.open("bilan")
    button = next(shown.buttons[label] for label in SUBMIT if label in shown.buttons)
    return _saved(await tab.press("bilan", button))


async def _keep_busy(tab: StreamlitTab, until: float) -> None:
    """Open pages as a household does, until `until` or until its process goes away."""
    with contextlib.suppress(Exception):  # the killed process's WebSockets break: expected
        while time.monotonic() < until:
            await tab.open("")
            await tab.open("bilan")
    with contextlib.suppress(Exception):
        await tab.__aexit__(None, None, None)


async def _come_back(base: str, household: Household, killed_at: float) -> None:
    """Reconnect as a browser does (same cookies), until the living process answers, logged in."""
    while True:
        try:
            async with _tab(base, household) as tab:
                if "Mon défi" in (await tab.open("")).texts:  # logged in, on the living process
                    household.reconnected_after_s = time.monotonic() - killed_at
                    household.acknowledged_after = await _check_in(tab)
                    return
        except Exception:  # noqa: S110 - the proxy may still be finding out which process died
            pass
        assert time.monotonic() - killed_at < RECONNECT_LIMIT_S, household
        await asyncio.sleep(0.5)


@dataclass
class Outage:
    """When the process was killed: the households wait for it before coming back."""

    killed: asyncio.Event
    at: float = 0.0


async def _household(base: str, tab: StreamlitTab, household: Household, outage: Outage) -> None:
    """Busy until its WebSocket breaks (or a few seconds after the kill), then back through the proxy."""
    await _keep_busy(tab, time.monotonic() + 8)
    await outage.killed.wait()
    await _come_back(base, household, outage.at)


async def _scenario(base: str, households: list[Household], kill: Callable[[], None]) -> None:
    tabs = [_tab(base, household) for household in households]
    for tab in tabs:
        await tab.__aenter__()
    for tab, household in zip(tabs, households, strict=True):
        household.acknowledged_before = await _check_in(tab)
    outage = Outage(asyncio.Event())
    running = [
        asyncio.create_task(_household(base, tab, household, outage))
        for tab, household in zip(tabs, households, strict=True)
    ]
    await asyncio.sleep(1.0)  # under load: every household is asking for pages
    kill()
    outage.at = time.monotonic()
    outage.killed.set()
    await asyncio.gather(*running)


def test_a_killed_process_loses_no_session_and_no_acknowledged_check_in(
    browser: Browser, deployment: Deployment
) -> None:
    """A browser and eight households (half on each process) are using the app when the browser's
    process is killed: everyone goes on on the other process, logged in, nothing acknowledged lost."""
    db = deployment.database
    households = _households(db, deployment.week)
    browsing = make_member(db, "navigateur@exemple.fr", name="Les Navigateurs")
    save_service_plan(db, browsing.household_id, {"whatsapp": ["signal"]})
    context = new_phone_context(browser, deployment.proxy.base)
    try:
        page = context.new_page()
        page.test_name = "test_scale_out"  # type: ignore[attr-defined]
        log_in(page, "navigateur@exemple.fr", PASSWORD)
        expect(page.get_by_role("heading", name="Mon défi")).to_be_visible()
        affinity = _affinity(context.cookies())

        def kill() -> None:
            os.kill(deployment.servers[affinity].pid, signal.SIGKILL)

        run_coroutine(_scenario(deployment.proxy.base, households, kill))

        # The browser's WebSocket broke with its process: Streamlit's page reconnects through the
        # proxy by itself, to the living process, and a tap on the bar still works, logged in.
        page.get_by_role("link", name="Services", exact=True).click()  # enabled once reconnected
        expect(page.get_by_role("heading", name="Mes services")).to_be_visible(
            timeout=int(RECONNECT_LIMIT_S * 1000)
        )
        wait_for_app(page)
        page.goto(f"{deployment.proxy.base}/bilan")  # and a new page load, too
        wait_for_app(page)
        expect(page.get_by_role("button", name=re.compile("mon bilan"))).to_be_visible()
        assert _affinity(context.cookies()) != affinity  # the proxy moved the session
    finally:
        context.close()

    assert all(household.acknowledged_before for household in households)
    assert all(household.acknowledged_after for household in households)  # logged in, elsewhere
    with db.read() as session:
        checked_in = set(session.scalars(select(Checkin.household_id).where(Checkin.week == deployment.week)))
    assert checked_in == {household.household_id for household in households}
    moved = sorted(h.reconnected_after_s or 0.0 for h in households if h.server == affinity)
    print(f"\nthe killed process's households were back after {moved[0]:.2f}–{moved[-1]:.2f} s")


def _affinity(cookies: Sequence[Mapping[str, Any]]) -> str:
    return str({cookie["name"]: cookie["value"] for cookie in cookies}[AFFINITY_COOKIE])
