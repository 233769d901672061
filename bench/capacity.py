"""Capacity benchmark (not a test): the household journey next to its two floors, on SQLite and
PostgreSQL, one process pinned to one core — what `make bench` runs.

    .venv/bin/python -m bench.capacity                       # both databases, 80 sessions, 60 s each
    .venv/bin/python -m bench.capacity --db sqlite --seconds 30

For each database, three servers in turn, each loaded by the same protocol clients (80 logged-in
households tapping again as soon as their page shows, after --think seconds):

- **trivial**: the app's `st.App` stack (our routes and every middleware) around a one-line page
  (bench/floors/trivial_app.py): what any page run costs on this machine;
- **frame**: the app's frame (identity, navigation for the role, CSS, flash message, footer) with
  no page (bench/floors/frame_app.py, drawing `ui.app_frame.draw` as streamlit_app.py does);
- **journey**: the real app (app.py), each household looping over "Bilan", check-in, "Mon défi".

Each line gives interactions per second and the server's CPU per interaction (user + system time
of the process over the run, first loads included), the figures issue 22 asks to compare. The
server is pinned to the first CPU, the harness to the others (`--no-pin` to leave them free).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.households import household_emails, minted_cookies, prepare_database
from bench.journey import Stats, page_loop, protocol_session
from bench.load import Session, percentile, pin, run
from bench.scale_out import fresh_postgres_database
from devtools.servers import REPO_ROOT, serve_app

FLOORS = Path(__file__).resolve().parent / "floors"


@dataclass(frozen=True)
class Workload:
    name: str
    app_file: str | None  # a file of bench/floors, or None for the real app.py
    session: Session


WORKLOADS = (
    Workload("trivial", "trivial_app.py", page_loop("Plancher : une ligne")),
    Workload("frame", "frame_app.py", page_loop("Vos données et vos droits")),
    Workload("journey", None, protocol_session),
)


@contextlib.contextmanager
def database(kind: str, folder: Path, households: int) -> Iterator[str]:
    """A database with the demo edition: a SQLite file in `folder`, or a fresh PostgreSQL one."""
    if kind == "sqlite":
        yield prepare_database(folder, households)
        return
    with fresh_postgres_database() as url:
        yield prepare_database(folder, households, url)


def floor_folder(folder: Path) -> Path:
    """The floors' `st.App` files and scripts next to links to pages/, assets/ and .streamlit/:
    Streamlit resolves st.Page paths (the frame's navigation) from the main script's folder."""
    target = folder / "floors"
    target.mkdir()
    for source in FLOORS.glob("*.py"):
        if source.name != "__init__.py":
            shutil.copy(source, target / source.name)
    for shared in ("pages", "assets", ".streamlit"):
        (target / shared).symlink_to(REPO_ROOT / shared, target_is_directory=True)
    return target


def measure(
    workload: Workload, url: str, floors: Path, cookies: list[str], args: argparse.Namespace, log: Path
) -> Stats:
    app_file = floors / workload.app_file if workload.app_file else None
    production_like = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    with serve_app(url, log, args.secret, app_file=app_file, **production_like) as server:
        pin(server.pid, args.no_pin)
        stats, _start_rss = asyncio.run(run(server.base, [server.pid], cookies, args, workload.session))
        return stats


def line(kind: str, workload: Workload, stats: Stats, args: argparse.Namespace) -> str:
    measured = {k: v for k, v in stats.latencies.items() if "first load" not in k}
    runs = sum(len(v) for v in stats.latencies.values())
    every = [value for values in measured.values() for value in values] or [0.0]
    cpu_ms = 1000 * stats.server_cpu_s / max(1, runs)
    rate = stats.steady_rate(args.ramp_up, stats.started_at + args.ramp_up + args.seconds)
    before, after = stats.load_average
    return (
        f"| {kind} | {workload.name} | {rate:.1f} | {cpu_ms:.1f} | "
        f"{percentile(every, 0.5):.2f} / {percentile(every, 0.95):.2f} | {len(stats.errors)} | "
        f"{before:.1f} → {after:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--sessions", type=int, default=80, help="concurrent logged-in households")
    parser.add_argument("--think", type=float, default=0.5, help="seconds from a page shown to the next tap")
    parser.add_argument("--seconds", type=float, default=60, help="measured time of each workload")
    parser.add_argument("--ramp-up", type=float, default=10, help="seconds over which sessions arrive")
    parser.add_argument("--no-pin", action="store_true", help="leave the server and the harness unpinned")
    parser.add_argument("--households", type=int, default=300, help="demo households (at least sessions + 1)")
    args = parser.parse_args()
    args.browsers, args.active, args.max_journeys = 0, 10**6, 10**6
    args.secret = secrets.token_urlsafe(32)
    count = args.sessions + 1  # the last one warms each server up
    lines, failed = [], False
    print(
        f"{args.sessions} sessions, think {args.think:g} s, {args.ramp_up:g} s ramp-up then "
        f"{args.seconds:g} s; {os.cpu_count()} CPUs; server pinned: {not args.no_pin}",
        flush=True,
    )
    for kind in args.db:
        with tempfile.TemporaryDirectory(prefix="dzg-capacity-") as name:
            folder = Path(name)
            floors = floor_folder(folder)
            with database(kind, folder, max(args.households, count)) as url:
                cookies = minted_cookies(url, args.secret, household_emails(count))
                for workload in WORKLOADS:
                    log = folder / f"{workload.name}.log"
                    stats = measure(workload, url, floors, cookies, args, log)
                    lines.append(line(kind, workload, stats, args))
                    print(lines[-1], *(f"  error: {e}" for e in stats.errors[:5]), sep="\n", flush=True)
                    failed = failed or bool(stats.errors)
    print("\n| database | workload | interactions/s | CPU/interaction ms | p50 / p95 s | errors | load |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
