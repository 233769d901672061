"""oidc identities, sessions valid after, e-mail unique among password accounts only

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 03:29:06.783109
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('oidc_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('email_at_link', sa.String(length=254), nullable=True),
    sa.Column('last_email', sa.String(length=254), nullable=True),
    sa.Column('linked_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_oidc_identity_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oidc_identity')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_oidc_identity_issuer_subject'))
    )
    with op.batch_alter_table('oidc_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oidc_identity_account_id'), ['account_id'], unique=False)

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sessions_valid_after', challenge.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_account_email'), type_='unique')
        batch_op.create_index('uq_account_password_email', ['email'], unique=True, sqlite_where=sa.text('password_hash IS NOT NULL'), postgresql_where=sa.text('password_hash IS NOT NULL'))

    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_identity_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_login_session_oidc_identity_id'), ['oidc_identity_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_login_session_oidc_identity_id_oidc_identity'), 'oidc_identity', ['oidc_identity_id'], ['id'], ondelete='CASCADE')



def downgrade() -> None:
    # Fails if two accounts share an e-mail (possible once identity providers are in use):
    # merge or delete them first, the old schema cannot hold them.
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_login_session_oidc_identity_id_oidc_identity'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_login_session_oidc_identity_id'))
        batch_op.drop_column('oidc_identity_id')

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index('uq_account_password_email', sqlite_where=sa.text('password_hash IS NOT NULL'), postgresql_where=sa.text('password_hash IS NOT NULL'))
        batch_op.create_unique_constraint(batch_op.f('uq_account_email'), ['email'])
        batch_op.drop_column('sessions_valid_after')

    with op.batch_alter_table('oidc_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oidc_identity_account_id'))

    op.drop_table('oidc_identity')
