"""catalogue retirements and suggestions

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 05:33:09.435308
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=300), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('service_slug', sa.String(length=64), nullable=False),
    sa.Column('territory_level', sa.String(length=16), nullable=False),
    sa.Column('territory_code', sa.String(length=9), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('alternative_slug', sa.String(length=64), nullable=True),
    sa.Column('created_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=254), nullable=True),
    sa.ForeignKeyConstraint(['alternative_slug'], ['alternative.slug'], name=op.f('fk_suggestion_alternative_slug_alternative')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_suggestion_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_slug'], ['bigtech_service.slug'], name=op.f('fk_suggestion_service_slug_bigtech_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion')),
    sa.UniqueConstraint('household_id', 'dedupe_key', name=op.f('uq_suggestion_household_id_dedupe_key'))
    )
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_status'), ['status'], unique=False)

    # Categories and Big Tech services are retired like alternatives, never deleted.
    with op.batch_alter_table('bigtech_service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.drop_column('retired_at')

    with op.batch_alter_table('bigtech_service', schema=None) as batch_op:
        batch_op.drop_column('retired_at')

    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_status'))
        batch_op.drop_index(batch_op.f('ix_suggestion_household_id'))

    op.drop_table('suggestion')
