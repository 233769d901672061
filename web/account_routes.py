"""Real HTML forms for log-in and log-out (sign-up: web.signup_routes), so that phone password
managers work."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, TimestampSigner
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from challenge.accounts import budgets, credentials, sessions
from challenge.accounts.security_log import log_event
from challenge.core import addresses, i18n
from challenge.core.addresses import safe_next
from challenge.core.errors import ChallengeError, TooManyAttempts
from challenge.core.i18n import lazy_gettext
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.mail.delivery import deliver_now
from web import streamlit_auth
from web.identity import SESSION_COOKIE, cookie_name, session_signer, token_from_cookie
from web.password_work import run_password_work
from web.provider_login import complete_pending_link, login_page_extras, provider_buttons

CSRF_COOKIE = "dzg_csrf"
DEVICE_COOKIE = "dzg_device"  # "this browser logged in to account N before": exempt from lock-outs
DEVICE_MAX_AGE = 365 * 24 * 3600
MESSAGES = {
    "bye": lazy_gettext("Vous êtes déconnecté·e. À la semaine prochaine !"),
    "expired": lazy_gettext("Votre session a expiré : reconnectez-vous."),
}
EXPIRED_FORM = lazy_gettext("Le formulaire a expiré : merci de réessayer.")
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
    extensions=["jinja2.ext.i18n"],
)
# The callables read the locale of the request (web.language) each time a template renders.
_templates.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]


def language_context(request: Request) -> dict[str, str]:
    """What every page needs for its language: `<html lang>` and the switch to the other one."""
    current = i18n.current_locale()
    other = "en" if current == "fr" else "fr"
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {
        "lang": current,
        "switch_lang": other,
        "switch_name": i18n.LANGUAGE_NAMES[other],
        "switch_href": addresses.switch_href(other, back),
    }


class AccountForms:
    """The /connexion and /deconnexion routes bound to a database and settings; the other account
    forms are subclasses (same CSRF cookie, same session opening)."""

    def __init__(self, db_factory: Callable[[], Database], settings: Settings) -> None:
        self._db_factory = db_factory
        self.settings = settings

    @property
    def db(self) -> Database:
        return self._db_factory()

    def routes(self) -> list[Route]:
        return [
            Route(addresses.LOGIN, self.login, methods=["GET", "POST"]),
            Route(addresses.LOGOUT, self.logout, methods=["GET", "POST"]),
        ]

    def _render(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        token = request.cookies.get(cookie_name(CSRF_COOKIE, self.settings)) or secrets.token_urlsafe(24)
        if template == "login.html":  # one button per identity provider, and their messages
            extras = login_page_extras(request, self.settings) if request.method == "GET" else {}
            providers = provider_buttons(self.settings, context.get("next", "/"))
            context = {**extras, "providers": providers, **context}
        html = _templates.get_template(template).render(csrf=token, **language_context(request), **context)
        response = HTMLResponse(html, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        response.set_cookie(
            cookie_name(CSRF_COOKIE, self.settings),
            token,
            httponly=True,
            samesite="strict",
            secure=self.settings.cookie_secure,
            path="/",
        )
        return response

    def _csrf_ok(self, request: Request, form: Any) -> bool:
        cookie = request.cookies.get(cookie_name(CSRF_COOKIE, self.settings), "")
        return bool(cookie) and secrets.compare_digest(cookie, str(form.get("csrf", "")))

    def _device_signer(self) -> TimestampSigner:
        return TimestampSigner(self.settings.cookie_secret, salt="dzg-device")

    def _trusted_account(self, request: Request) -> int | None:
        value = request.cookies.get(cookie_name(DEVICE_COOKIE, self.settings))
        if not value:
            return None
        try:
            return int(self._device_signer().unsign(value, max_age=DEVICE_MAX_AGE).decode())
        except (BadSignature, ValueError):
            return None

    def _logged_in(self, account_id: int, target: str) -> Response:
        max_age = timedelta(seconds=self.settings.session_max_age_seconds)
        token = sessions.open_session(self.db, account_id, max_age)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            cookie_name(DEVICE_COOKIE, self.settings),
            self._device_signer().sign(str(account_id)).decode(),
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=self.settings.cookie_secure,
            path="/",
        )
        response.set_cookie(
            cookie_name(SESSION_COOKIE, self.settings),
            session_signer(self.settings).sign(token).decode(),
            max_age=self.settings.session_max_age_seconds,
            httponly=True,
            samesite="lax",
            secure=self.settings.cookie_secure,
            path="/",
        )
        return response

    async def login(self, request: Request) -> Response:
        target = safe_next(request.query_params.get("next"))
        if request.method == "GET":
            found = MESSAGES.get(request.query_params.get("message", ""))
            message = str(found) if found is not None else None
            return self._render(request, "login.html", next=target, info=message)
        form = await request.form()
        email = str(form.get("email", ""))
        if not self._csrf_ok(request, form):
            return self._render(
                request,
                "login.html",
                400,
                next=target,
                email=email,
                error=str(EXPIRED_FORM),
            )
        password = str(form.get("password", ""))
        try:
            account = await run_password_work(
                credentials.authenticate,
                self.db,
                email,
                password,
                trusted_account_id=self._trusted_account(request),
                client=budgets.client_key(
                    request.client.host if request.client else None, self.settings.cookie_secret
                ),
            )
        except ChallengeError as error:
            throttled = isinstance(error, TooManyAttempts)
            log_event("login_failed", email=email, reason="throttled" if throttled else "bad_credentials")
            status = 429 if throttled else 401
            return self._render(request, "login.html", status, next=target, email=email, error=error.message)
        log_event("login_succeeded", account_id=account.id)
        response = self._logged_in(account.id, target)
        complete_pending_link(request, response, self.db, self.settings, account.id)
        return response

    def _identity(self, request: Request) -> sessions.Identity | None:
        """Who the session cookie of this request belongs to, if anyone."""
        cookie = request.cookies.get(cookie_name(SESSION_COOKIE, self.settings))
        token = token_from_cookie(cookie, self.settings)
        return sessions.identify(self.db, sessions.hash_token(token)) if token else None

    def _client(self, request: Request) -> str | None:
        return budgets.client_key(
            request.client.host if request.client else None, self.settings.cookie_secret
        )

    def _deliver_soon(self, response: Response) -> Response:
        """Send the outbox once the answer has left (never delays it, never tells anything)."""
        response.background = BackgroundTask(deliver_now, self.db, self.settings.mail)
        return response

    async def logout(self, request: Request) -> Response:
        token = token_from_cookie(
            request.cookies.get(cookie_name(SESSION_COOKIE, self.settings)), self.settings
        )
        if request.method == "GET" and token and sessions.identify(self.db, sessions.hash_token(token)):
            # A still-valid session is only closed by a POST from our own form (no CSRF log-out).
            return self._render(request, "logout.html")
        if request.method == "POST":
            form = await request.form()
            if not self._csrf_ok(request, form):
                return self._render(request, "logout.html", 400, error=str(EXPIRED_FORM))
            if token:
                identity = sessions.identify(self.db, sessions.hash_token(token))
                sessions.close_session(self.db, sessions.hash_token(token))
                log_event("logged_out", account_id=identity.account_id if identity else None)
        # Streamlit's own log-out (what st.logout opens) clears its identity cookie and ends the
        # provider's session when it can; web.provider_callback brings the browser back.
        if self.settings.oidc and streamlit_auth.USER_COOKIE in request.cookies:
            response = self._render(request, "logout_provider.html", continue_to=streamlit_auth.LOGOUT_PATH)
        else:
            response = RedirectResponse("/connexion?message=bye", status_code=303)
        response.delete_cookie(
            cookie_name(SESSION_COOKIE, self.settings),
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.settings.cookie_secure,
        )
        return response
