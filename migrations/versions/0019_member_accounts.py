"""member accounts: a household member may check in from their own phone

household_member.account_id links the account that accepted the member's invitation (unique: an
account is one member at most; deleting the account leaves the member, unlinked).
member_invitation keeps the sha256 of the member's single-use invitation link, one per member.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = challenge.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_household_member_account_id"), ["account_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_household_member_account_id_account"),
            "account",
            ["account_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "member_invitation",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["household_member.id"],
            name=op.f("fk_member_invitation_member_id_household_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_member_invitation_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("member_invitation")
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_household_member_account_id_account"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_household_member_account_id"), type_="unique")
        batch_op.drop_column("account_id")
