"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 02:32:42.433363
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import challenge.models.base

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('email', name=op.f('uq_account_email'))
    )
    op.create_table('alternative',
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('ethics', sa.JSON(), nullable=False),
    sa.Column('effort', sa.String(length=16), nullable=False),
    sa.Column('cost', sa.String(length=16), nullable=False),
    sa.Column('is_national', sa.Boolean(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('last_checked', sa.Date(), nullable=False),
    sa.Column('retired_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_alternative'))
    )
    op.create_table('category',
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('quantities', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_category'))
    )
    op.create_table('edition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('weeks', sa.Integer(), nullable=False),
    sa.Column('signup_opens', sa.Date(), nullable=False),
    sa.Column('signup_closes', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('weeks BETWEEN 1 AND 52', name=op.f('ck_edition_weeks_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edition')),
    sa.UniqueConstraint('slug', name=op.f('uq_edition_slug'))
    )
    op.create_table('epci',
    sa.Column('siren', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('nature', sa.String(length=8), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('siren', name=op.f('pk_epci'))
    )
    op.create_table('region',
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_region'))
    )
    op.create_table('alternative_area',
    sa.Column('alternative_slug', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=9), nullable=False),
    sa.ForeignKeyConstraint(['alternative_slug'], ['alternative.slug'], name=op.f('fk_alternative_area_alternative_slug_alternative'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alternative_slug', 'level', 'code', name=op.f('pk_alternative_area'))
    )
    op.create_table('bigtech_service',
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('category_slug', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_slug'], ['category.slug'], name=op.f('fk_bigtech_service_category_slug_category')),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_bigtech_service'))
    )
    with op.batch_alter_table('bigtech_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bigtech_service_category_slug'), ['category_slug'], unique=False)

    op.create_table('departement',
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_departement_region_code_region')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_departement'))
    )
    op.create_table('edition_territory',
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=9), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_edition_territory_edition_id_edition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('edition_id', 'level', 'code', name=op.f('pk_edition_territory'))
    )
    op.create_table('login_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', challenge.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_login_session_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_session_token_hash'))
    )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_session_account_id'), ['account_id'], unique=False)

    op.create_table('role_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=True),
    sa.Column('territory_level', sa.String(length=16), nullable=True),
    sa.Column('territory_code', sa.String(length=9), nullable=True),
    sa.Column('granted_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_role_grant_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_role_grant_edition_id_edition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grant'))
    )
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grant_account_id'), ['account_id'], unique=False)

    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('invite_code', sa.String(length=32), nullable=False),
    sa.Column('created_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_team_edition_id_edition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('edition_id', 'name', name=op.f('uq_team_edition_id_name')),
    sa.UniqueConstraint('invite_code', name=op.f('uq_team_invite_code'))
    )
    op.create_table('alternative_replacement',
    sa.Column('alternative_slug', sa.String(length=64), nullable=False),
    sa.Column('service_slug', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['alternative_slug'], ['alternative.slug'], name=op.f('fk_alternative_replacement_alternative_slug_alternative'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_slug'], ['bigtech_service.slug'], name=op.f('fk_alternative_replacement_service_slug_bigtech_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alternative_slug', 'service_slug', name=op.f('pk_alternative_replacement'))
    )
    with op.batch_alter_table('alternative_replacement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alternative_replacement_service_slug'), ['service_slug'], unique=False)

    op.create_table('commune',
    sa.Column('insee_code', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('departement_code', sa.String(length=3), nullable=False),
    sa.Column('epci_siren', sa.String(length=9), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('postal_codes', sa.String(length=200), nullable=False),
    sa.Column('search_key', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['departement_code'], ['departement.code'], name=op.f('fk_commune_departement_code_departement')),
    sa.ForeignKeyConstraint(['epci_siren'], ['epci.siren'], name=op.f('fk_commune_epci_siren_epci')),
    sa.PrimaryKeyConstraint('insee_code', name=op.f('pk_commune'))
    )
    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_departement_code'), ['departement_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_commune_epci_siren'), ['epci_siren'], unique=False)
        batch_op.create_index('ix_commune_search_key', ['search_key'], unique=False)

    op.create_table('household',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('commune_code', sa.String(length=5), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('consent_version', sa.String(length=16), nullable=False),
    sa.Column('consent_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_household_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['commune_code'], ['commune.insee_code'], name=op.f('fk_household_commune_code_commune')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household')),
    sa.UniqueConstraint('account_id', name=op.f('uq_household_account_id'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_commune_code'), ['commune_code'], unique=False)

    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('service_slug', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('km', sa.Double(), nullable=True),
    sa.Column('euros', sa.Double(), nullable=True),
    sa.Column('objects', sa.Integer(), nullable=True),
    sa.Column('created_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('week >= 1', name=op.f('ck_checkin_week_positive')),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_checkin_edition_id_edition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_checkin_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_slug'], ['bigtech_service.slug'], name=op.f('fk_checkin_service_slug_bigtech_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin')),
    sa.UniqueConstraint('edition_id', 'household_id', 'week', 'service_slug', name=op.f('uq_checkin_edition_id_household_id_week_service_slug'))
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_edition_week', ['edition_id', 'week'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_household_id'), ['household_id'], unique=False)

    op.create_table('declared_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('service_slug', sa.String(length=64), nullable=False),
    sa.Column('declared_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_declared_service_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_slug'], ['bigtech_service.slug'], name=op.f('fk_declared_service_service_slug_bigtech_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declared_service')),
    sa.UniqueConstraint('household_id', 'service_slug', name=op.f('uq_declared_service_household_id_service_slug'))
    )
    op.create_table('enrolment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('enrolled_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_enrolment_edition_id_edition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_enrolment_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_enrolment_team_id_team'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment')),
    sa.UniqueConstraint('edition_id', 'household_id', name=op.f('uq_enrolment_edition_id_household_id'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_team_id'), ['team_id'], unique=False)

    op.create_table('chosen_alternative',
    sa.Column('declared_service_id', sa.Integer(), nullable=False),
    sa.Column('alternative_slug', sa.String(length=64), nullable=False),
    sa.Column('chosen_at', challenge.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alternative_slug'], ['alternative.slug'], name=op.f('fk_chosen_alternative_alternative_slug_alternative')),
    sa.ForeignKeyConstraint(['declared_service_id'], ['declared_service.id'], name=op.f('fk_chosen_alternative_declared_service_id_declared_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('declared_service_id', 'alternative_slug', name=op.f('pk_chosen_alternative'))
    )
    with op.batch_alter_table('chosen_alternative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chosen_alternative_alternative_slug'), ['alternative_slug'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('chosen_alternative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chosen_alternative_alternative_slug'))

    op.drop_table('chosen_alternative')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_team_id'))
        batch_op.drop_index(batch_op.f('ix_enrolment_household_id'))

    op.drop_table('enrolment')
    op.drop_table('declared_service')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_household_id'))
        batch_op.drop_index('ix_checkin_edition_week')

    op.drop_table('checkin')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_commune_code'))

    op.drop_table('household')
    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.drop_index('ix_commune_search_key')
        batch_op.drop_index(batch_op.f('ix_commune_epci_siren'))
        batch_op.drop_index(batch_op.f('ix_commune_departement_code'))

    op.drop_table('commune')
    with op.batch_alter_table('alternative_replacement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alternative_replacement_service_slug'))

    op.drop_table('alternative_replacement')
    op.drop_table('team')
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grant_account_id'))

    op.drop_table('role_grant')
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_session_account_id'))

    op.drop_table('login_session')
    op.drop_table('edition_territory')
    op.drop_table('departement')
    with op.batch_alter_table('bigtech_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bigtech_service_category_slug'))

    op.drop_table('bigtech_service')
    op.drop_table('alternative_area')
    op.drop_table('region')
    op.drop_table('epci')
    op.drop_table('edition')
    op.drop_table('category')
    op.drop_table('alternative')
    op.drop_table('account')
