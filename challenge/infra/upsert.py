"""Insert-or-update in one statement, on SQLite and PostgreSQL alike (both speak ON CONFLICT)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT of the session's dialect, which knows ON CONFLICT."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def upsert(
    session: Session,
    table: Any,
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    replace: Sequence[str],
) -> None:
    """Insert `rows`; where a row with the same `keys` exists, take the new values of `replace`.

    Atomic: two transactions writing the same key never make two rows nor lose an update.
    """
    if not rows:
        return
    statement = dialect_insert(session, table).values(list(rows))
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in replace}
    )
    session.execute(statement)


def insert_once(session: Session, table: Any, values: Mapping[str, Any], key: str | Sequence[str]) -> bool:
    """Insert `values` unless a row with the same unique `key` (a column or several) exists; True
    if it was inserted."""
    keys = [key] if isinstance(key, str) else list(key)
    statement = (
        dialect_insert(session, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(table.__table__.c[keys[0]])
    )
    return session.scalar(statement) is not None
