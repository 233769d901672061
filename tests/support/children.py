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
import time
from collections.abc import Callable
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


class ChildrenFailed(AssertionError):
    """A child ended early or said something unexpected, or the watchdog fired."""


def run_in_lock_step(
    command: str,
    arguments: list[dict[str, Any]],
    phases: int,
    between: Callable[[int], None],
    watchdog_s: float,
    stderr: Path,
) -> tuple[list[dict[str, Any]], list[float]]:
    """Start one child per `arguments`; run `phases` phases in lock-step; their final messages.

    Before each phase every child says {"ready": phase}; then `between(phase)` runs and all of
    them are released at once ("go"). At the end each child says {"result": ...}. Bounded by
    work done: only the watchdog (against a true hang) is a time limit. Also returns the
    seconds from the start (then from each release) until every child was ready again, then
    until every child had reported: what bench/concurrent_writers.py prints.
    """
    processes = [start(command, each, stderr) for each in arguments]
    messages = read_messages(processes)
    watchdog = time.monotonic() + watchdog_s
    count = len(processes)

    def collect(expected: str) -> list[dict[str, Any]]:
        received: dict[int, dict[str, Any]] = {}
        while len(received) < count:
            try:
                index, message = messages.get(timeout=max(1.0, watchdog - time.monotonic()))
            except queue.Empty:
                silent = sorted(set(range(count)) - set(received))
                raise ChildrenFailed(
                    f"watchdog: children {silent} silent after {watchdog_s} s; {tail(stderr)}"
                ) from None
            if message is None and index in received:
                continue  # a child ends (None) right after its last message
            if message is None or expected not in message:
                raise ChildrenFailed(
                    f"child {index} said {message!r} while {expected!r} was due; {tail(stderr)}"
                )
            received[index] = message
        return [received[index] for index in range(count)]

    timings: list[float] = []
    try:
        started = time.monotonic()
        for phase in range(phases):
            readiness = {message["ready"] for message in collect("ready")}
            if readiness != {phase}:
                raise ChildrenFailed(f"children out of step: {readiness} at phase {phase}")
            timings.append(time.monotonic() - started)
            between(phase)
            started = time.monotonic()
            tell(processes, "go")
        results = collect("result")
        timings.append(time.monotonic() - started)
        return results, timings
    except BaseException:
        tell(processes, "stop")
        raise
    finally:
        stop(processes)


def tail(path: Path) -> str:
    """The end of the children's stderr file, for a failure message."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return f"children's stderr: {text[-3000:]!r}"
