"""The people of a household: members (a first name or nickname; an account only if invited to
check in from their own phone), which declared services each uses, and each one's answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from challenge.core.vocabulary import CheckinStatus, values
from challenge.models.base import Base, Timestamp, one_of

MEMBER_NAME_LENGTH = 40


class HouseholdMember(Base):
    """Someone in a household, named as the household likes; the household stays the unit counted."""

    __tablename__ = "household_member"
    __table_args__ = (UniqueConstraint("household_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MEMBER_NAME_LENGTH))
    created_at: Mapped[Timestamp]
    # The account that checks in as this member from its own phone (an accepted invitation);
    # deleting that account leaves the member, unlinked.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), unique=True, default=None
    )


class MemberInvitation(Base):
    """The link that lets a member check in from their own phone: one per member (inviting again
    replaces it), only its sha256 kept, single use, expiring."""

    __tablename__ = "member_invitation"
    member_id: Mapped[int] = mapped_column(
        ForeignKey("household_member.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Timestamp]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class MemberService(Base):
    """A member using a declared service; a service without any row is the whole household's."""

    __tablename__ = "member_service"
    declared_service_id: Mapped[int] = mapped_column(
        ForeignKey("declared_service.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("household_member.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class MemberAnswer(Base):
    """One member's answer behind a household's check-in row (which holds the household's answer,
    derived from its members' by `households.members.household_answer`)."""

    __tablename__ = "member_answer"
    __table_args__ = (one_of("status", values(CheckinStatus)),)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("household_member.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    alternative_slug: Mapped[str | None] = mapped_column(ForeignKey("alternative.slug"))
