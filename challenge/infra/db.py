"""Database engines and units of work, with SQLite configured for safe concurrent use."""

from __future__ import annotations

import functools
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from challenge.infra.db_waits import BATCH_WAITS, PAGE_WAITS, AnswerBoundConnection, Waits

T = TypeVar("T")

_TRANSIENT_MARKERS = ("database is locked", "could not serialize", "deadlock detected")
_UNIQUE_MARKERS = ("unique constraint", "duplicate key value")
_SQLITE_OUTAGE_MARKERS = ("locked", "busy", "unable to open", "disk i/o", "disk is full", "readonly")


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, full sync, foreign keys and a busy timeout on every connection.

    pysqlite's own transaction handling is switched off so that we emit BEGIN
    ourselves: IMMEDIATE for writers (a read-then-write transaction would
    otherwise fail at once with "database is locked"), DEFERRED for readers.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":  # asked for no transaction: none
            return
        connection.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")


def _bound_postgres_waits(engine: Engine, waits: Waits) -> None:
    """Every exchange with PostgreSQL bounded on the client's side (see challenge.infra.db_waits).

    The pool's ping of an idle connection gets the short bound: a connection back in the pool
    takes `ping_s` until it has been checked out again (the ping runs before the checkout event).
    """

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> AnswerBoundConnection:
        connection = AnswerBoundConnection.connect(*cargs, **cparams)
        connection.answer_s = waits.answer_s
        return connection

    @event.listens_for(engine, "checkin")
    def _back_in_pool(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, AnswerBoundConnection):
            dbapi_connection.answer_s = waits.ping_s

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if isinstance(dbapi_connection, AnswerBoundConnection):
            dbapi_connection.answer_s = waits.answer_s


def create_db_engine(url: str, waits: Waits = BATCH_WAITS) -> Engine:
    """An engine for `url` whose every wait is bounded by `waits`; creates a SQLite file's folder."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": waits.sqlite_busy_s}, pool_timeout=waits.checkout_s
        )
        _configure_sqlite(engine, int(waits.sqlite_busy_s * 1000))
        return engine
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        pool_timeout=waits.checkout_s,
        connect_args=waits.libpq_parameters(parsed.query),
    )
    if parsed.get_driver_name() == "psycopg":
        _bound_postgres_waits(engine, waits)
    return engine


def is_transient(error: BaseException) -> bool:
    """True for lock and serialization failures that a retry may resolve."""
    return isinstance(error, OperationalError) and any(
        marker in str(error).lower() for marker in _TRANSIENT_MARKERS
    )


def is_unique_conflict(error: BaseException) -> bool:
    """True when a concurrent transaction inserted the same unique key first.

    On PostgreSQL (READ COMMITTED) two double-submitted "create if missing" transactions can both
    see nothing and both insert; the second fails. Re-running it sees the row and updates it.
    """
    return isinstance(error, IntegrityError) and any(
        marker in str(error).lower() for marker in _UNIQUE_MARKERS
    )


def is_unavailable(error: BaseException) -> bool:
    """True when the database cannot be reached or used right now (not a bug in a query).

    Lost or refused connections, a pool with no free connection, a lock still held after the
    retries: the request may succeed later. SQLite also reports query mistakes ("no such table")
    as OperationalError: those are bugs, not outages, so only its I/O and lock failures count.
    """
    if isinstance(error, InterfaceError | PoolTimeoutError):
        return True
    if isinstance(error, OperationalError):
        if not isinstance(error.orig, sqlite3.Error):
            return True
        return any(marker in str(error.orig).lower() for marker in _SQLITE_OUTAGE_MARKERS)
    return isinstance(error, DBAPIError) and error.connection_invalidated


READING = "dzg_reading"  # in Session.info: a read session, one snapshot that is never written


class Database:
    """One engine and the two kinds of unit of work the services use."""

    def __init__(self, url: str, waits: Waits = BATCH_WAITS) -> None:
        self.url = url
        self.waits = waits
        self.engine = create_db_engine(url, waits)
        self.dialect = self.engine.dialect.name
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._readers = sessionmaker(self.engine, expire_on_commit=False, info={READING: True})
        self._writers = sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; closing it ends its transaction, and loaded objects stay usable."""
        with self._readers() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error."""
        with self._writers() as session, session.begin():
            yield session

    def run_write(
        self, work: Callable[[Session], T], attempts: int = 6, *, retry_conflicts: bool = False
    ) -> T:
        """Run `work` in a write transaction, retrying transient lock failures with backoff.

        With `retry_conflicts`, a unique-key race lost to a concurrent transaction is retried too:
        only for idempotent "create or update" work, which converges on the second run.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as session:
                    return work(session)
            except (OperationalError, IntegrityError) as error:
                retry = is_transient(error) or (retry_conflicts and is_unique_conflict(error))
                if attempt == attempts or not retry:
                    raise
                time.sleep(min(0.05 * 2**attempt, 1.0) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()


@functools.cache
def shared_database(url: str) -> Database:
    """One Database per URL and process, shared by the HTTP routes and the Streamlit script: its
    waits are those of a page (`PAGE_WAITS`); any other Database is a job's (`BATCH_WAITS`)."""
    return Database(url, PAGE_WAITS)
