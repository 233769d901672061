"""GET /healthz: 200 when the database answers, 503 without any detail when it does not."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from challenge.infra.db import Database
from tests.support.tcp_proxy import tcp_proxy
from web.health import HEALTHY, UNHEALTHY, HealthCheck


def _client(db_factory: Callable[[], Database], timeout_s: float = 2.0) -> TestClient:
    return TestClient(
        Starlette(routes=HealthCheck(db_factory, timeout_s).routes()), base_url="http://localhost"
    )


def _closed_port() -> int:
    """A loopback port nobody listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_healthz_is_ok_when_the_database_answers(db: Database) -> None:
    with _client(lambda: db) as client:
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == HEALTHY
        assert response.headers["cache-control"] == "no-store"
        assert client.head("/healthz").status_code == 200


def test_healthz_is_503_without_detail_when_the_database_refuses() -> None:
    unreachable = Database(f"postgresql+psycopg://postgres:hunter22@127.0.0.1:{_closed_port()}/zerogafam")
    with _client(lambda: unreachable) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == UNHEALTHY
    for detail in ("psycopg", "127.0.0.1", "refused", "hunter22", "zerogafam", "Traceback"):
        assert detail not in response.text


def test_healthz_is_503_promptly_when_the_database_hangs(caplog: pytest.LogCaptureFixture) -> None:
    with tcp_proxy("127.0.0.1", _closed_port()) as proxy:
        proxy.cut("blackhole")  # accepts the connection, never answers
        hung = Database(f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/zerogafam?connect_timeout=10")
        caplog.set_level(logging.WARNING, logger="web.health")
        with _client(lambda: hung, timeout_s=0.5) as client:
            response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == UNHEALTHY
    # The probe's own bound (0.5 s) answered, not the 10 s connect timeout nor a hang: which bound
    # fired, not how long it took (a loaded machine makes waits longer; bench/ measures them).
    assert "database did not answer within 0.5 s" in caplog.text
    assert "connection timeout expired" not in caplog.text


def test_healthz_is_503_when_the_database_factory_fails() -> None:
    def broken() -> Database:
        raise RuntimeError("settings could not be read")

    with _client(broken) as client:
        assert client.get("/healthz").status_code == 503


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_healthz_only_reads(db: Database, method: str) -> None:
    with _client(lambda: db) as client:
        assert client.request(method, "/healthz").status_code == 405
