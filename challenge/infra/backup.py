"""Backups and restores of the database: one consistent file, taken while the app runs.

SQLite uses its online backup API (a consistent snapshot, writers are not blocked; a restore is
one write transaction, so it lands whole or not at all). PostgreSQL uses pg_dump's custom
format and pg_restore in a single transaction. Tools are called without a shell, the password
travels in the environment, never on a command line.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData, select
from sqlalchemy.engine import make_url

from challenge.core.errors import ChallengeError
from challenge.infra.db import Database
from challenge.infra.db_waits import BATCH_WAITS

# libpq connection keywords accepted in the query string of a PostgreSQL URL.
LIBPQ_KEYWORDS = frozenset(
    {
        "host",
        "hostaddr",
        "port",
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslcrl",
        "sslnegotiation",
        "channel_binding",
        "gssencmode",
        "connect_timeout",
        "application_name",
        "options",
        "target_session_attrs",
        "keepalives",
        "keepalives_idle",
        "keepalives_interval",
        "keepalives_count",
        "service",
        "passfile",
    }
)
TOOL_TIMEOUT_S = 3600


@dataclass(frozen=True)
class TableFingerprint:
    """Row count and a digest of a table's content, to compare two databases of one backend."""

    rows: int
    sha256: str


def fingerprint(db: Database) -> dict[str, TableFingerprint]:
    """Every table's row count and content digest (rows ordered by primary key, hashed by repr)."""
    metadata = MetaData()
    metadata.reflect(db.engine)
    result: dict[str, TableFingerprint] = {}
    with db.engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            digest, rows = hashlib.sha256(), 0
            for row in connection.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode() + b"\n")
                rows += 1
            result[name] = TableFingerprint(rows, digest.hexdigest())
    return result


def backup(url: str, out: Path) -> None:
    """Write a consistent backup of the database at `url` to `out`, atomically (never half a file)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if make_url(url).get_backend_name() == "sqlite":
            _backup_sqlite(_sqlite_path(url, must_exist=True), partial)
        else:
            _run_tool("pg_dump", ["--format=custom", f"--file={partial}"], url)
        _fsync(partial)
        partial.replace(out)
        _fsync(out.parent)
    finally:
        partial.unlink(missing_ok=True)


def restore(url: str, source: Path) -> None:
    """Replace the content of the database at `url` with the backup `source`, all or nothing.

    Stop the app first: sessions open during a restore would see their data change under them.
    """
    source = source.resolve()
    if not source.is_file():
        raise ChallengeError(f"Fichier de sauvegarde introuvable : {source}")
    if make_url(url).get_backend_name() == "sqlite":
        _restore_sqlite(source, _sqlite_path(url, must_exist=False))
    else:
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
        _run_tool("pg_restore", [*options, str(source)], url)


def _sqlite_path(url: str, must_exist: bool) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ChallengeError("Une base SQLite en mémoire ne se sauvegarde pas : indiquez un fichier.")
    path = Path(database).resolve()
    if must_exist and not path.is_file():
        raise ChallengeError(f"Base de données introuvable : {path}")
    return path


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        path, timeout=BATCH_WAITS.sqlite_busy_s
    )  # a job: waits for the app's writers
    connection.execute(f"PRAGMA busy_timeout = {int(BATCH_WAITS.sqlite_busy_s * 1000)}")
    return connection


def _is_sound(connection: sqlite3.Connection) -> bool:
    return connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def _backup_sqlite(path: Path, partial: Path) -> None:
    with closing(_connect(path)) as source, closing(sqlite3.connect(partial)) as target:
        source.backup(target)  # all pages in one step: one consistent snapshot
        target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        if not _is_sound(target):
            raise ChallengeError("La copie de sauvegarde est incohérente : rien n'a été écrit.")


def _restore_sqlite(source: Path, path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as backup_file:
            is_backup = _is_sound(backup_file) and bool(
                backup_file.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone()
            )
            if not is_backup:
                raise ChallengeError(
                    f"Ce fichier n'est pas une sauvegarde valide de l'application : {source}"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            with closing(_connect(path)) as target:
                backup_file.backup(target)  # one write transaction on the target: all or nothing
                target.execute("PRAGMA journal_mode = WAL")
                if not _is_sound(target):
                    raise ChallengeError(
                        "La base restaurée est incohérente : restaurez une autre sauvegarde."
                    )
    except sqlite3.DatabaseError as error:
        raise ChallengeError(f"Restauration impossible ({error}) : {source}") from error


def pg_connection(url: str) -> tuple[str, dict[str, str]]:
    """A libpq conninfo string for `url`, and the environment that carries its password."""
    parsed = make_url(url)
    params: dict[str, str] = {}
    for key, value in (
        ("host", parsed.host),
        ("port", parsed.port),
        ("user", parsed.username),
        ("dbname", parsed.database),
    ):
        if value is not None:
            params[key] = str(value)
    for key, given in parsed.query.items():
        if key not in LIBPQ_KEYWORDS:
            raise ChallengeError(f"Paramètre de connexion non pris en charge par la sauvegarde : {key}")
        params[key] = given if isinstance(given, str) else ",".join(given)
    conninfo = " ".join(f"{key}={_quoted(value)}" for key, value in params.items())
    return conninfo, ({"PGPASSWORD": parsed.password} if parsed.password else {})


def _quoted(value: str) -> str:
    """A conninfo value in single quotes, backslash and quote escaped (libpq's rules)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _run_tool(tool: str, arguments: list[str], url: str) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise ChallengeError(f"{tool} introuvable : installez le paquet postgresql-client.")
    conninfo, secrets = pg_connection(url)
    done = subprocess.run(  # noqa: S603 - fixed executable, arguments as a list, no shell
        [executable, f"--dbname={conninfo}", *arguments],
        env={**os.environ, **secrets},
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise ChallengeError(f"{tool} a échoué (code {done.returncode}) : {done.stderr.strip()}")


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
