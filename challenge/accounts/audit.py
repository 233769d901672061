"""The audit trail: every administrative action, who did it, when, and the object before/after.

Services record their entry inside the transaction that makes the change, so an action and its
trace commit or roll back together. There is no function to change or delete an entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from challenge.accounts.sessions import Identity, Operator
from challenge.infra.db import Database
from challenge.models import AuditEntry
from challenge.models.base import utcnow

SYSTEM = "système"  # the label of actions taken by the command line or a scheduled job

ACTION_FAMILIES = ("role", "catalogue", "edition", "account", "export", "suggestion", "team")


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor_label: str
    action: str
    target_type: str
    target_id: str
    edition_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record(
    session: Session,
    actor: Identity | Operator | None,
    action: str,
    target_type: str,
    target_id: object,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    edition_id: int | None = None,
) -> None:
    """Add one entry to the trail, in the caller's transaction (the operator or None: the system)."""
    person = actor if isinstance(actor, Identity) else None
    session.add(
        AuditEntry(
            at=utcnow(),
            actor_account_id=person.account_id if person else None,
            actor_label=person.email if person else SYSTEM,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            edition_id=edition_id,
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
        )
    )


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page filters on; every field is optional."""

    action_prefix: str | None = None  # "role" matches "role.grant" and "role.revoke"
    actor: str | None = None  # part of the actor's label
    target_type: str | None = None
    target_id: str | None = None
    since: date | None = None
    until: date | None = None
    edition_ids: frozenset[int] | None = None  # an edition organiser sees only their editions' entries


def _filtered(query: Select[Any], where: AuditFilter) -> Select[Any]:
    if where.edition_ids is not None:
        query = query.where(AuditEntry.edition_id.in_(sorted(where.edition_ids)))
    if where.action_prefix:
        query = query.where(AuditEntry.action.startswith(where.action_prefix, autoescape=True))
    if where.actor:
        query = query.where(AuditEntry.actor_label.icontains(where.actor.strip(), autoescape=True))
    if where.target_type:
        query = query.where(AuditEntry.target_type == where.target_type)
    if where.target_id:
        query = query.where(AuditEntry.target_id == where.target_id)
    if where.since:
        query = query.where(AuditEntry.at >= datetime.combine(where.since, time(), tzinfo=utcnow().tzinfo))
    if where.until:
        end = datetime.combine(where.until + timedelta(days=1), time(), tzinfo=utcnow().tzinfo)
        query = query.where(AuditEntry.at < end)
    return query


def list_entries(
    db: Database, where: AuditFilter | None = None, limit: int = 200, offset: int = 0
) -> tuple[Sequence[AuditRecord], int]:
    """The newest entries matching `where`, and how many match in all."""
    where = where or AuditFilter()
    with db.read() as session:
        total = session.scalar(_filtered(select(func.count(AuditEntry.id)), where)) or 0
        rows = session.scalars(
            _filtered(select(AuditEntry), where)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        entries = [
            AuditRecord(
                e.id,
                e.at,
                e.actor_label,
                e.action,
                e.target_type,
                e.target_id,
                e.edition_id,
                e.before,
                e.after,
            )
            for e in rows
        ]
    return entries, total


def record_export(
    db: Database, actor: Identity | None, what: str, target: str, edition_id: int | None, **details: Any
) -> None:
    """Trace a download of protected figures (a dashboard's CSV or Excel file), in its own transaction."""
    with db.write() as session:
        record(session, actor, f"export.{what}", "territory", target, after=details, edition_id=edition_id)
