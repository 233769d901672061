"""Scale-out benchmark (not a test): the household journey through HAProxy, 1 then 2 app processes.

    .venv/bin/python -m bench.scale_out --sessions 80 --browsers 0 --think 3 --seconds 120

The deployment docs/operations.md describes, on loopback: Debian's HAProxy with the documented
configuration (devtools/proxy.py: sticky sessions, WebSockets tunnelled, /healthz checks) in front
of N `streamlit run app.py` processes sharing one PostgreSQL database (a fresh `dzg_bench_scale_out`
database on DZG_BENCH_POSTGRES_URL's server, the demo edition loaded). For each N of --processes,
the same load as bench/load.py (protocol clients by default) goes through the proxy, and the
report gives interactions/s, latencies, and the CPU and memory of the app processes added up.

Process i is pinned to CPU i (modulo the CPUs there are); the harness, HAProxy and PostgreSQL run
wherever the kernel puts them. On a 2-core machine, 2 processes therefore share their cores with
the load generator and the database: the figures say what the machine allows, not what 2 cores
dedicated to the app would do.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.households import household_emails, minted_cookies, prepare_database
from bench.load import cpu_seconds, journey_arguments, pin_process, report, run
from devtools.proxy import serve_haproxy
from devtools.servers import RunningServer, serve_app

POSTGRES_SERVER = os.environ.get(
    "DZG_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DATABASE = "dzg_bench_scale_out"


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """An empty database on the benchmark's PostgreSQL server, dropped afterwards."""
    server = make_url(POSTGRES_SERVER)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
        yield server.set(database=DATABASE).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    finally:
        admin.dispose()


def app(url: str, log: Path, secret: str) -> contextlib.AbstractContextManager[RunningServer]:
    """One app process, as in production: no module reloading when files change under it."""
    return serve_app(url, log, secret, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")


def pin_processes(servers: list[RunningServer], disabled: bool) -> None:
    cpus = sorted(os.sched_getaffinity(0))
    if disabled or len(cpus) < 2:
        return
    for index, server in enumerate(servers):
        pin_process(server.pid, {cpus[index % len(cpus)]})


def main() -> int:
    parser = journey_arguments(__doc__.splitlines()[0])
    parser.set_defaults(browsers=0, sessions=80)
    parser.add_argument(
        "--processes", type=int, nargs="+", default=[1, 2], help="app processes behind the proxy (a run each)"
    )
    args = parser.parse_args()
    count = args.sessions + 1  # the last one warms the servers up
    failed = False
    with tempfile.TemporaryDirectory(prefix="dzg-scale-out-") as folder, fresh_postgres_database() as url:
        prepare_database(Path(folder), max(args.households, count), url)
        secret = secrets.token_urlsafe(32)
        cookies = minted_cookies(url, secret, household_emails(count))
        for processes in args.processes:
            with contextlib.ExitStack() as stack:
                logs = [Path(folder) / f"app{n}.log" for n in range(processes)]
                servers = [stack.enter_context(app(url, log, secret)) for log in logs]
                pin_processes(servers, args.no_pin)
                ports = [int(server.base.rsplit(":", 1)[1]) for server in servers]
                proxy = stack.enter_context(serve_haproxy(ports, Path(folder)))
                pids = [server.pid for server in servers]
                cpu_before = [cpu_seconds(pid) for pid in pids]
                started = time.monotonic()
                stats, start_rss = asyncio.run(run(proxy.base, pids, cookies, args))
                elapsed = time.monotonic() - started
                shares = ", ".join(
                    f"{cpu_seconds(pid) - before:.0f} s" for pid, before in zip(pids, cpu_before, strict=True)
                )
            print(f"\n== {processes} app process(es) behind HAProxy, one PostgreSQL ==")
            print(report(stats, start_rss, args, elapsed))
            print(f"CPU of each app process over the run: {shares}")
            failed = failed or bool(stats.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
