"""A TCP proxy on loopback that a test can cut and restore, to play "the database is gone"."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, Literal

from sqlalchemy.engine import make_url

Outage = Literal["refuse", "blackhole", "hold"]
_CHUNK = 65536


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target, in its own thread and event loop.

    `cut("refuse")` drops every open connection and stops listening (connection refused);
    `cut("blackhole")` drops them too but keeps accepting and never answers (a hung server);
    `cut("hold")` drops nothing and forwards nothing, either way: open connections stay open and
    new ones are accepted, but every byte waits in the proxy (a network path that swallows
    packets, as seen from both ends, whose kernels keep acknowledging). `restore()` forwards
    again, on the same port; after a hold, what was held is delivered first, in order.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.mode: Literal["forward", "blackhole", "hold"] = "forward"
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._forwarding = asyncio.Event()  # cleared while holding
        self._forwarding.set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)

    def _call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    def start(self) -> int:
        self._thread.start()
        self._call(self._listen())
        return self.port

    def cut(self, outage: Outage = "refuse") -> None:
        self._call(self._cut(outage))

    def restore(self) -> None:
        self._call(self._restore())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._call(self._cut("refuse"))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _cut(self, outage: Outage) -> None:
        if outage == "hold":
            self.mode = "hold"
            self._forwarding.clear()
            return
        if outage == "refuse" and self._server is not None:
            self._server.close()
            self._server = None
        self.mode = "blackhole"
        self._forwarding.set()  # nothing held any more: what was is dropped below
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()
        if outage == "blackhole" and self._server is None:
            await self._listen()

    async def _restore(self) -> None:
        self.mode = "forward"
        self._forwarding.set()
        if self._server is None:
            await self._listen()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ends = {writer}
        self._open.add(writer)
        try:
            if self.mode == "blackhole":
                while await reader.read(_CHUNK):
                    pass  # swallow everything, answer nothing
                return
            await self._forwarding.wait()  # a connection opened during a hold reaches the server later
            up_reader, up_writer = await asyncio.open_connection(*self.target)
            ends.add(up_writer)
            self._open.add(up_writer)
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        except OSError:
            pass
        finally:
            for end in ends:
                self._open.discard(end)
                end.close()  # after what is still buffered (a cut has aborted them already)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy one direction; while holding, each chunk read waits here (then the kernel's buffers)."""
        try:
            while True:
                data = await reader.read(_CHUNK)
                await self._forwarding.wait()
                if not data:
                    break
                writer.write(data)
                await writer.drain()
            if writer.can_write_eof():
                writer.write_eof()  # the end closed its side: pass it on, once everything is through
                await writer.drain()
        except OSError:
            writer.transport.abort()


@contextlib.contextmanager
def tcp_proxy(target_host: str, target_port: int) -> Iterator[TcpProxy]:
    """A started proxy, closed afterwards."""
    proxy = TcpProxy(target_host, target_port)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.close()


@contextlib.contextmanager
def database_proxy(url: str) -> Iterator[tuple[TcpProxy, str]]:
    """A proxy in front of the database server of `url`, and `url` through that proxy."""
    server = make_url(url)
    with tcp_proxy(server.host or "127.0.0.1", server.port or 5432) as proxy:
        yield proxy, server.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
