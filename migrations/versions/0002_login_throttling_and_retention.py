"""login throttling, consent withdrawal, retention warning

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 03:03:30.946750
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_login_failure_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_account_id'), ['account_id'], unique=False)

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deletion_warned_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_withdrawn_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_column('consent_withdrawn_at')

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('deletion_warned_at')

    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_account_id'))

    op.drop_table('login_failure')
