"""The language of each request: the account's choice, else the `dzg_lang` cookie, else French.

`LanguageMiddleware` (outermost) sets the locale context variable for the whole request, so that
our routes, error pages and the `<html lang>` rewrite (web.security) speak the same language, and
passes the cookie's language to the Streamlit script as the trusted header `X-Dzg-Lang`
(`st.user["lang"]`, see .streamlit/config.toml). `/langue?lang=en&next=/...` switches language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import anyio.to_thread
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from challenge.accounts import preferences, sessions
from challenge.core import addresses, i18n
from challenge.core.addresses import safe_next
from challenge.infra.config import Settings
from challenge.infra.db import Database
from web.identity import SESSION_COOKIE, cookie_name, cookie_value, token_from_cookie

LANG_COOKIE = "dzg_lang"
LANG_HEADER = b"x-dzg-lang"  # mapped to st.user["lang"] by server.trustedUserHeaders
LANG_MAX_AGE = 365 * 24 * 3600
_ASSET_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/")

logger = logging.getLogger("challenge.language")


def _is_page(path: str) -> bool:
    """A page or form (one indexed lookup of the account's language), not an asset or a file."""
    return not path.startswith(_ASSET_PREFIXES) and "." not in path.rsplit("/", 1)[-1]


def cookie_locale(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The supported language the visitor's cookie asks for, or None without (valid) cookie."""
    raw = (cookie_value(headers, LANG_COOKIE) or "").strip().lower()
    return raw if raw in i18n.LOCALES else None


class LanguageMiddleware:
    """Renders each request in its language; the account's choice wins over the cookie."""

    def __init__(self, app: ASGIApp, settings: Settings, db_factory: Callable[[], Database]) -> None:
        self.app = app
        self.settings = settings
        self.db_factory = db_factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != LANG_HEADER]
        chosen = cookie_locale(headers)
        if chosen:
            headers.append((LANG_HEADER, chosen.encode()))
        scope = {**scope, "headers": headers}
        locale = chosen
        if scope["type"] == "http" and _is_page(scope["path"]):  # off the event loop: it queries
            locale = await anyio.to_thread.run_sync(self._account_locale, headers) or chosen
        with i18n.use_locale(locale):
            await self.app(scope, receive, send)

    def _account_locale(self, headers: list[tuple[bytes, bytes]]) -> str | None:
        token = token_from_cookie(
            cookie_value(headers, cookie_name(SESSION_COOKIE, self.settings)), self.settings
        )
        if not token:
            return None
        try:
            return sessions.session_locale(self.db_factory(), sessions.hash_token(token))
        except SQLAlchemyError as error:  # the page itself reports the outage
            logger.warning("language of the account unknown: %s", type(error).__name__)
            return None


class LanguageSwitch:
    """`/langue`: remembers the language in a cookie, and in the account when logged in."""

    def __init__(self, db_factory: Callable[[], Database], settings: Settings) -> None:
        self._db_factory = db_factory
        self.settings = settings

    def routes(self) -> list[Route]:
        return [Route(addresses.LANGUAGE_SWITCH, self.switch, methods=["GET"])]

    async def switch(self, request: Request) -> Response:
        locale = i18n.normalise(request.query_params.get("lang"))
        response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        response.headers["Cache-Control"] = "no-store"
        response.set_cookie(
            LANG_COOKIE,
            locale,
            max_age=LANG_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=self.settings.cookie_secure,
            path="/",
        )
        # Another site may send people here, but not change their account's preference.
        if request.headers.get("sec-fetch-site") != "cross-site":
            token = token_from_cookie(
                request.cookies.get(cookie_name(SESSION_COOKIE, self.settings)), self.settings
            )
            identity = sessions.identify(self._db_factory(), sessions.hash_token(token)) if token else None
            if identity is not None and identity.locale != locale:
                preferences.choose_language(self._db_factory(), identity.account_id, locale)
        return response
