"""Alternatives suggested by households, waiting for an organiser's decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from challenge.core.vocabulary import Level, SuggestionStatus, values
from challenge.models.base import Base, Name, Timestamp, one_of


class Suggestion(Base):
    """A household's suggestion of an alternative (a local cooperative, a free service…).

    `dedupe_key` (the normalised name and the replaced service) is unique per household, so a
    double submit or a retried request gives one row, never two.
    """

    __tablename__ = "suggestion"
    __table_args__ = (
        UniqueConstraint("household_id", "dedupe_key"),
        one_of("territory_level", (*values(Level), "national")),  # national: available everywhere
        one_of("status", values(SuggestionStatus)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(300))
    name: Mapped[Name]
    url: Mapped[str] = mapped_column(String(500))
    service_slug: Mapped[str] = mapped_column(ForeignKey("bigtech_service.slug"))
    territory_level: Mapped[str] = mapped_column(String(16))
    territory_code: Mapped[str] = mapped_column(String(9))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    alternative_slug: Mapped[str | None] = mapped_column(ForeignKey("alternative.slug"))
    created_at: Mapped[Timestamp]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(254))
