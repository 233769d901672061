"""/inscription: the sign-up form, answered alike whether the address has an account or not.

A new account gets a mail whose link confirms the address and opens the session in this browser
(challenge.mail.address_confirmation); an address that has an account gets the same page, and its
owner a mail (someone tried to sign up with it: log in, or choose a new password with this link).
Neither answer opens a session, since a session cookie would tell a new address from a known
one; both hash the password once, in the password pool, so that their time tells nothing either.
"""

from __future__ import annotations

import re
import secrets

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from challenge.accounts import credentials
from challenge.accounts.account_tokens import LIFETIMES, SIGNUP
from challenge.accounts.security_log import log_event
from challenge.core import addresses, i18n
from challenge.core.errors import ChallengeError, TooManyAttempts
from challenge.mail.address_confirmation import resend_signup_mail, send_confirmation
from challenge.mail.delivery import deliver_now
from challenge.mail.password_reset import charge_reset_request, warn_of_signup_attempt
from challenge.teams.codes import invite_code_in_link
from web.account_routes import EXPIRED_FORM, AccountForms
from web.identity import cookie_name
from web.links import link_base
from web.password_work import run_password_work
from web.security import allowed_hosts

# The secret this browser keeps from the sign-up form on: the mailed link logs in only with it.
SIGNUP_COOKIE = "dzg_signup"
_BINDING = re.compile(r"[\w-]{32}")


class SignupForms(AccountForms):
    """The sign-up form and its "send the mail again" button."""

    def routes(self) -> list[Route]:
        return [
            Route(addresses.SIGNUP, self.signup, methods=["GET", "POST"]),
            Route(addresses.SIGNUP_RESEND, self.resend, methods=["POST"]),
        ]

    def _binding(self, request: Request) -> str:
        """This browser's sign-up secret, kept while it has one (a form posted twice, or sent again,
        still mails a link that works here), else a new one."""
        kept = request.cookies.get(cookie_name(SIGNUP_COOKIE, self.settings), "")
        return kept if _BINDING.fullmatch(kept) else secrets.token_urlsafe(24)

    def _keep_binding(self, response: Response, binding: str) -> Response:
        response.set_cookie(
            cookie_name(SIGNUP_COOKIE, self.settings),
            binding,
            max_age=int(LIFETIMES[SIGNUP].total_seconds()),
            httponly=True,
            samesite="lax",  # sent when the mail's link opens this site in this browser
            secure=self.settings.cookie_secure,
            path="/",
        )
        return response

    async def signup(self, request: Request) -> Response:
        # A team invitation link (/inscription?code=…) carries its code to the onboarding form.
        code = invite_code_in_link(request.query_params.get("code"))
        binding = self._binding(request)
        if request.method == "GET":
            return self._keep_binding(self._render(request, "signup.html", code=code), binding)
        form = await request.form()
        email = str(form.get("email", ""))
        code = invite_code_in_link(form.get("code")) or code
        if not self._csrf_ok(request, form):
            return self._render(request, "signup.html", 400, email=email, error=str(EXPIRED_FORM), code=code)
        try:
            password = str(form.get("password", ""))
            locale = i18n.current_locale()  # keep the language chosen as a visitor
            account = await run_password_work(credentials.create_account, self.db, email, password, locale)
        except credentials.AddressInUse:
            self._warn_owner(request, email)
        except ChallengeError as error:
            return self._render(
                request, "signup.html", 400, email=email, error=error.message, field=error.field, code=code
            )
        else:
            self._welcome(request, account.id, binding, code)
        page = self._render(request, "check_mail.html", email=email.strip(), code=code)
        return self._deliver_soon(self._keep_binding(page, binding))

    def _welcome(self, request: Request, account_id: int, binding: str, code: str | None) -> None:
        """A new account: the link that confirms the address and logs in here."""
        log_event("signed_up", account_id=account_id)
        base = link_base(request, self.settings, allowed_hosts())
        try:
            if base is not None:
                send_confirmation(
                    self.db,
                    account_id,
                    base=base,
                    secret=self.settings.cookie_secret,
                    client=self._client(request),
                    binding=binding,
                    code=code,
                )
        except TooManyAttempts:
            pass  # too many link mails to this address or from this network: the same page

    def _warn_owner(self, request: Request, email: str) -> None:
        """An address that has an account: never say so; its owner gets a mail with a reset link."""
        base = link_base(request, self.settings, allowed_hosts())
        try:
            if base is not None:
                warn_of_signup_attempt(
                    self.db,
                    email,
                    base=base,
                    secret=self.settings.cookie_secret,
                    client=self._client(request),
                )
        except TooManyAttempts:
            pass  # the owner was warned a moment ago: same page, no new mail
        log_event("signup_with_known_address", email=email)

    async def resend(self, request: Request) -> Response:
        form = await request.form()
        email = str(form.get("email", ""))
        code = invite_code_in_link(form.get("code"))
        if not self._csrf_ok(request, form):
            return self._render(
                request, "check_mail.html", 400, email=email, code=code, error=str(EXPIRED_FORM)
            )
        try:
            address = charge_reset_request(
                self.db, email, secret=self.settings.cookie_secret, client=self._client(request)
            )
        except ChallengeError as error:
            status = 429 if isinstance(error, TooManyAttempts) else 400
            return self._render(
                request, "check_mail.html", status, email=email, code=code, error=error.message
            )
        log_event("signup_mail_resent", email=email)
        binding = self._binding(request)
        page = self._render(request, "check_mail.html", email=email.strip(), code=code, resent=True)
        response = self._keep_binding(page, binding)
        base = link_base(request, self.settings, allowed_hosts())
        if base is not None:  # after the answer, so that its time tells nothing (as for reset links)
            response.background = BackgroundTask(self._resend, address, binding, base, code)
        return response

    def _resend(self, email: str, binding: str, base: str, code: str | None) -> None:
        if resend_signup_mail(self.db, email, binding, base=base, code=code):
            deliver_now(self.db, self.settings.mail)
