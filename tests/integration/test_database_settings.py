"""SQLite runs with the safety settings on every connection; writers take the lock up front."""

import pytest
from sqlalchemy import text

from challenge.infra.db import Database


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
