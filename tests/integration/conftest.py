"""Fixtures of the integration tests that lose their database server on purpose."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from challenge.infra.db import Database
from tests.support.tcp_proxy import TcpProxy, database_proxy


@pytest.fixture
def proxied_url(db: Database) -> Iterator[tuple[TcpProxy, str]]:
    """A TCP proxy in front of the test database's server, and the database's URL through it."""
    if db.dialect != "postgresql":
        pytest.skip("losing a database server: PostgreSQL (SQLite is a file in the app's process)")
    with database_proxy(db.url) as running:
        yield running


@pytest.fixture
def proxy(proxied_url: tuple[TcpProxy, str]) -> TcpProxy:
    return proxied_url[0]
