"""Running a call from several threads at the same instant (double taps, races)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


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


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to completion on a fresh event loop in a thread of its own.

    `asyncio.run` refuses to start when the calling thread already has a running loop, which is
    the case in an xdist worker once a Playwright (sync API) test has run there: the protocol-level
    tests must not depend on which tests their worker happened to run before them.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="coroutine") as pool:
        return pool.submit(asyncio.run, coroutine).result()
