"""The load harness's weekly journey (bench/journey.py) works for every household it logs in as,
a household's first check-in included: it starts unanswered and the page refuses it so."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.capacity import WORKLOADS, floor_folder
from bench.journey import Plan, Stats, protocol_session
from challenge.accounts import sessions
from challenge.editions.calendar import EditionView
from challenge.households.profile import save_service_plan
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import Checkin
from devtools.servers import RunningServer, serve_app
from tests.conftest import Member
from tests.support.concurrency import run_coroutine
from web.identity import session_signer

COOKIE_SECRET = "bench-journey-test-only-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("bench-journey") / "server.log"
    with serve_app(database_url, log, COOKIE_SECRET, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none") as running:
        yield running


class OneJourney(Plan):
    """One journey, then the session ends (a load run's sessions stay until the run's end)."""

    async def idle(self) -> None:
        return None


def test_the_journey_answers_every_service_of_a_first_check_in(
    server: RunningServer, db: Database, member: Member, edition: EditionView
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"], "uber": []})
    token = sessions.open_session(db, member.account_id, timedelta(hours=1))
    cookie = session_signer(Settings(database_url=db.url, cookie_secret=COOKIE_SECRET)).sign(token).decode()
    stats = Stats()
    plan = OneJourney(delay=0, until=time.monotonic() + 600, active=True, think=0, limit=1)
    run_coroutine(protocol_session(server.base, cookie, stats, plan))
    assert stats.errors == []
    assert len(stats.latencies["check-in"]) == 1
    with db.read() as session:
        answered = set(session.scalars(select(Checkin.service_slug).where(Checkin.week == 3)))
    assert answered == {"gmail", "whatsapp", "uber"}


def test_the_capacity_floors_draw_what_they_measure(
    database_url: str, db: Database, member: Member, tmp_path: Path
) -> None:
    """`make bench`'s two floors run: the one-line page behind the app's stack, and the app's frame
    (navigation, footer) without a page, for a logged-in household."""
    token = sessions.open_session(db, member.account_id, timedelta(hours=1))
    cookie = session_signer(Settings(database_url=db.url, cookie_secret=COOKIE_SECRET)).sign(token).decode()
    floors = floor_folder(tmp_path)
    for workload in (w for w in WORKLOADS if w.app_file):
        assert workload.app_file is not None
        log = tmp_path / f"{workload.name}.log"
        production_like = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
        with serve_app(
            database_url, log, COOKIE_SECRET, app_file=floors / workload.app_file, **production_like
        ) as floor:
            stats = Stats()
            plan = OneJourney(delay=0, until=time.monotonic() + 600, active=True, think=0, limit=1)
            run_coroutine(workload.session(floor.base, cookie, stats, plan))
        assert stats.errors == [], (workload.name, stats.errors)
        assert len(stats.latencies["open the page"]) == 3, workload.name  # a journey's 3 interactions
