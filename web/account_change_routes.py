"""/compte/mot-de-passe, /compte/adresse and /nouvelle-adresse/<token>: the account page's changes.

Both changes ask the current password (throttled like a log-in). A new password ends every
session and opens a fresh one for this browser; a new address is only used once the link mailed
to it is opened and confirmed with one tap, and the old address is then told.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from challenge.accounts.security_log import log_event
from challenge.core import addresses
from challenge.core.errors import ChallengeError, TooManyAttempts
from challenge.mail.account_changes import (
    INVALID_NEW_ADDRESS,
    ask_address_change,
    change_password,
    confirm_new_address,
    is_new_address_link_usable,
)
from web.account_routes import EXPIRED_FORM, AccountForms
from web.links import link_base
from web.password_work import run_password_work
from web.security import allowed_hosts


def _status(error: ChallengeError) -> int:
    return 429 if isinstance(error, TooManyAttempts) else 400


class AccountChangeForms(AccountForms):
    """Change the password or the address of the account of the session."""

    def routes(self) -> list[Route]:
        return [
            Route(addresses.CHANGE_PASSWORD, self.password, methods=["GET", "POST"]),
            Route(addresses.CHANGE_EMAIL, self.email, methods=["GET", "POST"]),
            Route(addresses.NEW_EMAIL, self.new_email, methods=["GET", "POST"]),
        ]

    def _base(self, request: Request) -> str:
        return link_base(request, self.settings, allowed_hosts()) or self.settings.mail.public_url

    async def password(self, request: Request) -> Response:
        identity = self._identity(request)
        if identity is None:
            return RedirectResponse(f"{addresses.LOGIN}?next={addresses.CHANGE_PASSWORD}", status_code=303)
        if request.method == "GET":
            return self._render(request, "change_password.html", email=identity.email)
        form = await request.form()
        if not self._csrf_ok(request, form):
            return self._render(
                request, "change_password.html", 400, email=identity.email, error=str(EXPIRED_FORM)
            )
        try:
            await run_password_work(
                change_password,
                self.db,
                identity.account_id,
                str(form.get("current", "")),
                str(form.get("password", "")),
                base=self._base(request),
                contact=self.settings.contact_email,
            )
        except ChallengeError as error:
            page = "change_password.html"
            return self._render(
                request, page, _status(error), email=identity.email, error=error.message, field=error.field
            )
        log_event("password_changed", account_id=identity.account_id)
        return self._deliver_soon(self._logged_in(identity.account_id, f"{addresses.ACCOUNT}"))

    async def email(self, request: Request) -> Response:
        identity = self._identity(request)
        if identity is None:
            return RedirectResponse(f"{addresses.LOGIN}?next={addresses.CHANGE_EMAIL}", status_code=303)
        if request.method == "GET":
            return self._render(request, "change_email.html", email=identity.email)
        form = await request.form()
        new = str(form.get("new_email", ""))
        context: dict[str, Any] = {"email": identity.email, "new_email": new}
        if not self._csrf_ok(request, form):
            return self._render(request, "change_email.html", 400, error=str(EXPIRED_FORM), **context)
        try:
            await run_password_work(
                ask_address_change,
                self.db,
                identity.account_id,
                new,
                str(form.get("current", "")),
                base=self._base(request),
                secret=self.settings.cookie_secret,
                client=self._client(request),
            )
        except ChallengeError as error:
            return self._render(
                request,
                "change_email.html",
                _status(error),
                error=error.message,
                field=error.field,
                **context,
            )
        log_event("address_change_asked", account_id=identity.account_id)
        return self._deliver_soon(self._render(request, "change_email.html", sent=True, **context))

    async def new_email(self, request: Request) -> Response:
        token = request.path_params["token"]
        action = addresses.NEW_EMAIL.format(token=token)
        if request.method == "GET":
            usable = is_new_address_link_usable(self.db, token)
            error = None if usable else str(INVALID_NEW_ADDRESS)
            return self._render(request, "new_address.html", usable=usable, action=action, error=error)
        form = await request.form()
        if not self._csrf_ok(request, form):
            return self._render(
                request, "new_address.html", 400, usable=True, action=action, error=str(EXPIRED_FORM)
            )
        try:
            account_id = confirm_new_address(
                self.db, token, base=self._base(request), contact=self.settings.contact_email
            )
        except ChallengeError as error:
            return self._render(request, "new_address.html", 400, usable=False, error=error.message)
        log_event("address_changed", account_id=account_id)
        return self._deliver_soon(self._render(request, "new_address.html", changed=True))
