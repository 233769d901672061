"""Gzip for Streamlit's front end: its JavaScript and CSS bundles and its HTML shell.

Streamlit 1.67 compresses its API answers but deliberately serves `/static/` and the HTML
document uncompressed (it expects a compressing reverse proxy). On a phone over 4G that is the
bulk of a first load, so we compress them here, once per distinct body: the bundles are
content-hashed and immutable, the shell is one small file, and a digest-keyed cache keeps the
CPU cost to the first request after a start.

Never compressed (BREACH): the responses of our own routes (account forms with their CSRF
token, per-household links and files carrying secret tokens), which may reflect what a request
sent next to a secret. What we compress holds no secret and echoes nothing from the request.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Sequence

import anyio.to_thread
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMPRESSIBLE = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml")
MINIMUM_SIZE = 1024  # below this, gzip's own header costs more than it saves
MAXIMUM_SIZE = 8 * 1024 * 1024  # bigger bodies pass through as they are
CACHE_BYTES = 16 * 1024 * 1024
LEVEL = 6
_THREAD_ABOVE = 64 * 1024  # compress large bodies off the event loop


def accepts_gzip(scope: Scope) -> bool:
    """Whether the client accepts gzip (a `q=0` refusal counts as no)."""
    for name, value in scope["headers"]:
        if name.lower() == b"accept-encoding":
            for item in value.decode("latin-1").lower().split(","):
                coding, _, params = item.strip().partition(";")
                if coding.strip() in ("gzip", "*") and params.replace(" ", "") not in ("q=0", "q=0.0"):
                    return True
    return False


class GzipCache:
    """Compressed bodies by digest of the plain body, least recently used dropped first."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[bytes, bytes] = OrderedDict()

    async def compress(self, body: bytes) -> bytes:
        key = hashlib.blake2b(body, digest_size=16).digest()
        cached = self.entries.get(key)
        if cached is not None:
            self.entries.move_to_end(key)
            return cached
        if len(body) > _THREAD_ABOVE:
            packed = await anyio.to_thread.run_sync(gzip.compress, body, LEVEL)
        else:
            packed = gzip.compress(body, LEVEL)
        self.entries[key] = packed
        self.size += len(packed)
        while self.size > self.limit and self.entries:
            self.size -= len(self.entries.popitem(last=False)[1])
        return packed


class CompressionMiddleware:
    """Gzips GET answers that are not ours (`routes`) when the client accepts it."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute] = ()) -> None:
        self.app = app
        self.routes = list(routes)
        self.cache = GzipCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._applies(scope):
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _Compressor(send, self.cache))

    def _applies(self, scope: Scope) -> bool:
        if scope["method"] != "GET" or not accepts_gzip(scope):
            return False
        if any(name.lower() == b"range" for name, _ in scope["headers"]):
            return False
        return not any(route.matches(scope)[0] != Match.NONE for route in self.routes)


class _Compressor:
    """Buffers a compressible 200 answer, then sends it gzipped; anything else passes through."""

    def __init__(self, send: Send, cache: GzipCache) -> None:
        self.send = send
        self.cache = cache
        self.start: Message | None = None
        self.body = bytearray()
        self.passing = False

    async def __call__(self, message: Message) -> None:
        if self.passing:
            await self.send(message)
        elif message["type"] == "http.response.start":
            if _is_compressible(message):
                self.start = message
            else:
                self.passing = True
                await self.send(message)
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body += message.get("body", b"")
            if len(self.body) > MAXIMUM_SIZE:  # too big to hold: send it as it is
                self.passing = True
                await self.send(self.start)
                await self.send({**message, "body": bytes(self.body)})
            elif not message.get("more_body", False):
                await self._finish()
        else:
            await self.send(message)

    async def _finish(self) -> None:
        assert self.start is not None
        plain = bytes(self.body)
        if len(plain) < MINIMUM_SIZE:
            await self.send(self.start)
            await self.send({"type": "http.response.body", "body": plain})
            return
        packed = await self.cache.compress(plain)
        await self.send({**self.start, "headers": _compressed_headers(self.start["headers"], len(packed))})
        await self.send({"type": "http.response.body", "body": packed})


def _is_compressible(start: Message) -> bool:
    headers = {name.lower(): value for name, value in start.get("headers", [])}
    if start["status"] != 200 or b"content-encoding" in headers:
        return False
    content_type: bytes = headers.get(b"content-type", b"")
    return content_type.lower().startswith(COMPRESSIBLE)


def _compressed_headers(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    """Content length and encoding of the gzipped body; a weak ETag (same content, other bytes)."""
    kept: list[tuple[bytes, bytes]] = []
    vary = b""
    for name, value in headers:
        lower = name.lower()
        if lower == b"content-length":
            continue
        if lower == b"vary":
            vary = value
        elif lower == b"etag" and not value.startswith(b"W/"):
            kept.append((name, b"W/" + value))
        else:
            kept.append((name, value))
    if b"accept-encoding" not in vary.lower():
        vary = vary + b", Accept-Encoding" if vary else b"Accept-Encoding"
    return [*kept, (b"content-encoding", b"gzip"), (b"content-length", str(length).encode()), (b"vary", vary)]
