"""First load on a phone over 4G (not a test): bytes transferred and time to a usable page.

    .venv/bin/python bench/first_load.py                    # prints the figures
    .venv/bin/python bench/first_load.py --write bench/FIRST_LOAD.md

Prepares a demo database, starts `streamlit run app.py` on loopback and opens, in a fresh
(cold-cache) phone context of Debian's Chromium, the home page of a visitor and the check-in
page of the demo household, under Chromium's network emulation (DevTools protocol,
Network.emulateNetworkConditions) with the PROFILE below. Each page is loaded RUNS times with
gzip accepted, then RUNS times with `Accept-Encoding: identity` (what the same page costs
uncompressed). "Usable" means: the page's heading is on screen and Streamlit's script run is
over (widgets answer).
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.households import minted_cookies, prepare_database
from challenge.demo.generator import DEMO_LOGINS
from devtools.browser import CHROMIUM_ARGS
from devtools.servers import serve_app
from web.identity import SESSION_COOKIE

# A middling 4G link, as WebPageTest's and Lighthouse's mobile profiles describe it.
PROFILE = {"name": "4G", "down_mbit": 9.0, "up_mbit": 1.5, "rtt_ms": 60}
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "fr-FR",
}
PAGES = [  # (label, path, logged in, heading that says the page is there)
    ("Accueil (visiteur)", "/", False, "Défi Zéro Gafam"),
    ("Bilan (foyer connecté)", "/bilan", True, "Bilan de la semaine"),
]
RUNS = 3
TIMEOUT_MS = 60_000


@dataclass
class Load:
    seconds: float
    http_bytes: int  # on the wire, headers included (CDP encodedDataLength)
    body_bytes: int  # after decompression
    requests: int
    websocket_bytes: int  # Streamlit's messages (the page's content), received
    http_seconds: float  # until the last HTTP response of the load had arrived


@dataclass
class Figures:
    loads: list[Load] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(getattr(load, name) for load in self.loads)


def load_once(browser: Browser, base: str, path: str, heading: str, cookie: str | None, gzip: bool) -> Load:
    context = browser.new_context(**PHONE, base_url=base)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    if cookie:
        context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": base}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": PROFILE["rtt_ms"],
            "downloadThroughput": PROFILE["down_mbit"] * 1_000_000 / 8,
            "uploadThroughput": PROFILE["up_mbit"] * 1_000_000 / 8,
        },
    )
    if not gzip:
        cdp.send("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": "identity"}})
    counts = {"http": 0, "body": 0, "requests": 0, "ws": 0}
    last_response = [0.0]

    def finished(event: dict) -> None:
        counts["http"] += int(event["encodedDataLength"])
        counts["requests"] += 1
        last_response[0] = time.monotonic()

    def received(event: dict) -> None:
        counts["body"] += int(event["dataLength"])

    def frame(event: dict) -> None:
        payload = event["response"]["payloadData"]
        counts["ws"] += len(payload) * 3 // 4 if event["response"]["opcode"] == 2 else len(payload)

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.dataReceived", received)
    cdp.on("Network.webSocketFrameReceived", frame)
    started = time.monotonic()
    page.goto(path)
    page.get_by_role("heading", name=heading).first.wait_for(state="visible")
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stApp"]')
              ?.getAttribute('data-test-script-state') === 'notRunning'"""
    )
    usable = time.monotonic()
    page.wait_for_timeout(500)  # late requests (fonts, icons) still count as first-load bytes
    context.close()
    http_seconds = min(last_response[0], usable) - started
    return Load(
        usable - started, counts["http"], counts["body"], counts["requests"], counts["ws"], http_seconds
    )


def measure(browser: Browser, base: str, cookie: str) -> dict[tuple[str, bool], Figures]:
    results: dict[tuple[str, bool], Figures] = {}
    for label, path, logged_in, heading in PAGES:
        for gzip in (True, False):
            figures = results.setdefault((label, gzip), Figures())
            for _ in range(RUNS):
                figures.loads.append(
                    load_once(browser, base, path, heading, cookie if logged_in else None, gzip)
                )
    return results


def report(results: dict[tuple[str, bool], Figures], chromium: str) -> str:
    kib = 1024
    lines = [
        "| page | encoding | requests | HTTP bytes on the wire | HTTP bytes decoded | WebSocket received "
        "| HTTP done after | usable after (median, min–max) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (label, gzip), figures in results.items():
        times = [load.seconds for load in figures.loads]
        lines.append(
            f"| {label} | {'gzip' if gzip else 'identity'} | {figures.median('requests'):.0f} "
            f"| {figures.median('http_bytes') / kib:,.0f} KiB "
            f"| {figures.median('body_bytes') / kib:,.0f} KiB "
            f"| {figures.median('websocket_bytes') / kib:,.0f} KiB "
            f"| {figures.median('http_seconds'):.2f} s "
            f"| {statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f} s) |"
        )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# First load on a phone over 4G",
            "",
            f"Measured by `make first-load` (bench/first_load.py) on {when}: {platform.machine()}, "
            f"{os.cpu_count()} cores, {chromium}, app and browser on the same machine (loopback).",
            f"Network profile (Chromium DevTools emulation): {PROFILE['down_mbit']} Mbit/s down, "
            f"{PROFILE['up_mbit']} Mbit/s up, {PROFILE['rtt_ms']} ms round trip. Phone: 360×740, "
            f"cold cache (a new browser context per load), {RUNS} loads per line.",
            "",
            *lines,
            "",
            '"HTTP done after": when the last HTTP response of the load had arrived; the rest of '
            '"usable after" is the browser running Streamlit\'s JavaScript and the server running the '
            "page's script, both CPU-bound (and noisy) on this shared 2-core machine.",
            "",
            '"identity" is the same page with compression refused (`Accept-Encoding: identity`): what '
            "Streamlit 1.67 serves by itself, since it never compresses its `/static/` bundles nor its "
            "HTML shell. `web/compression.py` gzips them (cached per distinct body).",
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=300, help="demo households")
    parser.add_argument("--write", type=Path, help="write the Markdown report to this file")
    args = parser.parse_args()
    executable = shutil.which("chromium")
    if executable is None:
        parser.error("Debian's chromium is needed (apt-get install chromium)")
    version = subprocess.run(  # noqa: S603 - the browser found on PATH, a fixed argument
        [executable, "--version"], capture_output=True, text=True, check=False
    ).stdout
    with tempfile.TemporaryDirectory(prefix="dzg-first-load-") as folder:
        url = prepare_database(Path(folder), args.households)
        secret = secrets.token_urlsafe(32)
        cookie = minted_cookies(url, secret, [DEMO_LOGINS["household"]])[0]
        log = Path(folder) / "server.log"
        with (
            serve_app(url, log, secret, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none") as server,
            sync_playwright() as driver,
        ):
            browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            load_once(browser, server.base, "/", PAGES[0][3], None, True)  # warm the server up
            results = measure(browser, server.base, cookie)
            browser.close()
    text = report(results, version.strip() or "Chromium")
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
