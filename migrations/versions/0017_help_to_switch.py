"""help to switch: local help sessions, « Je viendrai », and help requests

help_session (with help_session_service: the services it helps to leave) is published for a
commune or an EPCI; help_rsvp holds one row per household coming; help_request is « J'ai besoin
d'aide » on a declared service, answered by a captain or an organiser.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = challenge.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "help_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("territory_level", sa.String(length=16), nullable=False),
        sa.Column("territory_code", sa.String(length=9), nullable=False),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint(
            "kind IN ('repair_cafe', 'epn', 'install_party', 'permanence')",
            name=op.f("ck_help_session_kind_known"),
        ),
        sa.CheckConstraint(
            "territory_level IN ('commune', 'epci')", name=op.f("ck_help_session_territory_level_known")
        ),
        sa.CheckConstraint(
            "duration_minutes BETWEEN 15 AND 720", name=op.f("ck_help_session_duration_range")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["account.id"],
            name=op.f("fk_help_session_created_by_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_help_session_team_id_team"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_session")),
    )
    op.create_index(
        "ix_help_session_territory",
        "help_session",
        ["territory_level", "territory_code", "starts_at"],
        unique=False,
    )
    op.create_table(
        "help_session_service",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("service_slug", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_slug"],
            ["bigtech_service.slug"],
            name=op.f("fk_help_session_service_service_slug_bigtech_service"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["help_session.id"],
            name=op.f("fk_help_session_service_session_id_help_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "service_slug", name=op.f("pk_help_session_service")),
    )
    op.create_table(
        "help_rsvp",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_help_rsvp_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["help_session.id"],
            name=op.f("fk_help_rsvp_session_id_help_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "household_id", name=op.f("pk_help_rsvp")),
    )
    op.create_index(op.f("ix_help_rsvp_household_id"), "help_rsvp", ["household_id"], unique=False)
    op.create_table(
        "help_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("service_slug", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("replied_at", UTC, nullable=True),
        sa.Column("replied_by", sa.Integer(), nullable=True),
        sa.Column("helped_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["edition.id"],
            name=op.f("fk_help_request_edition_id_edition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_help_request_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["replied_by"],
            ["account.id"],
            name=op.f("fk_help_request_replied_by_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_slug"],
            ["bigtech_service.slug"],
            name=op.f("fk_help_request_service_slug_bigtech_service"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request")),
        sa.UniqueConstraint(
            "edition_id",
            "household_id",
            "service_slug",
            name=op.f("uq_help_request_edition_id_household_id_service_slug"),
        ),
    )
    op.create_index(op.f("ix_help_request_edition_id"), "help_request", ["edition_id"], unique=False)
    op.create_index(op.f("ix_help_request_household_id"), "help_request", ["household_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_help_request_household_id"), table_name="help_request")
    op.drop_index(op.f("ix_help_request_edition_id"), table_name="help_request")
    op.drop_table("help_request")
    op.drop_index(op.f("ix_help_rsvp_household_id"), table_name="help_rsvp")
    op.drop_table("help_rsvp")
    op.drop_table("help_session_service")
    op.drop_index("ix_help_session_territory", table_name="help_session")
    op.drop_table("help_session")
