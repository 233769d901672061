"""Entry point of the writer processes: `python -m tests.support.writer COMMAND ARGUMENTS`.

The concurrency and crash tests start their children with this small module of their own
(`tests.support.children.start`), never through multiprocessing "spawn": a spawned child first
re-runs the parent's `sys.modules['__main__']`, and in a test worker where an AppTest has run,
that is streamlit_app.py (the whole app script, at every child's start-up).

Commands (one JSON argument each, one JSON line per message on stdout):

- `concurrent {"url", "worker", "emails", "today"}`: `writers.concurrent_writer`, in lock-step
  with the test: before each phase it prints {"ready": phase} and waits for a line on stdin
  ("go" or "stop"); at the end it prints {"result": [done, errors], "app_modules": [...]}.
- `crash {"url", "keys", "acknowledged", "today"}`: `writers.crash_writer` (killed by the test).
- `modules {}`: prints {"modules": [...], "main": ...}, what a child has imported at start-up.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _concurrent(arguments: dict[str, Any]) -> None:
    from tests.support import writers

    phase = 0

    def step() -> None:
        nonlocal phase
        _say({"ready": phase})
        phase += 1
        if sys.stdin.readline().strip() != "go":
            raise SystemExit("stopped by the test")

    done, errors = writers.concurrent_writer(
        arguments["url"],
        arguments["worker"],
        arguments["emails"],
        date.fromisoformat(arguments["today"]),
        step,
    )
    _say({"result": [done, errors], "app_modules": _app_modules()})


def _crash(arguments: dict[str, Any]) -> None:
    from tests.support import writers

    keys = [(household, week, service) for household, week, service in arguments["keys"]]
    writers.crash_writer(
        arguments["url"], keys, arguments["acknowledged"], date.fromisoformat(arguments["today"])
    )


def _app_modules() -> list[str]:
    """The modules of the app's UI this process has imported (there should be none)."""
    return sorted(name for name in sys.modules if name.split(".")[0] in {"streamlit_app", "app", "streamlit"})


def _modules(_: dict[str, Any]) -> None:
    main = sys.modules["__main__"]
    _say({"modules": sorted(sys.modules), "main": getattr(main.__spec__, "name", None)})


COMMANDS = {"concurrent": _concurrent, "crash": _crash, "modules": _modules}


def main(argv: list[str]) -> None:
    command, arguments = argv
    COMMANDS[command](json.loads(arguments))


if __name__ == "__main__":
    main(sys.argv[1:])
