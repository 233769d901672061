"""Which database errors mean "the service is unavailable right now" and which are bugs."""

import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from challenge.infra.db import is_unavailable


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused")), True),
        (OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked")), True),
        (OperationalError("SELECT 1", {}, sqlite3.OperationalError("unable to open database file")), True),
        (OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error")), True),
        (InterfaceError("SELECT 1", {}, psycopg.InterfaceError("connection already closed")), True),
        (PoolTimeoutError("QueuePool limit of size 10 overflow 10 reached"), True),
        (OperationalError("SELECT x", {}, sqlite3.OperationalError("no such table: x")), False),
        (OperationalError("SELEC 1", {}, sqlite3.OperationalError('near "SELEC": syntax error')), False),
        (IntegrityError("INSERT", {}, psycopg.IntegrityError("duplicate key value")), False),
        (ProgrammingError("SELECT x", {}, psycopg.ProgrammingError("relation x does not exist")), False),
        (ValueError("not a database error"), False),
    ],
)
def test_only_outages_count_as_unavailable(error: BaseException, unavailable: bool) -> None:
    assert is_unavailable(error) is unavailable
