"""The audit trail of administrative actions (append-only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from challenge.models.base import Base, Timestamp


class AuditEntry(Base):
    """Who did what to which object, when, with the object before and after.

    The actor is kept as a plain id and a label (their e-mail at the time), not as a foreign key:
    the trail must outlive the accounts it mentions, and rows are never updated (a trigger refuses
    it on both databases, see migration 0005).
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_target", "target_type", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[Timestamp] = mapped_column(index=True)
    actor_account_id: Mapped[int | None]
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(String(64))
    edition_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
