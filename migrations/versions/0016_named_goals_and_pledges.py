"""check-ins name the alternative used; threshold pledges; team goals counted from use

A team goal "Quitter WhatsApp → Signal" counted the members who had *chosen* an alternative, and
any alternative to WhatsApp moved it: `checkin.alternative_slug` now says which alternative the
household used that week, and goals and pledges count those check-ins. Answers given before are
given the household's alternative when it had chosen exactly one for that service (what the
answer "Passé à Signal" named); with several, which one was used is unknown and stays NULL.
`team_pledge` holds the threshold pledges ("I'll switch when N members of my team do"). The
team counts' "goal" measure (choices) is no longer kept: its rows go, and its word leaves the
CHECK.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEAM_MEASURES = (
    "members",
    "checked",
    "score",
    "category",
    "chose",
    "chose_switched",
    "declared",
    "service_switched",
)
_CHOSEN = (
    "FROM chosen_alternative ca JOIN declared_service ds ON ds.id = ca.declared_service_id "
    "WHERE ds.household_id = checkin.household_id AND ds.service_slug = checkin.service_slug"
)


def _measure_check(words: Sequence[str]) -> str:
    return f"measure IN ({', '.join(repr(word) for word in words)})"


def upgrade() -> None:
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alternative_slug", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_checkin_alternative_slug_alternative"), "alternative", ["alternative_slug"], ["slug"]
        )
    op.execute(
        f"UPDATE checkin SET alternative_slug = (SELECT ca.alternative_slug {_CHOSEN}) "
        f"WHERE status IN ('switched', 'mostly', 'tried') AND (SELECT count(*) {_CHOSEN}) = 1"
    )
    op.create_table(
        "team_pledge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("service_slug", sa.String(length=64), nullable=False),
        sa.Column("alternative_slug", sa.String(length=64), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("created_at", challenge.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("triggered_at", challenge.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", challenge.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("threshold BETWEEN 1 AND 50", name=op.f("ck_team_pledge_threshold_range")),
        sa.ForeignKeyConstraint(
            ["alternative_slug"], ["alternative.slug"], name=op.f("fk_team_pledge_alternative_slug_alternative")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_team_pledge_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_slug"], ["bigtech_service.slug"], name=op.f("fk_team_pledge_service_slug_bigtech_service")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_pledge_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_pledge")),
        sa.UniqueConstraint(
            "team_id",
            "household_id",
            "service_slug",
            "alternative_slug",
            name=op.f("uq_team_pledge_team_id_household_id_service_slug_alternative_slug"),
        ),
    )
    with op.batch_alter_table("team_pledge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_pledge_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_pledge_team_id"), ["team_id"], unique=False)
    op.execute("DELETE FROM aggregate_team_week WHERE measure = 'goal'")
    with op.batch_alter_table("aggregate_team_week", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_aggregate_team_week_measure_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_aggregate_team_week_measure_known"), _measure_check(TEAM_MEASURES)
        )


def downgrade() -> None:
    # The "goal" counts come back with the next `rebuild-aggregates` (migrate runs it when needed).
    with op.batch_alter_table("aggregate_team_week", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_aggregate_team_week_measure_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_aggregate_team_week_measure_known"), _measure_check((*TEAM_MEASURES, "goal"))
        )
    with op.batch_alter_table("team_pledge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_pledge_team_id"))
        batch_op.drop_index(batch_op.f("ix_team_pledge_household_id"))
    op.drop_table("team_pledge")
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_checkin_alternative_slug_alternative"), type_="foreignkey")
        batch_op.drop_column("alternative_slug")
