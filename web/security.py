"""ASGI middleware hardening every response: security headers, French document, hidden metrics."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import streamlit
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from challenge.core import i18n
from challenge.infra.config import Settings

# Only our own origin. Streamlit's front end needs inline styles (CSS-in-JS), data: and blob:
# images, blob: workers and its WebSocket (covered by 'self'). Checked in the browser tests,
# which fail on any CSP violation.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' {script_hashes}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors {frame_ancestors}",
    ]
)
HIDDEN_PATHS = ("/_stcore/metrics",)
_ASSET_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/")
_HTML_LANG = re.compile(rb'<html lang="en"')


@functools.cache
def streamlit_inline_script_hashes() -> str:
    """CSP hashes of the inline scripts of Streamlit's own index.html (one tiny flag today)."""
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    scripts = re.findall(r"<script>(.*?)</script>", index.read_text(encoding="utf-8"), re.DOTALL)
    digests = (base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts)
    return " ".join(f"'sha256-{digest}'" for digest in digests)


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    policy = CONTENT_SECURITY_POLICY.format(
        frame_ancestors=settings.frame_ancestors, script_hashes=streamlit_inline_script_hashes()
    )
    headers = {
        "content-security-policy": policy,
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "cross-origin-opener-policy": "same-origin",
    }
    if settings.cookie_secure:  # served over HTTPS
        headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
    return [(name.encode(), value.encode()) for name, value in headers.items()]


def _is_document(scope: Scope) -> bool:
    """A request for an HTML page (the app shell), not an asset or an API call."""
    path: str = scope["path"]
    last = path.rsplit("/", 1)[-1]
    return scope["method"] == "GET" and not path.startswith(_ASSET_PREFIXES) and "." not in last


class SecurityMiddleware:
    """Adds security headers, answers 404 for internal endpoints and sets `<html lang>`.

    Streamlit hard-codes `lang="en"` in its index.html; screen readers and the RGAA need the
    document's real language: the locale of the request (web.language), French by default.
    Streamlit answers document requests uncompressed so that we can rewrite them; the
    CompressionMiddleware outside (web.compression) gzips the result.
    """

    def __init__(self, app: ASGIApp, settings: Settings, allowed_hosts: Sequence[str] = ()) -> None:
        self.app = app
        self.headers = security_headers(settings)
        self.allowed_hosts = list(allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith(HIDDEN_PATHS):
            await _plain(send, 404, b"Not Found")
            return
        if not is_allowed_host(_host(scope), self.allowed_hosts):
            await _plain(send, 400, b"Invalid host")
            return
        document = _is_document(scope)
        if document:  # rewritten per language: no compression, no "304 Not Modified" of another one
            dropped = (b"accept-encoding", b"if-none-match", b"if-modified-since")
            headers = [(k, v) for k, v in scope["headers"] if k.lower() not in dropped]
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, _Rewriter(send, self.headers, document))


class _Rewriter:
    """Adds the headers to the response; buffers an HTML document to set its language."""

    def __init__(self, send: Send, headers: list[tuple[bytes, bytes]], document: bool) -> None:
        self.send = send
        self.headers = headers
        self.document = document
        self.start: Message | None = None
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {name for name, _ in self.headers}
            kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
            message = {**message, "headers": kept + self.headers}
            content_type = dict(message["headers"]).get(b"content-type", b"")
            if self.document and content_type.startswith(b"text/html"):
                self.start = message
                return
            await self.send(message)
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body += message.get("body", b"")
            if message.get("more_body", False):
                return
            lang = f'<html lang="{i18n.current_locale()}"'.encode()
            body = _HTML_LANG.sub(lang, self.body, count=1)
            stale = (b"content-length", b"etag", b"last-modified")  # the file's, not this language's
            headers = [(k, v) for k, v in self.start["headers"] if k.lower() not in stale]
            headers.append((b"content-length", str(len(body)).encode()))
            if not any(k.lower() == b"cache-control" for k, _ in headers):
                headers.append((b"cache-control", b"no-cache"))
            headers.append((b"vary", b"Cookie"))
            await self.send({**self.start, "headers": headers})
            await self.send({"type": "http.response.body", "body": body})
        else:
            await self.send(message)


def allowed_hosts() -> list[str]:
    """Streamlit's own server.allowedHosts setting, so that one list protects every route."""
    from streamlit import config

    return [str(host) for host in config.get_option("server.allowedHosts") or []]


def _host(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"host":
            return str(value.decode("latin-1").rsplit(":", 1)[0].strip("[]").lower())
    return ""


def is_allowed_host(host: str, allowed: Sequence[str]) -> bool:
    """Streamlit's server.allowedHosts rule: empty list or "*" allows all; "*.x" allows subdomains."""
    if not allowed or "*" in allowed:
        return True
    for pattern in (p.lower() for p in allowed):
        if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})
