"""Pre-aggregated counts of the dashboards and team pages, kept in step with the raw rows.

They hold counts of households only, never a household id: erasing a household subtracts its
contribution and leaves nothing behind. Maintained by challenge.aggregates in the transaction
that changes the raw rows; `python -m challenge rebuild-aggregates` recomputes them from scratch.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from challenge.core.vocabulary import CommuneMeasure, SpanMeasure, TeamMeasure, values
from challenge.models.base import Base, one_of


class CommuneWeekCount(Base):
    """Households of a commune counted for one week of an edition (or as of that week).

    measure: registered (by week of enrolment, 0 = before the start), active (checked in that
    week), switched (at least one service switched as of that week), and per item (a category,
    service or alternative slug): category, service (pairs household × service), alternative.
    """

    __tablename__ = "aggregate_commune_week"
    # Covering: a dashboard reads thousands of these rows by (edition, measure, week) and must
    # not fetch each one from the table (SQLite) or the heap (PostgreSQL).
    __table_args__ = (
        Index(
            "ix_aggregate_commune_week_read",
            "edition_id",
            "measure",
            "week",
            "commune_code",
            "item",
            "households",
        ),
        one_of("measure", values(CommuneMeasure)),
    )
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    measure: Mapped[str] = mapped_column(String(16), primary_key=True)
    week: Mapped[int] = mapped_column(primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    item: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    households: Mapped[int] = mapped_column(default=0)


class CommuneSpanCount(Base):
    """Measures of a commune over a span of weeks (week_from..week_to), which do not add up week
    by week: households active in the span, and for km/euros/objects the contributors (households
    with a positive total), the total and the largest household total (for the dominance rule)."""

    __tablename__ = "aggregate_commune_span"
    # The largest totals of one commune are re-read when the household holding one lowers it.
    __table_args__ = (
        Index("ix_aggregate_commune_span_commune", "edition_id", "commune_code", "measure"),
        Index(
            "ix_aggregate_commune_span_read",
            "edition_id",
            "measure",
            "week_from",
            "week_to",
            "commune_code",
            "households",
            "total",
            "top",
        ),
        one_of("measure", values(SpanMeasure)),
    )
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    measure: Mapped[str] = mapped_column(String(16), primary_key=True)
    week_from: Mapped[int] = mapped_column(primary_key=True)
    week_to: Mapped[int] = mapped_column(primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    households: Mapped[int] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0.0)
    top: Mapped[float] = mapped_column(default=0.0)


class TeamWeekCount(Base):
    """Sums over a team's members (consenting ones) for a week, week 0 meaning "now".

    measure: members, checked (members who checked in that week), score (sum of the members'
    scores in tenths of a point, as of that week), category (baseline services switched, per
    category), chose / chose_switched (per alternative), declared / service_switched (per service).
    Goals and pledges count check-ins that used an alternative: challenge.teams.usage reads them.
    """

    __tablename__ = "aggregate_team_week"
    # The leaderboard reads one measure of every team of the edition.
    __table_args__ = (
        Index("ix_aggregate_team_week_measure", "edition_id", "measure", "week"),
        one_of("measure", values(TeamMeasure)),
    )
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    measure: Mapped[str] = mapped_column(String(16), primary_key=True)
    week: Mapped[int] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(String(130), primary_key=True, default="")
    value: Mapped[int] = mapped_column(default=0)


class EditionGeneration(Base):
    """The generation of an edition's published figures: a random number drawn anew by each
    commit that changes them (its aggregates, or rows counted next to them such as help requests).
    Every cache of protected figures is keyed by it, in every process: a cached figure is good
    while the number is the same. Drawn in the transaction of the change (challenge.counts.upkeep),
    so a reader never sees a new number before the new rows.
    """

    __tablename__ = "aggregate_generation"
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
