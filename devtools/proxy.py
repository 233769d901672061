"""HAProxy in front of several app processes, as docs/operations.md deploys them (tests, bench).

The configuration is the documented one: sticky sessions by an inserted cookie, WebSockets
tunnelled, each process checked on `/healthz`, and a session whose process is down sent to
another one (`option redispatch`).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from devtools.servers import free_port, running

AFFINITY_COOKIE = "DZG_SERVER"
START_TIMEOUT_S = 20


@dataclass(frozen=True)
class RunningProxy:
    base: str  # http://localhost:<port>
    config: Path
    log: Path


def haproxy_config(port: int, backends: Sequence[int], check_interval_ms: int = 500) -> str:
    """The documented HAProxy configuration for app processes on these loopback ports."""
    servers = "\n".join(
        f"    server app{number} 127.0.0.1:{backend} check cookie app{number}"
        for number, backend in enumerate(backends, start=1)
    )
    return f"""global
    maxconn 4096

defaults
    mode http
    option redispatch          # a session whose process is down goes to another one
    retries 2
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h          # idle tabs keep their WebSocket
    timeout check 5s           # a busy process answers /healthz late: not a dead one

frontend zerogafam
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance roundrobin
    cookie {AFFINITY_COOKIE} insert indirect nocache httponly
    option httpchk
    http-check send meth GET uri /healthz hdr Host localhost
    default-server inter {check_interval_ms}ms fall 2 rise 2
{servers}
"""


def haproxy_path() -> str | None:
    return shutil.which("haproxy") or next(
        (path for path in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if Path(path).exists()), None
    )


@contextlib.contextmanager
def serve_haproxy(backends: Sequence[int], directory: Path) -> Iterator[RunningProxy]:
    """HAProxy (Debian's package) on a free loopback port in front of `backends`, stopped afterwards."""
    executable = haproxy_path()
    if executable is None:
        raise RuntimeError("haproxy not found: apt-get install haproxy")
    port = free_port()
    config, log = directory / "haproxy.cfg", directory / "haproxy.log"
    config.write_text(haproxy_config(port, backends))
    with log.open("wb") as output:
        process = subprocess.Popen(
            [executable, "-db", "-f", str(config)], stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://localhost:{port}"
    with running(process, f"{base}/_stcore/health", log, START_TIMEOUT_S, "haproxy"):
        yield RunningProxy(base, config, log)
