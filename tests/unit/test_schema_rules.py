"""Schema rules every table must follow."""

from sqlalchemy import UniqueConstraint

from challenge.models import Base

# A single nullable column that is unique on its own: NULL means "none" and many rows have none,
# which is what NULLs being distinct allows; a value present is still unique.
OPTIONAL_LINKS = {"household_member.account_id"}


def test_key_columns_of_unique_constraints_are_not_null() -> None:
    # NULLs are distinct in a UNIQUE constraint: a nullable key column would let duplicates in.
    nullable = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
        for column in constraint.columns
        if column.nullable
    ]
    nullable += [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if column.unique and column.nullable
    ]
    assert [column for column in nullable if column not in OPTIONAL_LINKS] == []


def test_every_table_has_a_primary_key() -> None:
    assert [t.name for t in Base.metadata.tables.values() if not t.primary_key.columns] == []
