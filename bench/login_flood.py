"""Log-in flood bench (not a test): /healthz and a page run, alone and under a flood of log-ins.

    .venv/bin/python bench/login_flood.py --flood 8 --samples 40

Starts the real app on a fresh SQLite database with demo data, then measures the latency of
`/healthz` and of one page run of a logged-in household (Streamlit protocol client) first with
nothing else going on, then while `--flood` clients send wrong passwords to /connexion without
pause (each one an argon2 verification). Prints medians, 95th percentiles and the ratio to the
unloaded figures; the result goes into bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.households import household_emails, minted_cookies, prepare_database
from bench.streamlit_client import StreamlitTab
from devtools.forms import csrf_token
from devtools.servers import serve_app
from web.identity import SESSION_COOKIE


def health_latencies(base: str, samples: int) -> list[float]:
    figures = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(samples):
            started = time.perf_counter()
            assert client.get("/healthz").status_code == 200
            figures.append(time.perf_counter() - started)
            time.sleep(0.05)
    return figures


async def page_latencies(base: str, cookie: str, samples: int) -> list[float]:
    figures = []
    async with StreamlitTab(base, f"{SESSION_COOKIE}={cookie}", 60) as tab:
        await tab.open("")
        for _ in range(samples):
            started = time.perf_counter()
            await tab.open("")
            figures.append(time.perf_counter() - started)
    return figures


def flood(base: str, stop: threading.Event, counter: list[int], number: int) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        token = csrf_token(client.get("/connexion").text)
        while not stop.is_set():
            form = {"csrf": token, "email": f"flood{number}-{counter[0]}@exemple.fr", "password": "wrong" * 3}
            client.post("/connexion", data=form, follow_redirects=False)
            counter[0] += 1


def measure(base: str, cookie: str, samples: int) -> tuple[list[float], list[float]]:
    health = health_latencies(base, samples)
    pages = asyncio.run(page_latencies(base, cookie, samples // 2))
    return health, pages


def summary(name: str, figures: list[float], baseline: list[float] | None) -> str:
    median = statistics.median(figures) * 1000
    p95 = sorted(figures)[int(0.95 * (len(figures) - 1))] * 1000
    ratio = f"  ×{median / (statistics.median(baseline) * 1000):.2f}" if baseline else ""
    return f"| {name} | {median:.1f} ms | {p95:.1f} ms |{ratio} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--flood", type=int, default=8, help="clients sending wrong passwords at once")
    parser.add_argument("--samples", type=int, default=40, help="health samples per phase")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dzg-flood-") as folder:
        url = prepare_database(Path(folder), 5)
        secret = secrets.token_urlsafe(32)
        cookie = minted_cookies(url, secret, household_emails(1))[0]
        with serve_app(
            url, Path(folder) / "server.log", secret, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none"
        ) as server:
            measure(server.base, cookie, 6)  # warm-up
            health0, pages0 = measure(server.base, cookie, args.samples)
            stop, counters = threading.Event(), [[0] for _ in range(args.flood)]
            threads = [
                threading.Thread(target=flood, args=(server.base, stop, counters[n], n))
                for n in range(args.flood)
            ]
            for thread in threads:
                thread.start()
            time.sleep(1)
            started, before = time.monotonic(), sum(c[0] for c in counters)
            health1, pages1 = measure(server.base, cookie, args.samples)
            rate = (sum(c[0] for c in counters) - before) / (time.monotonic() - started)
            stop.set()
            for thread in threads:
                thread.join()
    print(f"flood: {args.flood} clients, {rate:.1f} log-ins/s answered during the measure")
    print("| measure | median | p95 | ratio to unloaded |\n|---|---|---|---|")
    print(summary("/healthz, unloaded", health0, None))
    print(summary("/healthz, under the flood", health1, health0))
    print(summary("page run, unloaded", pages0, None))
    print(summary("page run, under the flood", pages1, pages0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
