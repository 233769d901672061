"""Child processes of the tests, started as `python -m tests.support.writer` (see that module).

Never multiprocessing "spawn": its children re-run the parent's `__main__`, which an AppTest
turns into streamlit_app.py for the rest of the test worker's life.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def start(command: str, arguments: dict[str, Any], stderr: Path) -> subprocess.Popen[str]:
    """`python -m tests.support.writer COMMAND JSON` from the repository root, pipes on stdio.

    Its stderr goes to the file `stderr` (a pipe nobody reads could fill up and block it).
    """
    with stderr.open("a", encoding="utf-8") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.support.writer", command, json.dumps(arguments)],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )


def read_messages(children: list[subprocess.Popen[str]]) -> queue.Queue[tuple[int, dict[str, Any] | None]]:
    """A queue of (child index, JSON message) for every line the children print; None at their end."""
    messages: queue.Queue[tuple[int, dict[str, Any] | None]] = queue.Queue()

    def read(index: int, stdout: IO[str]) -> None:
        for line in stdout:
            messages.put((index, json.loads(line)))
        messages.put((index, None))

    for index, child in enumerate(children):
        assert child.stdout is not None
        threading.Thread(target=read, args=(index, child.stdout), daemon=True).start()
    return messages


def tell(children: list[subprocess.Popen[str]], line: str) -> None:
    """Write `line` to every child still listening (one write each: they go on together)."""
    for child in children:
        assert child.stdin is not None
        try:
            child.stdin.write(line + "\n")
            child.stdin.flush()
        except (BrokenPipeError, OSError):
            continue


def stop(children: list[subprocess.Popen[str]]) -> None:
    """Kill whatever child is still running and reap them all."""
    for child in children:
        if child.poll() is None:
            child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:  # a line still buffered for a child that is gone
                    continue
