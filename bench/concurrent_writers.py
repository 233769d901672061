"""How long twenty writer processes take on the same households (the figures the test no longer asserts).

    python -m bench.concurrent_writers                     # a fresh SQLite file
    python -m bench.concurrent_writers --db postgresql   # new database on DZG_BENCH_POSTGRES_URL's server
    python -m bench.concurrent_writers --runs 3

The scenario is tests/integration/test_concurrent_writers.py's: 20 `python -m tests.support.writer`
processes sign up, log in, onboard, plan and check in 4 households in lock-step phases. It prints,
per run, the seconds until the processes were all started and ready (python start-up and imports),
then each phase (from the release of all writers until every one of them is done), and the
total, with the machine's load average. The test itself is bounded by work done, not by time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, make_url, select, text

from challenge.cli.reference import load_reference
from challenge.infra import migrate
from challenge.infra.db import Database
from challenge.models import Enrolment
from tests.support import children, writers
from tests.support.editions import make_edition

POSTGRES_SERVER = os.environ.get(
    "DZG_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
WORKERS = 20
EMAILS = [f"foyer-concurrent-{index}@exemple.fr" for index in range(4)]
PHASE_NAMES = [
    "start-up",
    "sign-up + log-in",
    "onboarding",
    "(empty step)",
    "plans",
    "check-ins",
    "final check-ins",
]


def _fresh_database(backend: str, folder: Path) -> tuple[str, Callable[[], None]]:
    """URL of an empty database of `backend`, and how to drop it afterwards."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'writers.sqlite3'}", lambda: None
    name = f"dzg_bench_writers_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(POSTGRES_SERVER), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False), drop


def one_run(backend: str) -> list[float]:
    """Seconds of each phase of one run on a fresh database (start-up first, then the phases)."""
    with tempfile.TemporaryDirectory() as folder:
        url, drop = _fresh_database(backend, Path(folder))
        try:
            migrate.upgrade(url)
            db = Database(url)
            load_reference(db)
            today = date.today()
            start = today - timedelta(days=today.weekday()) - timedelta(weeks=2)
            make_edition(db, "Défi bench", start, 8, [("region", "32")])

            def between(phase: int) -> None:
                if phase == 2:
                    before = datetime.combine(start - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
                    with db.write() as session:
                        for enrolment in session.scalars(select(Enrolment)):
                            enrolment.enrolled_at = before

            arguments = {"url": url, "emails": EMAILS, "today": today.isoformat()}
            results, timings = children.run_in_lock_step(
                "concurrent",
                [{**arguments, "worker": worker} for worker in range(WORKERS)],
                writers.PHASES,
                between,
                900,
                Path(folder) / "stderr",
            )
            errors = [error for message in results for error in message["result"][1]]
            if errors:
                raise SystemExit(f"the writers reported errors: {errors[:3]}")
            db.dispose()
            return timings
        finally:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    print(f"{WORKERS} writer processes, {options.db}, {os.cpu_count()} cores")
    for run in range(options.runs):
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        timings = one_run(options.db)
        total = time.monotonic() - started
        phases = ", ".join(
            f"{name} {seconds:.1f} s" for name, seconds in zip(PHASE_NAMES, timings, strict=True)
        )
        print(f"run {run + 1}: {phases}; total {total:.1f} s (with set-up); load average {load_before:.1f}")


if __name__ == "__main__":
    main()
