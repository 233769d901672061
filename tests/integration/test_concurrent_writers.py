"""Twenty processes writing the same households at once: no error, no lost update, no duplicate.

Each process goes through the real service layer (sign-up, log-in, onboarding, service plan,
check-ins), in lock-step phases so that the writes really collide. SQLite serialises writers
behind its busy timeout; PostgreSQL lets them race and the service layer retries what lost.

The test is bounded by work done (every writer reports every call it made), never by time: a
watchdog fails it only on a true hang. How long it takes is measured by bench/concurrent_writers.py.
The writers are `python -m tests.support.writer` processes (tests/support/children.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

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
from tests.support import children, writers

WORKERS = 20
EMAILS = [f"foyer-concurrent-{index}@exemple.fr" for index in range(4)]
# Only against a true hang (a writer waiting forever on a lock): a run takes ~20-30 s per backend
# on 2 idle cores, and may take many times that on a loaded machine without being wrong.
WATCHDOG_S = 900


def _backdate_enrolments(db: Database, edition: EditionView) -> None:
    """As if the households had joined before the edition started: weeks 2 and 3 are open."""
    before = datetime.combine(edition.start_date - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    with db.write() as session:
        for enrolment in session.scalars(select(Enrolment)):
            enrolment.enrolled_at = before


def run_writers(db: Database, edition: EditionView, today: date, folder: Path) -> list[dict[str, Any]]:
    """Run the writers in lock-step (the test backdates the enrolments after onboarding)."""

    def between(phase: int) -> None:
        if phase == 2:  # after onboarding, before the writers go on
            _backdate_enrolments(db, edition)

    arguments = {"url": db.url, "emails": EMAILS, "today": today.isoformat()}
    results, _ = children.run_in_lock_step(
        "concurrent",
        [{**arguments, "worker": worker} for worker in range(WORKERS)],
        writers.PHASES,
        between,
        WATCHDOG_S,
        folder / "writers.stderr",
    )
    return results


def test_twenty_processes_writing_at_once_lose_nothing_and_duplicate_nothing(
    db: Database, edition: EditionView, today: date, tmp_path: Path
) -> None:
    results = run_writers(db, edition, today, tmp_path)

    assert [error for message in results for error in message["result"][1]] == []
    # every call returned: 1 sign-up, 1 log-in, 4 onboardings, 4 plans, 2 × 8 check-ins each
    assert [message["result"][0] for message in results] == [1 + 1 + 4 + 4 + 16] * WORKERS
    # the writers ran the service layer only, not the app's script (see tests/support/writer.py)
    assert [message["app_modules"] for message in results] == [[]] * WORKERS
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
