"""the generation of an edition's published figures, shared by every process

aggregate_generation holds a random number drawn anew by each commit that changes an edition's
published figures: caches of protected figures (dashboards, open data) are keyed by it, so a
write made by one app process (a check-in, an erasure) is seen by the caches of every other one at
their next read. Editions without a row are at generation 0.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "aggregate_generation",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["edition.id"],
            name=op.f("fk_aggregate_generation_edition_id_edition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("edition_id", name=op.f("pk_aggregate_generation")),
    )


def downgrade() -> None:
    op.drop_table("aggregate_generation")
