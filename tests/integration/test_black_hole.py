"""A network that swallows PostgreSQL's packets for 30 s under 10 open households, on the real app.

The app (`streamlit run app.py`) reaches PostgreSQL through a TCP proxy that holds every byte,
both ways, while the connections stay open: what a dead network path or a frozen database host
looks like. Ten households are connected as browser tabs are (Streamlit's WebSocket protocol).
Each must get the French unavailability message because one of the page's bounds on database waits
gave up (challenge.infra.db_waits: 3 s to reach the database, 5 s for an answer, 3 s for a pooled
connection; the operations guide promises the message within 5 s), keep getting it while the
outage lasts, find its page again once the
network is back without anyone restarting anything, and no check-in it was told was saved may be
missing. The test asserts which bound fired for every page run, not how long the runs took (a
loaded machine makes waits longer, not different); the figures (time to the message, time to
recover) are printed with `-s`.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.streamlit_client import PageRun, StreamlitTab
from challenge.accounts import sessions
from challenge.core.i18n import use_locale
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import Checkin
from devtools.servers import RunningServer, log_tail, serve_app
from tests.conftest import make_member
from tests.support.concurrency import run_coroutine
from tests.support.households import join_before_start
from tests.support.tcp_proxy import TcpProxy
from ui.resilience import UNAVAILABLE_MESSAGE
from web.identity import SESSION_COOKIE, session_signer

HOUSEHOLDS = 10
OUTAGE_S = 30.0
# What a page run logs when one of PAGE_WAITS gives up: libpq's connect timeout, the answer bound of
# AnswerBoundConnection, the pool's checkout timeout.
BOUNDS = ("connection timeout expired", "did not answer within", "QueuePool limit")
GAVE_UP = re.compile(r"database unavailable during a page run: (.*)")
RECOVERY_LIMIT_S = 60.0  # waiting for a state, not a timing: the page must come back by itself
COOKIE_SECRET = "black-hole-test-only-secret-0123456789abcdef"
SAVED = re.compile(r"Bilan de la semaine \d+ enregistré")
SUBMIT = "Enregistrer mon bilan"
with use_locale("fr"):
    UNAVAILABLE = str(UNAVAILABLE_MESSAGE)


@dataclass
class Household:
    household_id: int
    cookie: str
    submit_id: str = ""
    acknowledged: bool = False
    outage_runs: list[float] = field(default_factory=list)
    recovered_after_s: float | None = None


@pytest.fixture
def households(db: Database, edition: EditionView) -> list[Household]:
    signer = session_signer(Settings(database_url=db.url, cookie_secret=COOKIE_SECRET))
    made = []
    for number in range(HOUSEHOLDS):
        member = make_member(db, f"foyer-{number}@exemple.fr", name=f"Foyer {number}")
        save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
        # Checked in last week: this week's page starts on that answer, ready to send in one press
        # (a first check-in starts unanswered and refuses a press that answers nothing).
        join_before_start(db, member.household_id)
        record_checkin(db, member.household_id, 2, [CheckinEntry("gmail", "tried")], date.today())
        token = sessions.open_session(db, member.account_id, timedelta(hours=2))
        made.append(Household(member.household_id, f"{SESSION_COOKIE}={signer.sign(token).decode()}"))
    return made


@pytest.fixture
def app_behind_proxy(proxied_url: tuple[TcpProxy, str], tmp_path: Path) -> Iterator[RunningServer]:
    url = proxied_url[1]
    production_like = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    with serve_app(url, tmp_path / "server.log", COOKIE_SECRET, **production_like) as server:
        yield server


def _unavailable(run: PageRun) -> bool:
    return run.alerts_of("ERROR") == [UNAVAILABLE] and not run.errors


def _saved(run: PageRun) -> bool:
    return any(SAVED.search(body) for body in run.alerts_of("SUCCESS"))


async def _timed(step: Awaitable[PageRun]) -> tuple[PageRun, float]:
    started = time.monotonic()
    run = await step
    return run, time.monotonic() - started


async def _before(tab: StreamlitTab, household: Household, check_in: bool) -> None:
    assert "Mon défi" in (await tab.open("")).texts
    shown = await tab.open("bilan")
    household.submit_id = shown.buttons[SUBMIT]
    if check_in:
        household.acknowledged = _saved(await tab.press("bilan", household.submit_id))
        assert household.acknowledged


async def _during(tab: StreamlitTab, household: Household, until: float, tries_to_check_in: bool) -> None:
    """Ask for pages (or submit the check-in) for as long as the outage lasts: each answer is the
    French message."""
    while time.monotonic() < until:
        if tries_to_check_in and not household.outage_runs:
            step = tab.press("bilan", household.submit_id)
        else:
            step = tab.open("" if len(household.outage_runs) % 2 else "bilan")
        run, elapsed = await _timed(step)
        assert _unavailable(run), (run.alerts, run.errors, run.texts[:5])
        assert not _saved(run)
        household.outage_runs.append(elapsed)
        await asyncio.sleep(1.0)


async def _after(tab: StreamlitTab, household: Household, restored_at: float, check_in: bool) -> None:
    """Ask again until the page shows itself (no restart in between), then check in if not done."""
    while True:
        run = await tab.open("")
        if not run.alerts_of("ERROR") and "Mon défi" in run.texts:
            household.recovered_after_s = time.monotonic() - restored_at
            break
        assert time.monotonic() - restored_at < RECOVERY_LIMIT_S, (run.alerts, run.texts[:5])
        await asyncio.sleep(0.5)
    if check_in:
        shown = await tab.open("bilan")
        button = shown.buttons.get(SUBMIT) or shown.buttons["Mettre à jour mon bilan"]
        household.acknowledged = _saved(await tab.press("bilan", button))
        assert household.acknowledged


async def _outage(base: str, proxy: TcpProxy, households: list[Household]) -> None:
    # The client's own timeout is only a safety net: durations are asserted on, runs never hang.
    tabs = [StreamlitTab(base, household.cookie, RECOVERY_LIMIT_S) for household in households]
    half = len(households) // 2  # the first half checks in before the outage, the others during it
    pairs = list(enumerate(zip(tabs, households, strict=True)))
    for tab in tabs:
        await tab.__aenter__()
    try:
        await asyncio.gather(*(_before(tab, household, i < half) for i, (tab, household) in pairs))
        proxy.cut("hold")
        until = time.monotonic() + OUTAGE_S
        await asyncio.gather(*(_during(tab, household, until, i >= half) for i, (tab, household) in pairs))
        proxy.restore()
        back = time.monotonic()
        await asyncio.gather(*(_after(tab, household, back, i >= half) for i, (tab, household) in pairs))
    finally:
        for tab in tabs:
            await tab.__aexit__(None, None, None)


def test_ten_households_get_the_french_message_from_a_bound_and_lose_nothing(
    db: Database, proxy: TcpProxy, households: list[Household], app_behind_proxy: RunningServer
) -> None:
    run_coroutine(_outage(app_behind_proxy.base, proxy, households))

    durations = [seconds for household in households for seconds in household.outage_runs]
    recoveries = [household.recovered_after_s or 0.0 for household in households]
    figures = (
        f"{len(durations)} page runs during {OUTAGE_S:.0f} s of outage: French message after min "
        f"{min(durations):.2f} s, median {statistics.median(durations):.2f} s, max {max(durations):.2f} s; "
        f"recovered after min {min(recoveries):.2f} s, max {max(recoveries):.2f} s"
    )
    print(f"\n{figures}")
    assert all(household.outage_runs for household in households)
    assert all(household.acknowledged for household in households)
    with db.read() as session:  # straight to PostgreSQL, not through the proxy
        checked_in = set(session.scalars(select(Checkin.household_id).where(Checkin.week == 3)))
    assert checked_in == {household.household_id for household in households}
    log = log_tail(app_behind_proxy.log, limit=2_000_000)
    assert "challenge.resilience" in log
    causes = GAVE_UP.findall(log)  # one line per page run that met the outage
    assert len(causes) >= len(durations), figures
    assert all(any(bound in cause for bound in BOUNDS) for cause in causes), set(causes)
