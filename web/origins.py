"""Only the app's own origins may open its WebSocket or send it a POST (CSWSH, log-in CSRF).

Streamlit accepts a WebSocket from any port of localhost (it compares host names only) and, for
an Origin it does not know, asks an outside service for the machine's external IP. This
middleware runs before Streamlit and before the identity middleware: a foreign Origin is refused
before any identity is attached, and never reaches Streamlit's check, which would call out.
An accepted Origin is either the request's own or the public URL; for the latter, behind a proxy
that rewrote Host, Streamlit is shown the public host so that its check calls no one either.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from challenge.infra.config import Settings
from web.security import is_allowed_host

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_OWN_FETCH_SITES = frozenset({"same-origin", "none"})  # "none": typed in the address bar


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_own_origin(origin: str, host: str | None, settings: Settings, allowed_hosts: Sequence[str]) -> bool:
    """The public URL's origin, or the origin the request was sent to (same scheme family, same
    host and port as the Host header, a host the app answers to). Another port is another site."""
    origin = origin.strip().lower()
    if origin == _origin_of(settings.mail.public_url):
        return True
    parts = urlsplit(origin)
    schemes = {"https"} if settings.cookie_secure else {"http", "https"}
    if parts.scheme not in schemes or not parts.hostname or not host:
        return False
    if parts.netloc != host.strip().lower():
        return False
    return is_allowed_host(parts.hostname, allowed_hosts)


def _as_sent_to_origin(scope: Scope) -> Scope:
    """An accepted WebSocket whose Host differs from its Origin came through a reverse proxy that
    rewrote Host: give Streamlit the public host it was sent to, so that its own check takes the
    same-origin branch instead of looking up the external IP outside (Host must still be allowed)."""
    origin = _header(scope, b"origin")
    if origin is None:
        return scope
    netloc = urlsplit(origin.strip().lower()).netloc
    if not netloc or netloc == (_header(scope, b"host") or "").lower():
        return scope
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"host"]
    return {**scope, "headers": [*headers, (b"host", netloc.encode("latin-1"))]}


class OriginMiddleware:
    """Refuses a WebSocket or a state-changing request sent from another site."""

    def __init__(self, app: ASGIApp, settings: Settings, allowed_hosts: Sequence[str] = ()) -> None:
        self.app = app
        self.settings = settings
        self.allowed_hosts = list(allowed_hosts)

    def is_foreign(self, scope: Scope) -> bool:
        fetch_site = _header(scope, b"sec-fetch-site")
        if fetch_site is not None and fetch_site.lower() not in _OWN_FETCH_SITES:
            return True
        origin = _header(scope, b"origin")
        if origin is None:  # not a browser, or one too old to say: the CSRF token still applies
            return False
        return not is_own_origin(origin, _header(scope, b"host"), self.settings, self.allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            if self.is_foreign(scope):
                await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
                return
            scope = _as_sent_to_origin(scope)
        elif scope["type"] == "http" and scope["method"] not in SAFE_METHODS and self.is_foreign(scope):
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                }
            )
            await send({"type": "http.response.body", "body": b"Cross-site request refused"})
            return
        await self.app(scope, receive, send)
