"""Record every connection a server process tries to open outside the machine (zero third party).

`watch_outgoing(folder)` writes a `sitecustomize.py` that installs an audit hook in the server's
interpreter (Python runs it at start-up when its folder is on PYTHONPATH); the hook appends each
`socket.connect` to a non-loopback address, and each name lookup of a non-local host, to a file.
"""

from __future__ import annotations

import os
from pathlib import Path

_HOOK = """
import os, sys

_RECORD = os.environ.get("DZG_TEST_OUTGOING_RECORD")
_LOCAL = ("127.", "::1", "localhost", "0.0.0.0", "/")


def _record(event, args):
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
    elif event == "socket.getaddrinfo":
        host = args[0]
        host = host.decode() if isinstance(host, bytes) else str(host)
    else:
        return
    if _RECORD and host and not str(host).startswith(_LOCAL):
        with open(_RECORD, "a", encoding="utf-8") as handle:
            handle.write(f"{event} {host}\\n")


sys.addaudithook(_record)
"""


def watch_outgoing(folder: Path) -> tuple[dict[str, str], Path]:
    """The environment to start a server with, and the file its outgoing attempts go to."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(_HOOK, encoding="utf-8")
    record = folder / "outgoing.txt"
    record.write_text("", encoding="utf-8")
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "DZG_TEST_OUTGOING_RECORD": str(record)}, record


def outgoing_attempts(record: Path) -> list[str]:
    return [line for line in record.read_text(encoding="utf-8").splitlines() if line]
