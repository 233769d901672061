"""Idempotent synchronisation of reference rows: insert new, update changed, keep the rest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from challenge.models import Base


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: SyncReport) -> SyncReport:
        return SyncReport(
            self.added + other.added,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )

    def __str__(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"


def sync_rows(session: Session, model: type[Base], rows: Iterable[Mapping[str, Any]]) -> SyncReport:
    """Upsert `rows` of `model` by primary key; never deletes, so nothing referencing them breaks."""
    mapper = inspect(model)
    keys = [mapper.get_property_by_column(column).key for column in mapper.primary_key]
    existing = {tuple(getattr(obj, key) for key in keys): obj for obj in session.scalars(select(model))}
    report = SyncReport()
    for row in rows:
        obj = existing.get(tuple(row[key] for key in keys))
        if obj is None:
            session.add(model(**row))
            report.added += 1
            continue
        changes = {name: value for name, value in row.items() if getattr(obj, name) != value}
        for name, value in changes.items():
            setattr(obj, name, value)
        if changes:
            report.updated += 1
        else:
            report.unchanged += 1
    session.flush()
    return report
