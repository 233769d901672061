"""one set of edition rules, checked by the database too: 6 to 12 weeks, a sign-up window in order

The console refused editions shorter than 6 or longer than 12 weeks while the table accepted 1
to 52, and nothing kept a sign-up window from closing before it opened. The numbers are written
out here, not imported: a migration stays what it was when written.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 02:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_edition_weeks_range"), type_="check")
        batch_op.create_check_constraint(op.f("ck_edition_weeks_range"), "weeks BETWEEN 6 AND 12")
        batch_op.create_check_constraint(op.f("ck_edition_signup_window"), "signup_opens <= signup_closes")


def downgrade() -> None:
    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_edition_signup_window"), type_="check")
        batch_op.drop_constraint(op.f("ck_edition_weeks_range"), type_="check")
        batch_op.create_check_constraint(op.f("ck_edition_weeks_range"), "weeks BETWEEN 1 AND 52")
