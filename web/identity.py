"""ASGI middleware turning the signed session cookie into the identity header Streamlit reads."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from itsdangerous import BadSignature, TimestampSigner
from starlette.types import ASGIApp, Receive, Scope, Send

from challenge.accounts.sessions import hash_token
from challenge.infra.config import Settings

SESSION_COOKIE = "dzg_session"
IDENTITY_HEADER = b"x-dzg-session"  # mapped to st.user["session"] by server.trustedUserHeaders


def cookie_name(name: str, settings: Settings) -> str:
    """`__Host-` + name over HTTPS: the browser then refuses the cookie unless it is Secure, for
    path / and for this exact host, so a sibling subdomain can neither set nor overwrite it."""
    return f"__Host-{name}" if settings.cookie_secure else name


def session_signer(settings: Settings) -> TimestampSigner:
    return TimestampSigner(settings.cookie_secret, salt="dzg-session")


def token_from_cookie(cookie_value: str | None, settings: Settings) -> str | None:
    """The session token inside a signed cookie value, or None if absent, forged or too old."""
    if not cookie_value:
        return None
    try:
        signer = session_signer(settings)
        return signer.unsign(cookie_value, max_age=settings.session_max_age_seconds).decode()
    except (BadSignature, UnicodeDecodeError):
        return None


def cookie_value(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    """The value of cookie `name` in raw ASGI headers (None if absent or unreadable)."""
    for key, value in headers:
        if key == b"cookie":
            try:
                jar = SimpleCookie(value.decode("latin-1"))
            except CookieError:
                continue
            if name in jar:
                return jar[name].value
    return None


class IdentityMiddleware:
    """Strips any identity header a client sends itself, then adds the one proven by the cookie.

    Only the hash of the token travels to the script; the script checks the session row in the
    database on every run, so a revoked session stops working at once.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != IDENTITY_HEADER]
            token = token_from_cookie(
                cookie_value(headers, cookie_name(SESSION_COOKIE, self.settings)), self.settings
            )
            if token:
                headers.append((IDENTITY_HEADER, hash_token(token).encode()))
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)
