"""What the organiser console keeps: council invitations and carry-over offers to households."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from challenge.core.vocabulary import Level, values
from challenge.models.base import Base, Timestamp, one_of


class CouncilInvitation(Base):
    """A one-time link letting a council agent set a password (or sign in) and get a scoped role.

    Only the hash of the link's token is kept: a copy of the table opens nothing.
    """

    __tablename__ = "council_invitation"
    __table_args__ = (one_of("territory_level", values(Level)),)
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    territory_level: Mapped[str] = mapped_column(String(16))
    territory_code: Mapped[str] = mapped_column(String(9))
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[Timestamp]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))


class CarryoverOffer(Base):
    """A household of a previous edition asked whether it goes on, with its team and services."""

    __tablename__ = "carryover_offer"
    __table_args__ = (UniqueConstraint("edition_id", "household_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    from_edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    offered_at: Mapped[Timestamp]
    answered_at: Mapped[datetime | None]
    accepted: Mapped[bool | None]
