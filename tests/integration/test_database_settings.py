"""SQLite runs with the safety settings on every connection; writers take the lock up front; every
wait on PostgreSQL is bounded (challenge.infra.db_waits), and the operator may tune it in the URL."""

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from challenge.infra.db import Database
from challenge.infra.db_waits import BATCH_WAITS, PAGE_WAITS


def test_sqlite_connections_are_configured_for_safety(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10_000}


def test_sqlite_write_transactions_begin_immediate(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite locking")
    with db.write() as session:
        session.execute(text("SELECT 1"))  # a read first: the transaction has begun, IMMEDIATE
        # Inside an IMMEDIATE transaction this connection already holds the write lock:
        # another writer trying to start one must wait (here: fail at once with a zero timeout).
        other = db.engine.raw_connection()
        try:
            other.execute("PRAGMA busy_timeout = 0")
            with pytest.raises(Exception, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_an_autocommit_connection_opens_no_transaction(db: Database) -> None:
    """What bench/dataset.py does after a bulk load: ANALYZE, then fold the WAL into the file,
    which SQLite refuses inside a transaction ("database table is locked")."""
    if db.dialect != "sqlite":
        pytest.skip("SQLite transactions")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
        assert connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0] == 0  # not busy


def test_failed_write_transaction_leaves_nothing(db: Database) -> None:
    from sqlalchemy import func, select

    from challenge.models import Account

    def crash_midway() -> None:
        with db.write() as session:
            session.add(Account(email="a@exemple.fr", password_hash=None))
            session.flush()
            raise RuntimeError("crash in the middle of a use case")

    with pytest.raises(RuntimeError):
        crash_midway()
    with db.read() as session:
        assert session.scalar(select(func.count(Account.id))) == 0


def _server_settings(db: Database) -> dict[str, str]:
    names = ("statement_timeout", "lock_timeout", "tcp_keepalives_idle", "tcp_user_timeout")
    with db.engine.connect() as connection:
        return {name: connection.exec_driver_sql(f"SHOW {name}").scalar_one() for name in names}


def test_postgres_pages_wait_seconds_jobs_wait_as_long_as_they_need(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL timeouts")
    assert _server_settings(db) == {
        "statement_timeout": "4s",
        "lock_timeout": "3s",
        "tcp_keepalives_idle": "10",
        "tcp_user_timeout": "5000",
    }
    job = Database(db.url, BATCH_WAITS)
    try:
        assert _server_settings(job)["statement_timeout"] == "0"  # no bound
    finally:
        job.dispose()


def test_postgres_settings_in_the_url_win_over_ours(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL timeouts")
    url = make_url(db.url).update_query_dict(
        {"options": "-c statement_timeout=7s", "tcp_user_timeout": "9000"}
    )
    tuned = Database(url.render_as_string(hide_password=False), PAGE_WAITS)
    try:
        settings = _server_settings(tuned)
        assert (settings["statement_timeout"], settings["lock_timeout"]) == ("7s", "3s")
        with tuned.engine.connect() as connection:
            assert connection.connection.dbapi_connection.info.get_parameters()["tcp_user_timeout"] == "9000"
    finally:
        tuned.dispose()
