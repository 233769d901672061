"""Load harness (not a test): K concurrent logged-in households against the app, on loopback.

    .venv/bin/python bench/load.py --sessions 50
    .venv/bin/python bench/load.py --sessions 200 --active 100

By default it prepares a fresh SQLite database (migrate, reference data, `demo --households N`)
and starts `streamlit run app.py` itself on a free port of 127.0.0.1 (file watcher off, as in
production). With --url it uses a server already running on loopback and logs every household
in through its /connexion form.

Each session is a distinct demo household (foyer-00001@demo.invalid…). Active sessions loop
over the weekly journey: open "Bilan", tap « Mêmes réponses que la dernière fois » (or submit
the form), open "Mon défi"; each interaction is timed until the page run is over and shows
what it should, with a think time between interactions. Idle sessions open their home page
once and stay connected, as an idle phone tab does.

Two clients: --browsers of the sessions are Playwright pages in ONE headless Chromium (what a
person sees, rendering included); the others speak Streamlit's WebSocket protocol
(bench/streamlit_client.py: the same messages a tab sends, nothing rendered). On a 2-core
machine 50 Chromium pages alone saturate the CPU and time out loading the page, so the
protocol client is what lets one machine load a server with hundreds of sessions.
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
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.browser_client import browser_session
from bench.households import form_cookie, household_emails, minted_cookies, prepare_database
from bench.journey import Plan, Stats, protocol_session
from devtools.browser import CHROMIUM_ARGS
from devtools.servers import serve_app

LOOPBACK = {"localhost", "127.0.0.1", "::1"}
Session = Callable[[str, str, Stats, Plan], Awaitable[None]]  # (base, cookie, stats, plan)


def rss_kib(pid: int) -> int:
    """VmRSS of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and all its threads, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pin(server_pid: int, disabled: bool) -> None:
    """Server on CPU 0, this harness and its Chromium on the other CPUs.

    Client load then stays off the server's core, as when the phones are elsewhere. The server
    is one Python process (one GIL): one core is what it can use for page runs anyway.
    """
    cpus = sorted(os.sched_getaffinity(0))
    if disabled or len(cpus) < 2:
        return
    pin_process(server_pid, {cpus[0]})
    os.sched_setaffinity(0, set(cpus[1:]))  # inherited by Chromium, launched afterwards


def pin_process(pid: int, cpus: set[int]) -> None:
    """Every thread of a running process on `cpus` (the threads it starts later inherit it).

    `sched_setaffinity(pid)` alone moves the main thread only: the server's event loop and
    script threads, started before, would stay free to run anywhere.
    """
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(ProcessLookupError):  # a thread that ended meanwhile
            os.sched_setaffinity(int(task.name), cpus)


async def sample_rss(pids: Sequence[int], stats: Stats, stop: asyncio.Event) -> None:
    started = time.monotonic()
    while pids and not stop.is_set():
        stats.rss_kib.append(sum(rss_kib(pid) for pid in pids))
        stats.rss_at_s.append(time.monotonic() - started)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def run(
    base: str,
    pids: Sequence[int],
    cookies: list[str],
    args: argparse.Namespace,
    session: Session = protocol_session,
) -> tuple[Stats, int]:
    """The sessions of `args` against `base`; memory and CPU are those of the server processes
    `pids` added up (several processes behind a proxy: bench/scale_out.py). Protocol sessions run
    `session` (by default the weekly journey; a floor of bench/capacity.py)."""
    stats, warm = Stats(), Stats()
    load_before = os.getloadavg()[0]
    warm_up = Plan(delay=0, until=0, active=False, think=0, limit=0)
    await session(base, cookies[-1], warm, warm_up)  # loads pandas, altair… before measuring
    start_rss = sum(rss_kib(pid) for pid in pids)
    start_cpu = sum(cpu_seconds(pid) for pid in pids)
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(pids, stats, stop))
    stats.started_at = time.monotonic()
    until = stats.started_at + args.ramp_up + args.seconds
    spacing = args.ramp_up / max(1, args.sessions)  # sessions arrive one by one, as people do

    def plan(index: int) -> Plan:
        return Plan(index * spacing, until, index < args.active, args.think, args.max_journeys)

    browsers = min(args.browsers, args.sessions)
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        tasks = [browser_session(browser, base, cookies[i], stats, plan(i)) for i in range(browsers)]
        tasks += [session(base, cookies[i], stats, plan(i)) for i in range(browsers, args.sessions)]
        await asyncio.gather(*tasks)
        await browser.close()
    stats.load_average = (load_before, os.getloadavg()[0])
    stats.server_cpu_s = sum(cpu_seconds(pid) for pid in pids) - start_cpu
    stop.set()
    await sampler
    stats.errors += warm.errors
    return stats, start_rss


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def rss_timeline(stats: Stats, points: int = 7) -> str:
    """The RSS at evenly spaced moments of the run (a soak's memory must stay flat)."""
    total = stats.rss_at_s[-1]
    marks = [total * i / (points - 1) for i in range(points)]
    picked = [next(k for k, at in enumerate(stats.rss_at_s) if at >= mark) for mark in marks]
    return ", ".join(f"{stats.rss_at_s[k] / 60:.0f} min {stats.rss_kib[k] / 1024:.0f} MiB" for k in picked)


def report(stats: Stats, start_rss: int, args: argparse.Namespace, elapsed: float) -> str:
    active, browsers = min(args.active, args.sessions), min(args.browsers, args.sessions)
    lines = [
        f"sessions: {args.sessions} requested ({browsers} in Chromium, the others over the protocol), "
        f"{active} active (think {args.think:g} s), {stats.sessions_held} held at once; "
        f"errors: {len(stats.errors)}; wall time {elapsed:.0f} s (ramp-up {args.ramp_up:g} s)",
        f"{'interaction':<26}{'count':>6}{'p50 s':>8}{'p95 s':>8}{'p99 s':>8}{'max s':>8}",
    ]
    for name, values in sorted(stats.latencies.items()):
        p50, p95, p99 = (percentile(values, q) for q in (0.5, 0.95, 0.99))
        lines.append(f"{name:<26}{len(values):>6}{p50:>8.2f}{p95:>8.2f}{p99:>8.2f}{max(values):>8.2f}")
    journey = sum(len(v) for k, v in stats.latencies.items() if "first load" not in k)
    lines.append(f"interactions completed: {journey} ({journey / elapsed:.2f}/s, first loads not counted)")
    if stats.rss_kib:
        peak, end = max(stats.rss_kib), stats.rss_kib[-1]
        per_session = (peak - start_rss) / max(1, stats.sessions_held)
        lines.append(
            f"server RSS: {start_rss / 1024:.0f} MiB at start (warm: after one page run), "
            f"{peak / 1024:.0f} MiB at peak, {end / 1024:.0f} MiB at the end; "
            f"{per_session / 1024:.2f} MiB per session ((peak - start) / sessions held)"
        )
        lines.append(f"server RSS over time: {rss_timeline(stats)}")
    runs = sum(len(v) for v in stats.latencies.values())
    if stats.server_cpu_s:
        lines.append(
            f"server CPU: {stats.server_cpu_s:.1f} s for {runs} interactions (first loads included): "
            f"{1000 * stats.server_cpu_s / max(1, runs):.1f} ms per interaction"
        )
    before, after = stats.load_average
    lines.append(
        f"machine load average (1 min): {before:.2f} before, {after:.2f} after "
        "(anything else running on the machine skews the figures)"
    )
    lines += [f"error: {e}" for e in stats.errors[:20]]
    return "\n".join(lines)


def journey_arguments(description: str) -> argparse.ArgumentParser:
    """The options of a load run (sessions, think time, duration…), shared with bench/scale_out.py."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sessions", type=int, default=50, help="concurrent logged-in sessions (K)")
    parser.add_argument("--active", type=int, default=10**6, help="how many loop over the journey (else all)")
    parser.add_argument("--browsers", type=int, default=5, help="how many of them are Chromium pages")
    parser.add_argument("--think", type=float, default=3.0, help="seconds between two interactions")
    parser.add_argument("--seconds", type=float, default=120, help="run time after the ramp-up")
    parser.add_argument("--ramp-up", type=float, default=40, help="seconds over which sessions arrive")
    parser.add_argument("--max-journeys", type=int, default=50, help="journeys per active session")
    parser.add_argument(
        "--no-pin", action="store_true", help="do not pin the server to CPU 0 and the client to the others"
    )
    parser.add_argument("--households", type=int, default=300, help="demo households (at least K + 1)")
    return parser


def main() -> int:
    parser = journey_arguments(__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server on loopback (else one is started)")
    parser.add_argument("--pid", type=int, help="with --url: the server's pid, for its memory")
    parser.add_argument("--server-log", type=Path, help="keep the started server's log in this file")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment of the started server, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=true (repeatable)",
    )
    args = parser.parse_args()
    count = args.sessions + 1  # the last one warms the server up
    started = time.monotonic()
    if args.url:
        if urllib.parse.urlsplit(args.url).hostname not in LOOPBACK:
            parser.error("only a server on loopback (localhost, 127.0.0.1)")
        cookies = [form_cookie(args.url.rstrip("/"), email) for email in household_emails(count)]
        pids = [args.pid] if args.pid else []
        stats, start_rss = asyncio.run(run(args.url.rstrip("/"), pids, cookies, args))
    else:
        with tempfile.TemporaryDirectory(prefix="dzg-bench-") as folder:
            url = prepare_database(Path(folder), max(args.households, count))
            secret = secrets.token_urlsafe(32)
            cookies = minted_cookies(url, secret, household_emails(count))
            log = args.server_log or Path(folder) / "server.log"
            # As in production: no module reloading when files change under the running server.
            env = dict(item.split("=", 1) for item in args.server_env)
            env.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")
            with serve_app(url, log, secret, **env) as server:
                pin(server.pid, args.no_pin)
                started = time.monotonic()
                stats, start_rss = asyncio.run(run(server.base, [server.pid], cookies, args))
    print(report(stats, start_rss, args, time.monotonic() - started))
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
