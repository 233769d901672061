"""the stored vocabulary is checked by the database: statuses, levels, roles and measures

Each column that holds a word of challenge.core.vocabulary gets a CHECK listing the words, so
that a typo in code (or a hand-made row) is refused by the database instead of silently stored.
The words are written out here, not imported: a migration stays what it was when written.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 23:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVELS = ("commune", "epci", "departement", "region")
CHECKS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    # (table, column, allowed words, may be NULL)
    ("edition", "status", ("draft", "open", "running", "closed"), False),
    ("edition_territory", "level", LEVELS, False),
    ("team", "territory_level", LEVELS, False),
    ("territory_outline", "level", LEVELS, False),
    ("alternative_area", "level", LEVELS, False),
    ("council_invitation", "territory_level", LEVELS, False),
    ("role_grant", "role", ("organiser", "council", "captain"), False),
    ("role_grant", "territory_level", LEVELS, True),
    ("checkin", "status", ("switched", "mostly", "tried", "still", "dropped"), False),
    ("suggestion", "status", ("pending", "accepted", "declined"), False),
    ("suggestion", "territory_level", (*LEVELS, "national"), False),
    (
        "aggregate_commune_week",
        "measure",
        ("registered", "active", "switched", "category", "service", "alternative"),
        False,
    ),
    ("aggregate_commune_span", "measure", ("active", "km", "euros", "objects"), False),
    (
        "aggregate_team_week",
        "measure",
        (
            "members",
            "checked",
            "score",
            "category",
            "chose",
            "chose_switched",
            "declared",
            "service_switched",
            "goal",
        ),
        False,
    ),
)


def _condition(column: str, words: tuple[str, ...], nullable: bool) -> str:
    listed = f"{column} IN ({', '.join(repr(word) for word in words)})"
    return f"{column} IS NULL OR {listed}" if nullable else listed


def upgrade() -> None:
    for table in dict.fromkeys(table for table, *_rest in CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column, words, nullable in CHECKS:
                if name == table:
                    batch_op.create_check_constraint(
                        op.f(f"ck_{table}_{column}_known"), _condition(column, words, nullable)
                    )


def downgrade() -> None:
    for table in reversed(list(dict.fromkeys(table for table, *_rest in CHECKS))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column, _words, _nullable in CHECKS:
                if name == table:
                    batch_op.drop_constraint(op.f(f"ck_{table}_{column}_known"), type_="check")
