"""Engagement: reminder preferences and calendar token, the mail outbox, follow-up answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from challenge.models.base import Base, Timestamp

_HAS_CALENDAR = text("calendar_token_hash IS NOT NULL")


class NotificationPreference(Base):
    """What an account agreed to receive; no row means the defaults (reminders and digest off)."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        CheckConstraint("reminder_weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("reminder_hour BETWEEN 0 AND 23", name="hour_range"),
        # Unique among the accounts that have a feed (a partial index: no feed is not a value).
        Index(
            "uq_notification_preference_calendar_token_hash",
            "calendar_token_hash",
            unique=True,
            sqlite_where=_HAS_CALENDAR,
            postgresql_where=_HAS_CALENDAR,
        ),
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    reminders: Mapped[bool] = mapped_column(default=False)
    reminder_weekday: Mapped[int] = mapped_column(default=0)  # Monday = 0, in the challenge's time zone
    reminder_hour: Mapped[int] = mapped_column(default=18)
    captain_digest: Mapped[bool] = mapped_column(default=False)
    followups: Mapped[bool] = mapped_column(default=False)  # "does it last?" invitations, opt-in
    # SHA-256 of the secret of the private calendar feed; None: no feed.
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64))
    calendar_created_at: Mapped[datetime | None]
    updated_at: Mapped[Timestamp]


class OutboxMessage(Base):
    """A mail to send once: its dedupe key is unique, its claim is atomic (challenge.outbox)."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_next", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]  # not worth sending after this (a reminder for a past week)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[Timestamp]


class FollowupAnswer(Base):
    """Months after an edition: is this switched service still left? (yes / partly / no)."""

    __tablename__ = "followup_answer"
    __table_args__ = (
        UniqueConstraint("edition_id", "household_id", "months", "service_slug"),
        CheckConstraint("months IN (3, 6)", name="months_allowed"),
        CheckConstraint("answer IN ('yes', 'partly', 'no')", name="answer_allowed"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    months: Mapped[int]
    service_slug: Mapped[str] = mapped_column(ForeignKey("bigtech_service.slug"))
    answer: Mapped[str] = mapped_column(String(8))
    answered_at: Mapped[Timestamp]
