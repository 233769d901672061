"""Editions of the challenge, teams, enrolments, declared services and weekly check-ins."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from challenge.core.vocabulary import CheckinStatus, EditionStatus, Level, values
from challenge.core.weeks import MAX_WEEKS, MIN_WEEKS
from challenge.models.base import Base, Name, Timestamp, one_of


class Edition(Base):
    __tablename__ = "edition"
    __table_args__ = (
        CheckConstraint(f"weeks BETWEEN {MIN_WEEKS} AND {MAX_WEEKS}", name="weeks_range"),
        CheckConstraint("signup_opens <= signup_closes", name="signup_window"),
        one_of("status", values(EditionStatus)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[Name]
    start_date: Mapped[date]
    weeks: Mapped[int]
    signup_opens: Mapped[date]
    signup_closes: Mapped[date]
    status: Mapped[str] = mapped_column(String(16))
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[Timestamp]


class EditionTerritory(Base):
    __tablename__ = "edition_territory"
    __table_args__ = (one_of("level", values(Level)),)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(9), primary_key=True)


class Team(Base):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("edition_id", "name"), one_of("territory_level", values(Level)))
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    name: Mapped[Name]
    description: Mapped[str] = mapped_column(Text, default="")
    # The territory the team plays in (commune, EPCI or département), for leaderboards.
    territory_level: Mapped[str] = mapped_column(String(16))
    territory_code: Mapped[str] = mapped_column(String(9))
    invite_code: Mapped[str] = mapped_column(String(32), unique=True)
    invite_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[Timestamp]


class TeamGoal(Base):
    """A shared goal: the team moves together from one Big Tech service (to one alternative)."""

    __tablename__ = "team_goal"
    __table_args__ = (UniqueConstraint("team_id", "service_slug"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    service_slug: Mapped[str] = mapped_column(ForeignKey("bigtech_service.slug"))
    alternative_slug: Mapped[str | None] = mapped_column(ForeignKey("alternative.slug"))
    created_at: Mapped[Timestamp]


class TeamPledge(Base):
    """A threshold pledge: the household leaves a service for an alternative once `threshold`
    other members of its team use that alternative; `triggered_at` is when they first did."""

    __tablename__ = "team_pledge"
    __table_args__ = (
        UniqueConstraint("team_id", "household_id", "service_slug", "alternative_slug"),
        CheckConstraint("threshold BETWEEN 1 AND 50", name="threshold_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    service_slug: Mapped[str] = mapped_column(ForeignKey("bigtech_service.slug"))
    alternative_slug: Mapped[str] = mapped_column(ForeignKey("alternative.slug"))
    threshold: Mapped[int]
    created_at: Mapped[Timestamp]
    triggered_at: Mapped[datetime | None]
    # When the household closed the in-app notice of its triggered pledge.
    acknowledged_at: Mapped[datetime | None]


class TeamJoinRequest(Base):
    """A household asking to join a collective it found near it, until a captain answers."""

    __tablename__ = "team_join_request"
    __table_args__ = (UniqueConstraint("team_id", "household_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[Timestamp]


class TerritoryOutline(Base):
    """An outline imported by the organiser (GeoJSON geometry), for the dashboards' maps."""

    __tablename__ = "territory_outline"
    __table_args__ = (one_of("level", values(Level)),)
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    geometry: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[Timestamp]


class Enrolment(Base):
    """A household taking part in an edition, optionally within a team."""

    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("edition_id", "household_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    # When the household joined its team, agreeing that teammates see whether it checked in.
    team_joined_at: Mapped[datetime | None]
    enrolled_at: Mapped[Timestamp]


class DeclaredService(Base):
    """A Big Tech service in a household's baseline."""

    __tablename__ = "declared_service"
    __table_args__ = (UniqueConstraint("household_id", "service_slug"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    service_slug: Mapped[str] = mapped_column(ForeignKey("bigtech_service.slug"))
    declared_at: Mapped[Timestamp]


class ChosenAlternative(Base):
    __tablename__ = "chosen_alternative"
    declared_service_id: Mapped[int] = mapped_column(
        ForeignKey("declared_service.id", ondelete="CASCADE"), primary_key=True
    )
    alternative_slug: Mapped[str] = mapped_column(
        ForeignKey("alternative.slug"), primary_key=True, index=True
    )
    chosen_at: Mapped[Timestamp]


class Checkin(Base):
    """How one declared service went for one household in one week of an edition."""

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("edition_id", "household_id", "week", "service_slug"),
        Index("ix_checkin_edition_week", "edition_id", "week"),
        CheckConstraint("week >= 1", name="week_positive"),
        one_of("status", values(CheckinStatus)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    week: Mapped[int]
    service_slug: Mapped[str] = mapped_column(ForeignKey("bigtech_service.slug"))
    status: Mapped[str] = mapped_column(String(16))
    # The alternative the household used that week (switched, mostly, tried); None otherwise, or
    # for answers given before migration 0016 when it had chosen several.
    alternative_slug: Mapped[str | None] = mapped_column(ForeignKey("alternative.slug"))
    km: Mapped[float | None]
    euros: Mapped[float | None]
    objects: Mapped[int | None]
    created_at: Mapped[Timestamp]
    updated_at: Mapped[datetime]
