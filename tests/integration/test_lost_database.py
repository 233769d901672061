"""PostgreSQL goes away and comes back: probes say so, pages say so in French, nothing to restart.

A TCP proxy on loopback stands between the app and PostgreSQL; cutting it is losing the
database, either refused (every connection dropped, new ones refused) or held (a network that
swallows packets: connections stay open, nothing answers); restoring it is the database coming
back. The same outage under the real server and many open sessions: test_black_hole.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from challenge.households.profile import save_service_plan
from challenge.infra.db import Database, is_unavailable, shared_database
from challenge.infra.db_waits import PAGE_WAITS
from tests.conftest import Member
from tests.pages.conftest import texts
from tests.support.tcp_proxy import Outage, TcpProxy
from ui.resilience import UNAVAILABLE_MESSAGE
from web.health import HealthCheck

SCRIPT = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def proxied(proxied_url: tuple[TcpProxy, str], monkeypatch: pytest.MonkeyPatch) -> Database:
    """The app's database, reached through the proxy (as the pages will, via DATABASE_URL)."""
    url = proxied_url[1]
    monkeypatch.setenv("DATABASE_URL", url)
    return shared_database(url)


def _run(who: Member | None) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=30)
    at.user = {"session": who.session_hash} if who else {}
    return at.run()


def test_health_route_follows_the_database(proxied: Database, proxy: TcpProxy) -> None:
    with TestClient(Starlette(routes=HealthCheck(lambda: proxied).routes())) as client:
        assert client.get("/healthz").status_code == 200
        proxy.cut()
        lost = client.get("/healthz")
        assert (lost.status_code, lost.json()) == (503, {"status": "error", "database": "unavailable"})
        proxy.restore()
        assert client.get("/healthz").status_code == 200  # same process, same pool: pre-ping


@pytest.mark.parametrize("outage", ["refuse", "hold"])
@pytest.mark.parametrize("visitor", [False, True], ids=["household", "visitor"])
def test_pages_say_service_unavailable_in_french_then_recover(
    db: Database,
    proxied: Database,
    proxy: TcpProxy,
    member: Member,
    visitor: bool,
    outage: Outage,
    caplog: pytest.LogCaptureFixture,
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
    who = None if visitor else member
    heading = "Défi Zéro Gafam" if visitor else "Mon défi"
    before = _run(who)
    assert not before.exception
    assert heading in texts(before)

    proxy.cut(outage)
    with caplog.at_level(logging.ERROR, logger="challenge.resilience"):
        during = _run(who)
    assert not during.exception  # no traceback, not even a hidden one
    assert [e.value for e in during.error] == [UNAVAILABLE_MESSAGE]
    assert "database unavailable" in caplog.text

    proxy.restore()
    after = _run(who)  # no restart: the pool replaces its dead connections
    assert not after.exception
    assert not after.error
    assert heading in texts(after)


# A network that swallows packets: every wait is bounded, nothing hangs, nothing to restart. The
# tests assert which bound gave up (libpq's connect timeout, the answer bound of
# challenge.infra.db_waits), not how long it took: a loaded machine makes waits longer, not
# different. bench/ and test_black_hole.py print the durations.
CONNECT_BOUND = "connection timeout expired"  # libpq's connect_timeout (PAGE_WAITS.connect_s)


def _fails_unavailable(proxied: Database, statement: str = "SELECT 1") -> OperationalError:
    with pytest.raises(OperationalError) as raised, proxied.engine.connect() as connection:
        connection.exec_driver_sql(statement)
    assert is_unavailable(raised.value)
    assert CONNECT_BOUND in str(raised.value.orig)  # a bound gave up, not a refusal or a reset
    return raised.value


def test_a_held_network_fails_a_pooled_connection_instead_of_hanging(
    proxied: Database, proxy: TcpProxy
) -> None:
    with proxied.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")  # one connection back in the pool, alive
    proxy.cut("hold")
    _fails_unavailable(proxied)  # the pool's ping gives up, then the new connection
    _fails_unavailable(proxied)  # new connections give up too
    proxy.restore()
    with proxied.engine.connect() as connection:  # no restart: what was held went through
        assert connection.exec_driver_sql("SELECT 1").scalar_one() == 1


def test_a_statement_caught_by_a_held_network_gives_up_and_drops_its_connection(
    proxied: Database, proxy: TcpProxy
) -> None:
    with proxied.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
        proxy.cut("hold")
        with pytest.raises(OperationalError) as raised:
            connection.exec_driver_sql("SELECT 2")
    assert raised.value.connection_invalidated  # never handed out again, half-way through
    assert is_unavailable(raised.value)
    assert f"did not answer within {PAGE_WAITS.answer_s:g} s" in str(raised.value.orig)  # the answer bound
    proxy.restore()
    with proxied.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 3").scalar_one() == 3


def test_a_slow_statement_is_cancelled_by_the_server_and_its_connection_kept(proxied: Database) -> None:
    with proxied.engine.connect() as connection:
        backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with pytest.raises(OperationalError, match="statement timeout"):
            connection.exec_driver_sql(f"SELECT pg_sleep({PAGE_WAITS.answer_s or 0} * 3)")
        connection.rollback()
        assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() == backend
