"""/lien-de-connexion: log in with a link received by mail instead of a password.

Asking answers the same page whether the address has an account or not, is charged to the
budgets of link mails, and gives this browser a secret cookie; the link only works together with
it (challenge.mail.magic_link). The link's page asks one tap (a POST): a scanner logs nobody in.
"""

from __future__ import annotations

import secrets

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from challenge.accounts.account_tokens import LIFETIMES, MAGIC
from challenge.accounts.security_log import log_event
from challenge.core import addresses
from challenge.core.errors import ChallengeError, TooManyAttempts
from challenge.mail.delivery import deliver_now
from challenge.mail.magic_link import (
    INVALID_MAGIC_LINK,
    is_magic_link_usable,
    log_in_with_link,
    send_magic_link,
)
from challenge.mail.password_reset import charge_reset_request
from web.account_routes import EXPIRED_FORM, AccountForms
from web.identity import cookie_name
from web.links import link_base
from web.security import allowed_hosts

MAGIC_COOKIE = "dzg_magic"


class MagicLinkForms(AccountForms):
    """Ask for a log-in link, and use it in the same browser."""

    def routes(self) -> list[Route]:
        return [
            Route(addresses.ASK_MAGIC_LINK, self.ask, methods=["GET", "POST"]),
            Route(addresses.MAGIC_LINK, self.use, methods=["GET", "POST"]),
        ]

    def _binding(self, request: Request) -> str:
        return request.cookies.get(cookie_name(MAGIC_COOKIE, self.settings), "")

    async def ask(self, request: Request) -> Response:
        if request.method == "GET":
            return self._render(request, "magic_link.html")
        form = await request.form()
        email = str(form.get("email", ""))
        if not self._csrf_ok(request, form):
            return self._render(request, "magic_link.html", 400, email=email, error=str(EXPIRED_FORM))
        try:
            address = charge_reset_request(
                self.db, email, secret=self.settings.cookie_secret, client=self._client(request)
            )
        except ChallengeError as error:
            status = 429 if isinstance(error, TooManyAttempts) else 400
            return self._render(request, "magic_link.html", status, email=email, error=error.message)
        log_event("magic_link_requested", email=email)
        binding = secrets.token_urlsafe(24)
        response = self._render(request, "magic_link.html", sent=True, email=email.strip())
        response.set_cookie(
            cookie_name(MAGIC_COOKIE, self.settings),
            binding,
            max_age=int(LIFETIMES[MAGIC].total_seconds()),
            httponly=True,
            samesite="lax",  # sent when the mail's link opens this site in this browser
            secure=self.settings.cookie_secure,
            path="/",
        )
        base = link_base(request, self.settings, allowed_hosts())
        if base is not None:
            response.background = BackgroundTask(self._send, address, binding, base)
        return response

    def _send(self, email: str, binding: str, base: str) -> None:
        if send_magic_link(self.db, email, binding, base=base):
            deliver_now(self.db, self.settings.mail)

    async def use(self, request: Request) -> Response:
        token = request.path_params["token"]
        action = addresses.MAGIC_LINK.format(token=token)
        binding = self._binding(request)
        if request.method == "GET":
            usable = is_magic_link_usable(self.db, token, binding)
            error = None if usable else str(INVALID_MAGIC_LINK)
            return self._render(request, "magic_link_use.html", usable=usable, action=action, error=error)
        form = await request.form()
        if not self._csrf_ok(request, form):
            page = "magic_link_use.html"
            return self._render(request, page, 400, usable=True, action=action, error=str(EXPIRED_FORM))
        try:
            account_id = log_in_with_link(self.db, token, binding)
        except ChallengeError as error:
            return self._render(request, "magic_link_use.html", 400, usable=False, error=error.message)
        log_event("login_succeeded", account_id=account_id, method="mail_link")
        response = self._logged_in(account_id, "/")
        response.delete_cookie(
            cookie_name(MAGIC_COOKIE, self.settings),
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.settings.cookie_secure,
        )
        return response
