"""Schema rules every table must follow."""

from sqlalchemy import UniqueConstraint

from challenge.models import Base


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
    assert nullable == []


def test_every_table_has_a_primary_key() -> None:
    assert [t.name for t in Base.metadata.tables.values() if not t.primary_key.columns] == []
