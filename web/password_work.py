"""Password hashing (argon2) off the event loop, in a small pool of its own.

One argon2 verification takes tens of milliseconds of CPU; run on the event loop, eight log-ins at
once froze every page run, WebSocket and /healthz of the process. Here they run in at most
`PASSWORD_WORKERS` threads (argon2 releases the GIL), and a flood of log-ins waits in this pool's
queue, not in front of everybody else.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

# Half the cores (at least one): the other half stays for page runs and the event loop.
PASSWORD_WORKERS = max(1, (os.cpu_count() or 2) // 2)
_pool = ThreadPoolExecutor(max_workers=PASSWORD_WORKERS, thread_name_prefix="passwords")


async def run_password_work(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`call(*args, **kwargs)` in the password pool, in the request's context (its language)."""
    context = contextvars.copy_context()
    work = functools.partial(context.run, call, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_pool, work)
