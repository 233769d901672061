"""single-use account tokens (password reset, address confirmation); confirmed addresses

A forgotten password was a dead end and addresses were never confirmed. `account_token` keeps the
sha256 of each link sent by mail (challenge.accounts.account_tokens); `account.email_confirmed_at`
says whether the address was proven. Accounts that existed before are taken as confirmed: they
have been receiving our mails already, and stopping their reminders would surprise them.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-05 02:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", challenge.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", challenge.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", challenge.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_token_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_token_token_hash")),
    )
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_token_account_id"), ["account_id"], unique=False)
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_confirmed_at", challenge.models.base.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE account SET email_confirmed_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("email_confirmed_at")
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_token_account_id"))
    op.drop_table("account_token")
