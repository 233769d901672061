"""Start the real app (`streamlit run app.py`) on a free loopback port, for tests and the bench."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 40


@dataclass(frozen=True)
class RunningServer:
    base: str  # http://localhost:<port>
    pid: int
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str, timeout_s: float = 2) -> int | None:
    """The HTTP status of a GET on `url`, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310 - loopback http
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return None


def log_tail(path: Path, limit: int = 6000) -> str:
    return path.read_text(errors="replace")[-limit:] if path.exists() else ""


@contextlib.contextmanager
def serve_app(
    database_url: str,
    log: Path,
    cookie_secret: str,
    start_timeout_s: float = START_TIMEOUT_S,
    app_file: Path | None = None,
    **env: str,
) -> Iterator[RunningServer]:
    """`streamlit run app.py` on a free port of 127.0.0.1, stopped (then killed) afterwards.

    `app_file`: another `st.App` file to run from the repository (the capacity benchmark's floors),
    with the repository importable."""
    port = free_port()
    base = f"http://localhost:{port}"
    environment = {**os.environ, "DATABASE_URL": database_url, "DZG_COOKIE_SECRET": cookie_secret, **env}
    environment.pop("DZG_COOKIE_SECURE", None)
    if app_file is not None:
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
        )
    script = str(app_file or "app.py")
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--server.headless", "true"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    with running(process, f"{base}/_stcore/health", log, start_timeout_s, "the server"):
        yield RunningServer(base, process.pid, log)


@contextlib.contextmanager
def running(
    process: subprocess.Popen[bytes], health_url: str, log: Path, timeout_s: float, what: str
) -> Iterator[None]:
    """Wait until `health_url` answers 200 (or fail with the end of `log`), then hand over; stop
    `process` afterwards (terminate, then kill)."""
    try:
        deadline = time.monotonic() + timeout_s
        while answers(health_url) != 200:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited with {process.returncode}:\n{log_tail(log)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not answer within {timeout_s} s:\n{log_tail(log)}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
