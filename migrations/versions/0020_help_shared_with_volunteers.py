"""help for households without a collective from their territory's volunteers

help_request.shared is the household's choice to show its request to the captains of the
collectives of its EPCI (false for every existing request: they stay as they were, seen by the
organisers only). help_request.replied_as says who answered (captain, volunteer, organiser), as
the household is told; existing answers say nobody.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replied_as", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint(
            op.f("ck_help_request_replied_as_known"),
            "replied_as IS NULL OR replied_as IN ('captain', 'volunteer', 'organiser')",
        )


def downgrade() -> None:
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_help_request_replied_as_known"), type_="check")
        batch_op.drop_column("shared")
        batch_op.drop_column("replied_as")
