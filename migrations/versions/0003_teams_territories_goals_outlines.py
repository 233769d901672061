"""teams territories goals outlines

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 03:20:50.678486
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('territory_outline',
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=9), nullable=False),
    sa.Column('geometry', sa.Text(), nullable=False),
    sa.Column('imported_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('level', 'code', name=op.f('pk_territory_outline'))
    )
    op.create_table('team_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('service_slug', sa.String(length=64), nullable=False),
    sa.Column('alternative_slug', sa.String(length=64), nullable=True),
    sa.Column('created_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alternative_slug'], ['alternative.slug'], name=op.f('fk_team_goal_alternative_slug_alternative')),
    sa.ForeignKeyConstraint(['service_slug'], ['bigtech_service.slug'], name=op.f('fk_team_goal_service_slug_bigtech_service')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_goal_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_goal')),
    sa.UniqueConstraint('team_id', 'service_slug', name=op.f('uq_team_goal_team_id_service_slug'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_joined_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_role_grant_team_id'), ['team_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_role_grant_team_id_team'), 'team', ['team_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('team', schema=None) as batch_op:
        # Teams created before this revision played across the Hauts-de-France région.
        batch_op.add_column(sa.Column('territory_level', sa.String(length=16), nullable=False, server_default='region'))
        batch_op.add_column(sa.Column('territory_code', sa.String(length=9), nullable=False, server_default='32'))
        batch_op.add_column(sa.Column('invite_active', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('team', schema=None) as batch_op:
        for column in ('territory_level', 'territory_code', 'invite_active'):
            batch_op.alter_column(column, server_default=None)



def downgrade() -> None:
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('invite_active')
        batch_op.drop_column('territory_code')
        batch_op.drop_column('territory_level')

    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_role_grant_team_id_team'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_role_grant_team_id'))
        batch_op.drop_column('team_id')

    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_column('team_joined_at')

    op.drop_table('team_goal')
    op.drop_table('territory_outline')
