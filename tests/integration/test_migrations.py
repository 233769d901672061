"""Alembic: upgrade an empty database, no drift against the models, clean downgrade."""

from collections.abc import Iterator

import pytest
from sqlalchemy import inspect

from challenge import migrate
from challenge.db import create_db_engine
from tests.conftest import BACKENDS, empty_database


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with empty_database(request.param, str(tmp_path)) as url:
        yield url


def _tables(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_head_on_empty_database_then_check_finds_no_drift(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    migrate.check(empty_url)  # raises if the models and the schema differ
    assert {"account", "checkin", "commune", "alternative"} <= _tables(empty_url)


def test_downgrade_to_base_removes_every_table_and_upgrade_again_works(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    migrate.downgrade(empty_url, "base")
    assert _tables(empty_url) == set()
    migrate.upgrade(empty_url)
    migrate.check(empty_url)
