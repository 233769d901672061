"""Alembic environment: migrates the database named by challenge.config (or the -x url)."""

from __future__ import annotations

from alembic import context

from challenge.infra.config import current_settings
from challenge.infra.db import create_db_engine
from challenge.models import Base

target_metadata = Base.metadata


def _url() -> str:
    return (
        context.config.attributes.get("url")
        or context.get_x_argument(as_dictionary=True).get("url")
        or current_settings().database_url
    )


def run_migrations_online() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_db_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite alters a table by copying it and dropping the original; with foreign keys on,
        # dropping the original would cascade deletes to its children (households, sessions…).
        # The pragma only takes effect outside a transaction, hence on the raw connection.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
    try:
        _migrate(connection)
    finally:
        if sqlite:
            raw = connection.connection.driver_connection
            broken = raw.execute("PRAGMA foreign_key_check").fetchall()
            raw.execute("PRAGMA foreign_keys = ON")
            if broken:
                raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
