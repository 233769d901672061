"""Reset-request bench (not a test): do known and unknown addresses answer alike, and as fast?

    .venv/bin/python bench/reset_answers.py --samples 40

Builds our HTTP stack (web.application.build_http_app, every middleware) on a fresh SQLite
database, signs up `--samples` accounts, then posts /mot-de-passe-oublie alternately for a known
and an unknown address (each address once: the per-address budget is not what is measured).
It drives the ASGI app itself and stops the clock when the last byte of the answer is sent, as
a browser would see it (work scheduled after the answer is not counted; a test client would
count it). Prints the status codes, whether the pages are the same once the address is blanked,
and the latency medians and 95th percentiles. The result goes into bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from challenge.accounts import credentials
from challenge.infra import migrate
from challenge.infra.config import Settings
from challenge.infra.db import Database
from devtools.forms import csrf_token
from web.application import build_http_app

SECRET_WORDS = "une phrase de passe solide"  # noqa: S105 (the bench accounts' password)


async def _call(app: Any, method: str, path: str, body: bytes, cookie: str) -> tuple[int, str, str, float]:
    """(status, page, set-cookie, milliseconds until the answer's last byte)."""
    headers = [(b"host", b"localhost"), (b"cookie", cookie.encode())]
    if method == "POST":
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    scope = {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
        "headers": headers, "scheme": "http", "server": ("localhost", 80), "client": ("bench", 1),
        "http_version": "1.1", "root_path": "", "asgi": {"version": "3.0"},
    }  # fmt: skip
    sent: dict[str, Any] = {"body": b"", "cookie": ""}
    started = time.perf_counter()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
            for name, value in message["headers"]:
                if name == b"set-cookie" and value.startswith(b"dzg_csrf="):
                    sent["cookie"] = value.decode().split(";")[0]
        elif message["type"] == "http.response.body":
            sent["body"] += message.get("body", b"")
            if not message.get("more_body", False):
                sent["ms"] = (time.perf_counter() - started) * 1000

    await app(scope, receive, send)
    return sent["status"], sent["body"].decode(), sent["cookie"], sent["ms"]


async def measure(app: Any, samples: int) -> None:
    _, page, cookie, _ = await _call(app, "GET", "/mot-de-passe-oublie", b"", "")
    token = csrf_token(page)
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    statuses: dict[str, set[int]] = {"known": set(), "unknown": set()}
    pages: dict[str, set[str]] = {"known": set(), "unknown": set()}
    for i in range(samples):
        for kind, email in (("known", f"connu-{i}@exemple.fr"), ("unknown", f"inconnu-{i}@exemple.fr")):
            body = urlencode({"csrf": token, "email": email}).encode()
            status, text, _, ms = await _call(app, "POST", "/mot-de-passe-oublie", body, cookie)
            timings[kind].append(ms)
            statuses[kind].add(status)
            pages[kind].add(text.replace(email, "ADDRESS"))
    print(f"statuses: known {sorted(statuses['known'])}, unknown {sorted(statuses['unknown'])}")
    same = pages["known"] == pages["unknown"] and len(pages["known"]) == 1
    print(f"same page once the address is blanked: {same}")
    for kind in ("known", "unknown"):
        values = sorted(timings[kind])
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        print(f"{kind:8s} median {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(url)
        db = Database(url)
        for i in range(args.samples):
            credentials.sign_up(db, f"connu-{i}@exemple.fr", SECRET_WORDS)
        app = build_http_app(Settings(database_url=url, cookie_secret="bench-" + "x" * 40), lambda: db)
        asyncio.run(measure(app, args.samples))


if __name__ == "__main__":
    main()
