"""How long anything may wait on the database: a database that stops answering costs a page a few
seconds and a French message, never a frozen page.

A network that swallows packets (a dead path, a full firewall table, a frozen host) answers nothing
at all, so no wait may rely on an answer arriving. On PostgreSQL:

- opening a connection gives up after `connect_s` (libpq's `connect_timeout`);
- once connected, every exchange with the server (a statement, a commit, a rollback) gives up on
  the client's side after `answer_s`, and the pool's liveness check of an idle connection (its
  pre-ping) after `ping_s`; the connection is then closed, never reused;
- the server itself cancels a statement after `statement_s` and a lock wait after `lock_s`, a
  little before the client would give up, so that a merely slow statement fails cleanly and its
  connection stays usable (a lock wait says so in the log: contention, not an outage);
- TCP keepalives and the TCP user timeout let the kernels of both ends notice a dead peer;
- the pool hands out a connection within `checkout_s`, or gives up.

On SQLite (a file in the app's process) the only wait is for another writer's lock,
`sqlite_busy_s`, per attempt (`Database.run_write` tries again a few times): generous, because
SQLite always answers in the end, and a writer of a busy process holds the lock while its
thread waits for Python's GIL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.abc import RV, PQGen

_PSYCOPG_WAIT_INTERVAL_S = 0.1  # psycopg's own default between two checks of a wait


@dataclass(frozen=True)
class Waits:
    """The longest each kind of wait on the database may last, in seconds (None: unbounded)."""

    connect_s: int  # libpq counts whole seconds, and waits at least 2
    ping_s: float | None
    answer_s: float | None
    statement_s: float | None
    lock_s: float
    sqlite_busy_s: float
    checkout_s: float
    keepalive_idle_s: int = 10  # an idle connection is probed after 10 s, then every 3 s,
    keepalive_interval_s: int = 3  # and dropped after 3 probes without an answer
    keepalive_count: int = 3

    def libpq_parameters(self, url_query: Mapping[str, Any]) -> dict[str, Any]:
        """libpq connection parameters for these waits; any of them set in the URL wins."""
        unanswered_ms = int((self.answer_s or 60) * 1000)  # data sent and never acknowledged
        server = {
            "tcp_keepalives_idle": self.keepalive_idle_s,
            "tcp_keepalives_interval": self.keepalive_interval_s,
            "tcp_keepalives_count": self.keepalive_count,
            "tcp_user_timeout": unanswered_ms,
            "lock_timeout": int(self.lock_s * 1000),
            "statement_timeout": int((self.statement_s or 0) * 1000),
        }
        options = " ".join(f"-c {name}={value}" for name, value in server.items())
        if url_query.get("options"):
            options = f"{options} {url_query['options']}"  # the operator's own settings come last: they win
        ours = {
            "connect_timeout": self.connect_s,
            "keepalives": 1,
            "keepalives_idle": self.keepalive_idle_s,
            "keepalives_interval": self.keepalive_interval_s,
            "keepalives_count": self.keepalive_count,
            "tcp_user_timeout": unanswered_ms,
        }
        return {**{k: v for k, v in ours.items() if k not in url_query}, "options": options}


# Pages and HTTP routes (`shared_database`): a household waits a few seconds at most. With the
# network gone, an idle session's next run fails after ping + connect (3 s); a run caught in the
# middle of a statement after answer_s.
PAGE_WAITS = Waits(
    connect_s=2, ping_s=1.0, answer_s=5.0, statement_s=4.0, lock_s=3.0, sqlite_busy_s=10.0, checkout_s=3.0
)
# Everything else (migrations, rebuilds, demo data, cron jobs: the default of `Database`):
# statements as long as they need; a dead network is still noticed by TCP (keepalives, one
# minute of unacknowledged data).
BATCH_WAITS = Waits(
    connect_s=10,
    ping_s=10.0,
    answer_s=None,
    statement_s=None,
    lock_s=60.0,
    sqlite_busy_s=60.0,
    checkout_s=30.0,
)


class AnswerBoundConnection(psycopg.Connection[Any]):
    """A psycopg connection on which no exchange with the server waits longer than `answer_s`.

    psycopg waits for the server's answer in `wait()` (statements, commit, rollback, the pool's
    ping); past the bound the connection is closed, and SQLAlchemy sees a lost connection: the
    pool drops it, the page shows the outage message.
    """

    answer_s: float | None = None

    def wait(
        self, gen: PQGen[RV], interval: float = _PSYCOPG_WAIT_INTERVAL_S, timeout: float | None = None
    ) -> RV:
        bound = self.answer_s
        if bound is None or (timeout is not None and timeout <= bound):
            return super().wait(gen, interval, timeout)  # psycopg's own shorter bound (notifies)
        try:
            return super().wait(gen, interval, bound)
        except psycopg.errors._WaitTimeout as error:  # psycopg 3.3 says "the wait expired" so
            self.close()  # half-way through the protocol: never to be reused
            raise psycopg.OperationalError(f"the database did not answer within {bound:g} s") from error
