"""Help to switch: local help sessions, who says they will come, and households asking for a hand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from challenge.core.vocabulary import HelpKind, HelpResponder, values
from challenge.models.base import Base, Timestamp, one_of


class HelpSession(Base):
    """A repair café, a public digital space's workshop, an install party: for a commune or an EPCI."""

    __tablename__ = "help_session"
    __table_args__ = (
        one_of("kind", values(HelpKind)),
        CheckConstraint("territory_level IN ('commune', 'epci')", name="territory_level_known"),
        CheckConstraint("duration_minutes BETWEEN 15 AND 720", name="duration_range"),
        Index("ix_help_session_territory", "territory_level", "territory_code", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    territory_level: Mapped[str] = mapped_column(String(16))
    territory_code: Mapped[str] = mapped_column(String(9))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int]
    place: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200))
    # Who published it (an organiser or a captain); the session stays if the account goes.
    created_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    created_at: Mapped[Timestamp]


class HelpSessionService(Base):
    """A Big Tech service a help session helps to leave."""

    __tablename__ = "help_session_service"
    session_id: Mapped[int] = mapped_column(
        ForeignKey("help_session.id", ondelete="CASCADE"), primary_key=True
    )
    service_slug: Mapped[str] = mapped_column(ForeignKey("bigtech_service.slug"), primary_key=True)


class HelpRsvp(Base):
    """A household saying « Je viendrai » to a help session (one row, however many taps)."""

    __tablename__ = "help_rsvp"
    session_id: Mapped[int] = mapped_column(
        ForeignKey("help_session.id", ondelete="CASCADE"), primary_key=True
    )
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[Timestamp]


class HelpRequest(Base):
    """« J'ai besoin d'aide » on one declared service of a household, in one edition; answered by
    its team's captain (or an organiser; or, if the household `shared` it and has no team, a
    captain of its territory), then marked helped."""

    __tablename__ = "help_request"
    __table_args__ = (
        UniqueConstraint("edition_id", "household_id", "service_slug"),
        one_of("replied_as", values(HelpResponder), nullable=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    service_slug: Mapped[str] = mapped_column(ForeignKey("bigtech_service.slug"))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[Timestamp]
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None]
    replied_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    replied_as: Mapped[str | None] = mapped_column(String(16))  # HelpResponder, told to the household
    helped_at: Mapped[datetime | None]
    # the household's choice: its territory's volunteers may read and answer it (while it has no team)
    shared: Mapped[bool] = mapped_column(default=False, server_default=false())
