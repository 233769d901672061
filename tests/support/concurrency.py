"""Running a call from several threads at the same instant (double taps, races)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def at_once(call: Callable[[], Any], times: int = 2) -> list[Any]:
    """Run `call` in `times` threads released together (a double tap); any error fails the test."""
    barrier, results, errors = threading.Barrier(times), [], []

    def run() -> None:
        barrier.wait(timeout=10)
        try:
            results.append(call())
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results
