"""Backups: `python -m challenge backup` then `restore` into a fresh database gives the same data."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from challenge.core.errors import ChallengeError
from challenge.demo.generator import generate_demo
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra import backup
from challenge.infra.db import Database
from tests.conftest import Member, empty_database, make_member


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "challenge", *args],
        text=True,
        capture_output=True,
        env={"DATABASE_URL": url, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        timeout=120,
        check=False,
    )


@pytest.fixture
def member(db: Database, today: date) -> Member:
    """A household in Lille among demo households, in the demo's running edition (the région's)."""
    generate_demo(db, households=15, weeks=3, seed=3, today=today)
    return make_member(db, "colibri@exemple.fr")


@pytest.fixture
def populated(db: Database, member: Member, today: date) -> Database:
    """Demo households with weeks of check-ins, plus a real member with a session."""
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "blablacar": ["mobicoop"]})
    record_checkin(db, member.household_id, 3, [CheckinEntry("blablacar", "tried", km=12.5)], today)
    return db


@pytest.fixture
def fresh_url(db: Database, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the same backend."""
    with empty_database(db.dialect, str(tmp_path)) as url:
        yield url


def _fingerprint(url: str) -> dict[str, backup.TableFingerprint]:
    db = Database(url)
    try:
        return backup.fingerprint(db)
    finally:
        db.dispose()


def test_backup_then_restore_into_a_fresh_database_gives_identical_tables(
    populated: Database, fresh_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "saved" / "zerogafam.backup"
    saved = _cli(populated.url, "backup", "--out", str(out))
    assert saved.returncode == 0, saved.stderr
    assert out.is_file()
    assert list(out.parent.iterdir()) == [out]  # no partial file left behind

    restored = _cli(fresh_url, "restore", str(out))
    assert restored.returncode == 0, restored.stderr

    original, copy = backup.fingerprint(populated), _fingerprint(fresh_url)
    assert {"account", "checkin", "household", "commune", "alembic_version"} <= set(original)
    assert original["checkin"].rows > 100
    assert copy == original


def test_restore_over_a_changed_database_brings_back_the_saved_state(
    populated: Database, fresh_url: str, tmp_path: Path, member: Member, today: date
) -> None:
    out = tmp_path / "zerogafam.backup"
    backup.backup(populated.url, out)
    backup.restore(fresh_url, out)
    later = Database(fresh_url)
    try:
        record_checkin(later, member.household_id, 2, [CheckinEntry("gmail", "switched")], today)
        assert backup.fingerprint(later) != backup.fingerprint(populated)
    finally:
        later.dispose()
    backup.restore(fresh_url, out)
    assert _fingerprint(fresh_url) == backup.fingerprint(populated)


def test_sqlite_backup_is_one_self_contained_file(db: Database, member: Member, tmp_path: Path) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite file format")
    out = tmp_path / "zerogafam.sqlite3.backup"
    backup.backup(db.url, out)
    with sqlite3.connect(f"{out.as_uri()}?mode=ro", uri=True) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


def test_restoring_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(
    db: Database, member: Member, tmp_path: Path
) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("pas une sauvegarde\n" * 100)
    before = backup.fingerprint(db)
    result = _cli(db.url, "restore", str(bogus))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert backup.fingerprint(db) == before


def test_backup_of_a_missing_sqlite_database_is_refused_in_french(tmp_path: Path) -> None:
    with pytest.raises(ChallengeError, match="introuvable"):
        backup.backup(f"sqlite:///{tmp_path / 'absente.sqlite3'}", tmp_path / "out.backup")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "conninfo", "environment"),
    [
        (
            "postgresql+psycopg://zg@db.internal:5433/zerogafam",
            "host='db.internal' port='5433' user='zg' dbname='zerogafam'",
            {},
        ),
        (  # the password never reaches the command line; odd characters stay inside quotes
            "postgresql+psycopg://zg:s3cr%27t%20x@127.0.0.1/zero%20gafam?sslmode=require",
            "host='127.0.0.1' user='zg' dbname='zero gafam' sslmode='require'",
            {"PGPASSWORD": "s3cr't x"},
        ),
        (
            "postgresql+psycopg://zg@/zerogafam?host=/var/run/postgresql",
            "user='zg' dbname='zerogafam' host='/var/run/postgresql'",
            {},
        ),
        (
            "postgresql://u@h/d'; rm -rf / #",
            "host='h' user='u' dbname='d\\'; rm -rf / #'",
            {},
        ),
    ],
)
def test_postgres_urls_become_libpq_conninfo_without_the_password(
    url: str, conninfo: str, environment: dict[str, str]
) -> None:
    assert backup.pg_connection(url) == (conninfo, environment)


def test_unknown_postgres_url_parameters_are_refused() -> None:
    with pytest.raises(ChallengeError, match="non pris en charge"):
        backup.pg_connection("postgresql+psycopg://u@h/d?sslmode=require&evil=1")


def test_backup_of_an_unreachable_postgres_server_fails_cleanly(tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (Debian package postgresql-client)")
    out = tmp_path / "out.backup"
    with pytest.raises(ChallengeError, match="pg_dump a échoué"):
        backup.backup("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2", out)
    assert list(tmp_path.iterdir()) == []
