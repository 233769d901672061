"""/confirmer-adresse: confirm the account's address through the mailed link, or ask a new link.

The link's page asks for one tap (POST with CSRF): a mail scanner opening the link confirms
nothing. Asking again needs the session of the account, and is budgeted like every link mail.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from challenge.accounts.security_log import log_event
from challenge.core import addresses
from challenge.core.errors import ChallengeError, TooManyAttempts
from challenge.core.i18n import lazy_gettext
from challenge.mail.address_confirmation import (
    INVALID_CONFIRMATION,
    confirm_address,
    is_confirmation_usable,
    is_confirmed,
    send_confirmation,
)
from web.account_routes import EXPIRED_FORM, AccountForms
from web.links import link_base
from web.security import allowed_hosts

RESEND = addresses.CONFIRM_EMAIL.removesuffix("/{token}")
NO_LINK = lazy_gettext("L'envoi de liens n'est pas encore configuré : prévenez l'organisateur du défi.")


class AddressConfirmationForms(AccountForms):
    """The confirmation link's page and the "send me a new link" form of the account page."""

    def routes(self) -> list[Route]:
        return [
            Route(addresses.CONFIRM_EMAIL, self.confirm, methods=["GET", "POST"]),
            Route(RESEND, self.resend, methods=["GET", "POST"]),
        ]

    async def confirm(self, request: Request) -> Response:
        token = request.path_params["token"]
        action = addresses.CONFIRM_EMAIL.format(token=token)
        if request.method == "GET":
            usable = is_confirmation_usable(self.db, token)
            error = None if usable else str(INVALID_CONFIRMATION)
            return self._render(request, "confirm_address.html", usable=usable, action=action, error=error)
        form = await request.form()
        if not self._csrf_ok(request, form):
            page = "confirm_address.html"
            return self._render(request, page, 400, usable=True, action=action, error=str(EXPIRED_FORM))
        try:
            account_id = confirm_address(self.db, token)
        except ChallengeError as error:
            return self._render(request, "confirm_address.html", 400, usable=False, error=error.message)
        log_event("address_confirmed", account_id=account_id)
        return self._render(request, "confirm_address.html", confirmed=True)

    async def resend(self, request: Request) -> Response:
        identity = self._identity(request)
        if identity is None:
            return RedirectResponse(f"{addresses.LOGIN}?next={RESEND}", status_code=303)
        confirmed = is_confirmed(self.db, identity.account_id)
        if request.method == "GET" or confirmed:
            return self._render(request, "confirm_resend.html", email=identity.email, confirmed=confirmed)
        form = await request.form()
        if not self._csrf_ok(request, form):
            return self._render(
                request, "confirm_resend.html", 400, email=identity.email, error=str(EXPIRED_FORM)
            )
        base = link_base(request, self.settings, allowed_hosts())
        if base is None:
            return self._render(request, "confirm_resend.html", 503, email=identity.email, error=str(NO_LINK))
        try:
            send_confirmation(
                self.db,
                identity.account_id,
                base=base,
                secret=self.settings.cookie_secret,
                client=self._client(request),
            )
        except TooManyAttempts as error:
            return self._render(
                request, "confirm_resend.html", 429, email=identity.email, error=error.message
            )
        log_event("confirmation_resent", account_id=identity.account_id)
        return self._deliver_soon(
            self._render(request, "confirm_resend.html", email=identity.email, sent=True)
        )
