"""a household may ask to join a collective it found near it; a captain accepts or declines

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 02:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('team_join_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('created_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_team_join_request_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_join_request_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_join_request')),
    sa.UniqueConstraint('team_id', 'household_id', name=op.f('uq_team_join_request_team_id_household_id'))
    )
    with op.batch_alter_table('team_join_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_join_request_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_join_request_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('team_join_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_join_request_team_id'))
        batch_op.drop_index(batch_op.f('ix_team_join_request_household_id'))
    op.drop_table('team_join_request')
