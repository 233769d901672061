"""SQLite survives a writer killed mid-burst: the file stays sound, no saved check-in is lost.

A separate process records check-ins as fast as it can and logs each one (fsync) only after its
commit returned; the test SIGKILLs it at a random moment, then checks the database as the next
process to open it would find it, and starts a new writer on it: three times. The writer is a
`python -m tests.support.writer crash` process (tests/support/children.py).
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from challenge.editions.calendar import EditionView
from challenge.infra.db import Database
from challenge.models import Account, Checkin, DeclaredService, Enrolment, Household
from tests.conftest import LILLE
from tests.support import children

HOUSEHOLDS = 60
SERVICES = ("amazon", "gmail", "whatsapp")
ROUNDS = 3
ROUND_TIMEOUT_S = 300  # a watchdog against a hung writer only: the rounds end on work done


def _copy_of(db: Database, folder: Path) -> Database:
    """A private copy of the test database (reference data included), for this test only."""
    source = db.engine.url.database
    assert source
    target = folder / "crash.sqlite3"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    return Database(f"sqlite:///{target}")


def _households(db: Database, edition: EditionView) -> list[int]:
    """Households enrolled from the start, each with three declared services (bulk, no argon2)."""
    joined = datetime.combine(edition.start_date - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    with db.write() as session:
        ids = []
        for index in range(HOUSEHOLDS):
            account = Account(email=f"crash-{index}@exemple.fr", password_hash=None)
            session.add(account)
            session.flush()
            household = Household(
                account_id=account.id,
                name=f"Foyer {index}",
                commune_code=LILLE,
                size=2,
                consent_version="test",
                consent_at=joined,
            )
            session.add(household)
            session.flush()
            session.add(Enrolment(edition_id=edition.id, household_id=household.id, enrolled_at=joined))
            session.add_all(DeclaredService(household_id=household.id, service_slug=s) for s in SERVICES)
            ids.append(household.id)
    return ids


def _acknowledged(path: Path) -> list[tuple[int, int, str, str]]:
    """Complete lines only: the writer may have died in the middle of one."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").split("\n")[:-1]
    return [(int(h), int(w), s, status) for h, w, s, status in (line.split() for line in lines)]


def _kill_mid_burst(url: str, keys: list[tuple[int, int, str]], log: Path, today: date, after: int) -> int:
    """Run a writer, SIGKILL it once `after` check-ins are acknowledged; returns its exit code."""
    arguments = {"url": url, "keys": keys, "acknowledged": str(log), "today": today.isoformat()}
    process = children.start("crash", arguments, log.with_suffix(".stderr"))
    deadline = time.monotonic() + ROUND_TIMEOUT_S
    try:
        while len(_acknowledged(log)) < after and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
    finally:
        children.stop([process])
    stderr = log.with_suffix(".stderr").read_text(encoding="utf-8")[-2000:]
    assert len(_acknowledged(log)) >= after, (
        f"the writer stopped early (exit code {process.returncode}): {stderr}"
    )
    return process.returncode or 0


def _check_file(path: str) -> None:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def test_writer_killed_mid_burst_loses_no_acknowledged_check_in(
    db: Database, edition: EditionView, today: date, tmp_path: Path
) -> None:
    if db.dialect != "sqlite":
        pytest.skip("crash safety of the embedded SQLite file (PostgreSQL has its own WAL)")
    copy = _copy_of(db, tmp_path)
    keys = [(h, w, s) for h in _households(copy, edition) for w in (2, 3) for s in SERVICES]
    chunk = len(keys) // ROUNDS
    copy.dispose()  # from now on only the writers and a fresh connection per check touch the file
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    path = copy.engine.url.database
    assert path

    for round_ in range(ROUNDS):
        log = tmp_path / f"acknowledged-{round_}.log"
        todo = keys[round_ * chunk : (round_ + 1) * chunk]
        exit_code = _kill_mid_burst(copy.url, todo, log, today, after=rng.randint(5, chunk // 2))
        assert exit_code == -9, f"the writer was not killed mid-burst (seed {seed})"

        _check_file(path)  # what the next process to open the file finds
        saved = Database(copy.url)
        try:
            with saved.read() as session:
                rows = {
                    (c.household_id, c.week, c.service_slug): c.status
                    for c in session.scalars(select(Checkin))
                }
        finally:
            saved.dispose()
        acknowledged = _acknowledged(log)
        missing = [a for a in acknowledged if rows.get(a[:3]) != a[3]]
        assert missing == [], f"acknowledged check-ins lost after SIGKILL (seed {seed})"
        in_round = sum(1 for key in todo if key in rows)
        # At most one commit can have landed without its acknowledgement being logged.
        assert len(acknowledged) <= in_round <= len(acknowledged) + 1, f"seed {seed}"


def test_a_child_process_does_not_run_the_app_script_whatever_main_is(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """After an AppTest, `__main__` is streamlit_app.py in the test worker: a multiprocessing
    "spawn" child would re-run it at start-up. The writers start from their own module instead."""
    import json
    import types

    from tests.support.children import REPO_ROOT

    app_script = types.ModuleType("__main__")
    app_script.__file__ = str(REPO_ROOT / "streamlit_app.py")
    monkeypatch.setitem(sys.modules, "__main__", app_script)
    process = children.start("modules", {}, tmp_path / "stderr")
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        process.wait(timeout=120)
    finally:
        children.stop([process])
    assert process.returncode == 0, (tmp_path / "stderr").read_text(encoding="utf-8")
    seen = json.loads(line)
    assert seen["main"] == "tests.support.writer"
    assert [m for m in seen["modules"] if m.split(".")[0] in {"streamlit_app", "app", "streamlit"}] == []
