"""Twenty processes writing the same households at once: no error, no lost update, no duplicate.

Each process goes through the real service layer (sign-up, log-in, onboarding, service plan,
check-ins), in lock-step phases so that the writes really collide. SQLite serialises writers
behind its busy timeout; PostgreSQL lets them race and the service layer retries what lost.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from challenge.editions.calendar import EditionView
from challenge.households.profile import service_plan
from challenge.households.progress import household_progress
from challenge.infra.db import Database
from challenge.models import (
    Account,
    Checkin,
    ChosenAlternative,
    DeclaredService,
    Enrolment,
    Household,
    LoginSession,
)
from tests.support import writers

WORKERS = 20
EMAILS = [f"foyer-concurrent-{index}@exemple.fr" for index in range(4)]
PHASES = 6  # barrier rounds, see writers.concurrent_writer
DEADLINE_S = 120  # only against a hang: a run takes ~20-30 s per backend on 2 idle cores


def _backdate_enrolments(db: Database, edition: EditionView) -> None:
    """As if the households had joined before the edition started: weeks 2 and 3 are open."""
    before = datetime.combine(edition.start_date - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    with db.write() as session:
        for enrolment in session.scalars(select(Enrolment)):
            enrolment.enrolled_at = before


def _run_workers(db: Database, edition: EditionView, today: date) -> list[tuple[int, int, list[str]]]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS + 1)  # the test is a party too: it acts between phases
    report: Any = context.Queue()
    processes = [
        context.Process(
            target=writers.concurrent_writer, args=(db.url, worker, EMAILS, today, barrier, report)
        )
        for worker in range(WORKERS)
    ]
    for process in processes:
        process.start()
    deadline = time.monotonic() + DEADLINE_S
    try:
        for phase in range(PHASES):
            barrier.wait(timeout=max(1.0, deadline - time.monotonic()))
            if phase == 2:  # after onboarding, before the workers go on
                _backdate_enrolments(db, edition)
        results = [report.get(timeout=max(1.0, deadline - time.monotonic())) for _ in processes]
    except (queue.Empty, threading.BrokenBarrierError) as error:
        barrier.abort()
        time.sleep(1)
        reports = []
        while not report.empty():
            reports.append(report.get_nowait())
        codes = [process.exitcode for process in processes]
        pytest.fail(f"the writers did not finish in time ({error!r}); exit codes {codes}; reports {reports}")
    finally:
        for process in processes:
            process.join(timeout=max(1.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
    return results


def test_twenty_processes_writing_at_once_lose_nothing_and_duplicate_nothing(
    db: Database, edition: EditionView, today: date
) -> None:
    started = time.monotonic()
    results = _run_workers(db, edition, today)
    elapsed = time.monotonic() - started

    assert [error for _, _, errors in results for error in errors] == []
    # every call returned: 1 sign-up, 1 log-in, 4 onboardings, 4 plans, 2 × 8 check-ins each
    assert sorted(done for _, done, _ in results) == [1 + 1 + 4 + 4 + 16] * WORKERS
    with db.read() as session:
        accounts = dict(session.execute(select(Account.email, Account.id)).all())
        households = dict(session.execute(select(Household.account_id, Household.id)).all())
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Account, LoginSession, Household, Enrolment, DeclaredService, ChosenAlternative)
        }
        plans = {h: service_plan(session, h) for h in households.values()}
        checkins = session.execute(
            select(Checkin.household_id, Checkin.week, Checkin.service_slug, Checkin.status, Checkin.km)
        ).all()
        progress = [household_progress(session, h, today) for h in households.values()]
    assert sorted(accounts) == sorted(EMAILS)
    assert counts == {
        "account": 4,
        "login_session": WORKERS,  # every log-in kept its own session: no lost insert
        "household": 4,
        "enrolment": 4,
        "declared_service": 4 * 3,
        "chosen_alternative": 4 * 3,
    }
    assert all(plan == writers.PLAN for plan in plans.values())
    # One row per (household, week, service), holding the answers of the last round.
    index_of = {households[accounts[email]]: index for index, email in enumerate(EMAILS)}
    expected = {
        (household, week, entry.service_slug, entry.status, entry.km)
        for household, index in index_of.items()
        for week in writers.WEEKS
        for entry in writers.canonical_entries(index, week)
    }
    assert len(checkins) == len(expected) == 4 * 2 * 3
    assert {tuple(row) for row in checkins} == expected
    assert sum(row.km or 0 for row in checkins) == sum(10 * w + i for i in range(4) for w in writers.WEEKS)
    assert all(p.checked_weeks == [2, 3] and p.switched == 1 for p in progress)
    assert elapsed < DEADLINE_S
