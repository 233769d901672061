"""/mot-de-passe-oublie and /nouveau-mot-de-passe/<token>: a lost password is never a dead end.

Built like /connexion (same CSRF cookie, same Origin check in front, argon2 in the password pool).
Asking answers the same page whether the address has an account or not; the mail leaves right
after the answer when an SMTP relay is set (a background task), else with the next cron run.
"""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from challenge.accounts.security_log import log_event
from challenge.core import addresses
from challenge.core.errors import ChallengeError, TooManyAttempts, ValidationError
from challenge.mail.delivery import deliver_now
from challenge.mail.password_reset import (
    INVALID_LINK,
    charge_reset_request,
    is_reset_link_usable,
    reset_password,
    send_reset_link,
)
from web.account_routes import EXPIRED_FORM, AccountForms
from web.links import link_base
from web.password_work import run_password_work
from web.security import allowed_hosts


class PasswordResetForms(AccountForms):
    """The lost-password routes, sharing the account forms' CSRF, cookies and session opening."""

    def routes(self) -> list[Route]:
        return [
            Route(addresses.FORGOT_PASSWORD, self.forgot, methods=["GET", "POST"]),
            Route(addresses.RESET_PASSWORD, self.reset, methods=["GET", "POST"]),
        ]

    async def forgot(self, request: Request) -> Response:
        if request.method == "GET":
            return self._render(request, "forgot_password.html")
        form = await request.form()
        email = str(form.get("email", ""))
        if not self._csrf_ok(request, form):
            return self._render(request, "forgot_password.html", 400, email=email, error=str(EXPIRED_FORM))
        base = link_base(request, self.settings, allowed_hosts())
        try:
            address = charge_reset_request(
                self.db, email, secret=self.settings.cookie_secret, client=self._client(request)
            )
        except ChallengeError as error:
            status = 429 if isinstance(error, TooManyAttempts) else 400
            return self._render(request, "forgot_password.html", status, email=email, error=error.message)
        log_event("password_reset_requested", email=email)
        response = self._render(request, "forgot_password.html", sent=True, email=email.strip())
        if base is not None:  # else no trustworthy address for the link: nothing sent, same answer
            response.background = BackgroundTask(self._send_reset_link, address, base)
        return response

    def _send_reset_link(self, email: str, base: str) -> None:
        """After the answer has left: the link if the address has an account, then the outbox."""
        if send_reset_link(self.db, email, base=base):
            deliver_now(self.db, self.settings.mail)

    async def reset(self, request: Request) -> Response:
        token = request.path_params["token"]
        action = addresses.RESET_PASSWORD.format(token=token)
        if request.method == "GET":
            usable = is_reset_link_usable(self.db, token)
            error = None if usable else str(INVALID_LINK)
            return self._render(request, "reset_password.html", usable=usable, action=action, error=error)
        form = await request.form()
        if not self._csrf_ok(request, form):
            return self._render(
                request, "reset_password.html", 400, usable=True, action=action, error=str(EXPIRED_FORM)
            )
        base = link_base(request, self.settings, allowed_hosts()) or self.settings.mail.public_url
        try:
            account_id = await run_password_work(
                reset_password,
                self.db,
                token,
                str(form.get("password", "")),
                base=base,
                contact=self.settings.contact_email,
            )
        except ValidationError as error:
            usable = error.field == "password"
            return self._render(
                request, "reset_password.html", 400, usable=usable, action=action, error=error.message
            )
        log_event("password_reset", account_id=account_id)
        return self._deliver_soon(self._logged_in(account_id, "/"))
