"""household members: who is in a household, who uses which service, each one's answer

household_member names the people of a household (a first name or nickname, no account);
member_service says which members use a declared service (no row: the whole household, as
before); member_answer keeps each member's answer behind a household's check-in row, which still
holds the household's answer (derived from its members'), so every count stays a household count.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = challenge.models.base.UTCDateTime(timezone=True)
STATUSES = "status IN ('switched', 'mostly', 'tried', 'still', 'dropped')"


def upgrade() -> None:
    op.create_table(
        "household_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_household_member_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member")),
        sa.UniqueConstraint("household_id", "name", name=op.f("uq_household_member_household_id_name")),
    )
    op.create_index(
        op.f("ix_household_member_household_id"), "household_member", ["household_id"], unique=False
    )
    op.create_table(
        "member_service",
        sa.Column("declared_service_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declared_service_id"],
            ["declared_service.id"],
            name=op.f("fk_member_service_declared_service_id_declared_service"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["household_member.id"],
            name=op.f("fk_member_service_member_id_household_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("declared_service_id", "member_id", name=op.f("pk_member_service")),
    )
    op.create_index(op.f("ix_member_service_member_id"), "member_service", ["member_id"], unique=False)
    op.create_table(
        "member_answer",
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("alternative_slug", sa.String(length=64), nullable=True),
        sa.CheckConstraint(STATUSES, name=op.f("ck_member_answer_status_known")),
        sa.ForeignKeyConstraint(
            ["alternative_slug"],
            ["alternative.slug"],
            name=op.f("fk_member_answer_alternative_slug_alternative"),
        ),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkin.id"],
            name=op.f("fk_member_answer_checkin_id_checkin"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["household_member.id"],
            name=op.f("fk_member_answer_member_id_household_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("checkin_id", "member_id", name=op.f("pk_member_answer")),
    )
    op.create_index(op.f("ix_member_answer_member_id"), "member_answer", ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_member_answer_member_id"), table_name="member_answer")
    op.drop_table("member_answer")
    op.drop_index(op.f("ix_member_service_member_id"), table_name="member_service")
    op.drop_table("member_service")
    op.drop_index(op.f("ix_household_member_household_id"), table_name="household_member")
    op.drop_table("household_member")
