"""ASGI middleware around Streamlit's auth routes: callbacks become our sessions, failures messages.

Streamlit's own routes always send the browser back to "/" and fail silently (a provider down, a
replayed callback, a cancelled log-in). This middleware lets them run, then looks at what they
answered: a verified ID token opens one of our server-side sessions (challenge.oidc decides for
which account), anything else lands on /connexion with a French message and no identity cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from challenge.accounts import oidc, sessions
from challenge.accounts.security_log import log_event
from challenge.core.addresses import safe_next
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.infra.identity_providers import IdentityProvider
from challenge.models import utcnow
from web import streamlit_auth
from web.identity import IDENTITY_HEADER, SESSION_COOKIE, cookie_name, session_signer
from web.provider_login import (
    PENDING_COOKIE,
    PENDING_MAX_AGE,
    START_COOKIE,
    START_MAX_AGE,
    read_signed,
    write_signed,
)

WATCHED = (streamlit_auth.LOGIN_PATH, streamlit_auth.CALLBACK_PATH, streamlit_auth.LOGOUT_PATH)
BYE = "/connexion?message=bye"


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in headers if k.lower() == name), "")


class ProviderLoginMiddleware:
    """Turns the outcome of Streamlit's OIDC routes into our session or a message on /connexion."""

    def __init__(self, app: ASGIApp, settings: Settings, db_factory: Callable[[], Database]) -> None:
        self.app = app
        self.settings = settings
        self.db_factory = db_factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.settings.oidc is None or scope["path"] not in WATCHED:
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, keep)  # Streamlit's routes answer tiny redirects: buffered
        start = next(m for m in messages if m["type"] == "http.response.start")
        replacement = await self._outcome(Request(scope), start["status"], list(start.get("headers", [])))
        if replacement is None:
            for message in messages:
                await send(message)
        else:
            await replacement(scope, receive, send)

    async def _outcome(
        self, request: Request, status: int, headers: list[tuple[bytes, bytes]]
    ) -> Response | None:
        location = _header(headers, b"location")
        path = request.url.path
        if path == streamlit_auth.LOGOUT_PATH:  # cookies cleared; to the provider's log-out, or home
            return _redirect(BYE, headers) if location in ("", "/") else None
        started = read_signed(request, self.settings, START_COOKIE, START_MAX_AGE) or {}
        provider_name = str(started.get("provider", ""))
        if path == streamlit_auth.LOGIN_PATH:  # on its way to the provider, unless metadata failed
            if status < 400 and location not in ("", "/"):
                return None
            log_event("provider_login_failed", provider=provider_name or "-", reason="unavailable")
            return self._to_login(request, "unavailable", provider_name, headers, started)
        if not {"code", "state", "error"} & set(request.query_params):
            return _redirect(BYE, headers)  # back from the provider's own log-out page
        return await self._callback(request, headers, started, provider_name)

    async def _callback(
        self,
        request: Request,
        headers: list[tuple[bytes, bytes]],
        started: dict[str, object],
        provider_name: str,
    ) -> Response:
        assert self.settings.oidc is not None
        claims = streamlit_auth.user_claims(
            streamlit_auth.set_cookies(headers), self.settings.oidc.cookie_secret
        )
        if claims is None:
            code = (
                "cancelled" if "error" in request.query_params else "unavailable" if started else "replayed"
            )
            log_event("provider_login_failed", provider=provider_name or "-", reason=code)
            return self._to_login(request, code, provider_name, headers, started)
        provider = self.settings.oidc.provider(str(claims.get("provider", "")))
        if provider is None:
            return self._to_login(request, "unknown", "", headers, started)
        try:
            login = await run_in_threadpool(
                self._log_in, provider, claims, request.headers.get(IDENTITY_HEADER.decode())
            )
        except oidc.ProviderLoginRefused as refusal:
            log_event("provider_login_refused", provider=provider.name, reason=refusal.code)
            response = self._to_login(request, refusal.code, provider.name, headers, started)
            if refusal.pending is not None:
                write_signed(
                    response, self.settings, PENDING_COOKIE, asdict(refusal.pending), PENDING_MAX_AGE
                )
            return response
        log_event(
            "provider_login_succeeded",
            account_id=login.account_id,
            provider=provider.name,
            created=login.created,
            linked=login.linked,
        )
        response = _redirect(safe_next(str(started.get("next") or "/")), headers)
        response.delete_cookie(START_COOKIE, path="/")
        response.set_cookie(
            cookie_name(SESSION_COOKIE, self.settings),
            session_signer(self.settings).sign(login.token).decode(),
            max_age=max(int((login.expires_at - utcnow()).total_seconds()), 0),
            httponly=True,
            samesite="lax",
            secure=self.settings.cookie_secure,
            path="/",
        )
        return response

    def _log_in(
        self, provider: IdentityProvider, claims: dict[str, object], session_hash: str | None
    ) -> oidc.ProviderLogin:
        """Runs in a worker thread (database I/O). The browser's previous session is closed."""
        db = self.db_factory()
        current = sessions.identify(db, session_hash)
        login = oidc.log_in_with_provider(
            db,
            provider,
            claims,
            current_account_id=current.account_id if current else None,
            max_age=timedelta(days=self.settings.oidc_session_max_age_days),
        )
        if current is not None:
            sessions.close_session(db, current.session_hash)
        return login

    def _to_login(
        self,
        request: Request,
        code: str,
        provider: str,
        headers: list[tuple[bytes, bytes]],
        started: dict[str, object],
    ) -> Response:
        """Back to the log-in page with a message; Streamlit's identity cookies are removed."""
        query = {"erreur": code, "fournisseur": provider}
        if started.get("next") not in (None, "/"):
            query["next"] = str(started["next"])
        kept = [(k, v) for k, v in headers if k.lower() != b"set-cookie" or not _sets_auth_cookie(v)]
        response = _redirect(f"/connexion?{urlencode(query)}", kept)
        response.delete_cookie(START_COOKIE, path="/")
        names = set(request.cookies) | set(streamlit_auth.set_cookies(headers))
        for name in filter(streamlit_auth.is_auth_cookie, names):
            response.delete_cookie(name, path="/", httponly=True, samesite="lax")
        return response


def _sets_auth_cookie(raw: bytes) -> bool:
    return streamlit_auth.is_auth_cookie(raw.decode("latin-1").split("=", 1)[0].strip())


def _redirect(location: str, headers: list[tuple[bytes, bytes]]) -> Response:
    """A 303 to `location` carrying the cookies Streamlit's answer set or cleared."""
    response = RedirectResponse(location, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.raw_headers.extend((k, v) for k, v in headers if k.lower() == b"set-cookie")
    return response
