"""Writing catalogue entries to the database, inside the caller's transaction.

Nothing here deletes an entry: retiring sets `retired_at`, and households' choices stay intact.
Each alternative's replacement and availability rows are rewritten only for that alternative.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from challenge.catalogue.diff import CatalogueDiff, EntryChange
from challenge.catalogue.files import AREA_LEVELS
from challenge.catalogue.snapshot import Entry, EntryKind, Snapshot
from challenge.models import (
    Alternative,
    AlternativeArea,
    AlternativeReplacement,
    BigTechService,
    Category,
    utcnow,
)

_MODELS: dict[str, Any] = {"category": Category, "bigtech_service": BigTechService}


def next_position(session: Session, table: str) -> int:
    """A position after every existing row of `table` (new entries go to the end)."""
    model = _MODELS[table]
    return int(session.scalar(select(func.coalesce(func.max(model.position), -1))) or 0) + 1


def _retired_at(row: Any, entry: Entry) -> Any:
    if not entry["retired"]:
        return None
    return row.retired_at if row is not None and row.retired_at is not None else utcnow()


def _set(session: Session, model: Any, slug: str, values: dict[str, Any]) -> Any:
    """Insert or update one row; a position of None keeps the row's place (or puts it last)."""
    row = session.get(model, slug)
    entry = values.pop("_entry")
    values = {**values, "retired_at": _retired_at(row, entry)}
    if "position" in values and values["position"] is None:
        if row is not None:
            del values["position"]
        else:
            values["position"] = next_position(session, model.__tablename__)
    if row is None:
        row = model(slug=slug, **values)
        session.add(row)
    else:
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
    return row


def write_category(session: Session, slug: str, entry: Entry, position: int | None = None) -> None:
    values = {"name": entry["name"], "name_en": entry["name_en"], "quantities": list(entry["quantities"])}
    _set(session, Category, slug, {**values, "position": position, "_entry": entry})


def write_service(session: Session, slug: str, entry: Entry, position: int | None = None) -> None:
    values = {"name": entry["name"], "company": entry["company"], "category_slug": entry["category"]}
    _set(session, BigTechService, slug, {**values, "position": position, "_entry": entry})


def write_alternative(session: Session, slug: str, entry: Entry) -> None:
    availability = entry["availability"]
    values = {
        "name": entry["name"],
        "url": entry["url"],
        "description": entry["description"],
        "kind": entry["kind"],
        "ethics": list(entry["ethics"]),
        "effort": entry["effort"],
        "cost": entry["cost"],
        "is_national": availability == "national",
        "sources": [dict(source) for source in entry["sources"]],
        "last_checked": entry["last_checked"],
        "updated_at": utcnow(),
        "_entry": entry,
    }
    _set(session, Alternative, slug, values)
    session.flush()
    session.execute(delete(AlternativeReplacement).where(AlternativeReplacement.alternative_slug == slug))
    session.execute(delete(AlternativeArea).where(AlternativeArea.alternative_slug == slug))
    session.add_all(AlternativeReplacement(alternative_slug=slug, service_slug=s) for s in entry["replaces"])
    if availability != "national":
        session.add_all(
            AlternativeArea(alternative_slug=slug, level=AREA_LEVELS[key][0], code=code)
            for key, codes in availability.items()
            for code in codes
        )
    session.flush()


def _write_change(session: Session, change: EntryChange, position: int | None) -> None:
    if change.kind == "category":
        write_category(session, change.slug, change.after, position)
    elif change.kind == "service":
        write_service(session, change.slug, change.after, position)
    else:
        write_alternative(session, change.slug, change.after)


def write_diff(session: Session, changes: CatalogueDiff, target: Snapshot) -> None:
    """Apply every change, then number active categories and services in the target's order."""
    for change in changes.changes:
        _write_change(session, change, change.after.get("rank"))
    session.flush()
    models: list[tuple[EntryKind, Any]] = [
        ("category", Category),
        ("service", BigTechService),
    ]
    for kind, model in models:
        for rank, (slug, _entry) in enumerate(target.active(kind)):
            row = session.get(model, slug)
            if row is not None and row.position != rank:
                row.position = rank
    session.flush()
