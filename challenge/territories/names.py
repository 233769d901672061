"""The name of a territory of the referential, for labels in the console and the audit trail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.territories.areas import COLUMNS


def territory_name(session: Session, level: str, code: str, default: str | None = None) -> str:
    """The territory's name; `default` (else "level:code") when the referential does not know it."""
    columns = COLUMNS.get(level)
    name = session.scalar(select(columns[1]).where(columns[0] == code)) if columns else None
    if name is None:
        return f"{level}:{code}" if default is None else default
    return name
