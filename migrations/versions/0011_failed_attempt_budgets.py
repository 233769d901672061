"""failed attempts charged to budgets: per account, per household and per client network

Guessing team codes had no limit, and log-in failures were counted per existing account only
(spraying one password over many accounts was not slowed). Each failure is now charged to every
key concerned (challenge.accounts.budgets) and kept for the budget's window only.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('failed_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('budget', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_failed_attempt'))
    )
    with op.batch_alter_table('failed_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_failed_attempt_budget_key_at', ['budget', 'key', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('failed_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_failed_attempt_budget_key_at')
    op.drop_table('failed_attempt')
