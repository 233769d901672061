"""/confirmer-adresse: confirm the account's address through the mailed link, or ask a new link.

The link's page asks for one tap (POST with CSRF): a mail scanner opening the link confirms
nothing. A sign-up link used in the browser that signed up (its web.signup_routes cookie) also
opens the session; elsewhere it confirms the address and the household logs in as usual.
Asking again here needs the session of the account, and is budgeted like every link mail.
"""

from __future__ import annotations

from urllib.parse import quote

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
    use_signup_link,
)
from challenge.teams.codes import invite_code_in_link
from web.account_routes import EXPIRED_FORM, AccountForms
from web.identity import cookie_name
from web.links import link_base
from web.member_join_routes import pending_join
from web.security import allowed_hosts
from web.signup_routes import SIGNUP_COOKIE

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
        code = invite_code_in_link(request.query_params.get("code"))
        target = f"/?code={code}" if code else "/"  # an invitation's code, on to the onboarding
        target = pending_join(request, self.settings) or target  # a member's invitation opened first
        action = addresses.CONFIRM_EMAIL.format(token=token) + (f"?code={code}" if code else "")
        binding = request.cookies.get(cookie_name(SIGNUP_COOKIE, self.settings), "")
        page = "confirm_address.html"
        if request.method == "GET":
            usable = is_confirmation_usable(self.db, token, binding)
            error = None if usable else str(INVALID_CONFIRMATION)
            return self._render(request, page, usable=usable, action=action, error=error)
        form = await request.form()
        if not self._csrf_ok(request, form):
            return self._render(request, page, 400, usable=True, action=action, error=str(EXPIRED_FORM))
        signed_up_here = use_signup_link(self.db, token, binding) if binding else None
        if signed_up_here is not None:
            log_event("address_confirmed", account_id=signed_up_here)
            log_event("login_succeeded", account_id=signed_up_here, method="signup_link")
            response = self._logged_in(signed_up_here, target)
            response.delete_cookie(
                cookie_name(SIGNUP_COOKIE, self.settings),
                path="/",
                httponly=True,
                samesite="lax",
                secure=self.settings.cookie_secure,
            )
            return response
        try:
            account_id = confirm_address(self.db, token)
        except ChallengeError as error:
            return self._render(request, page, 400, usable=False, error=error.message)
        log_event("address_confirmed", account_id=account_id)
        if self._identity(request) is None:  # another browser than the sign-up's: log in as usual
            target = f"{addresses.LOGIN}?next={quote(target, safe='/')}"
        return self._render(request, page, confirmed=True, then=target)

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
