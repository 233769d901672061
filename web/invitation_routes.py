"""The council agent's invitation link: set a password (new account) or sign in, and get the role."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from challenge.accounts.security_log import log_event
from challenge.core.errors import ChallengeError, NotFound, TooManyAttempts
from challenge.core.i18n import _
from challenge.people import invitations
from web.account_routes import AccountForms
from web.password_work import run_password_work


class InvitationForms(AccountForms):
    """/invitation/<token>: a real HTML form (password managers), CSRF-protected, one use only."""

    def routes(self) -> list[Route]:
        return [Route(invitations.PATH + "{token}", self.invitation, methods=["GET", "POST"])]

    def _page(self, request: Request, token: str, status: int = 200, **context: object) -> Response:
        try:
            view = invitations.invitation_for(self.db, token)
        except NotFound as error:
            return self._render(request, "invitation.html", 410, _=_, gone=error.message)
        return self._render(request, "invitation.html", status, _=_, view=view, token=token, **context)

    async def invitation(self, request: Request) -> Response:
        token = str(request.path_params["token"])
        if request.method == "GET":
            return self._page(request, token)
        form = await request.form()
        if not self._csrf_ok(request, form):
            return self._page(request, token, 400, error=_("Le formulaire a expiré : merci de réessayer."))
        try:
            password = str(form.get("password", ""))
            account_id = await run_password_work(invitations.accept_invitation, self.db, token, password)
        except ChallengeError as error:
            status = 429 if isinstance(error, TooManyAttempts) else 400
            return self._page(request, token, status, error=error.message)
        log_event("invitation_accepted", account_id=account_id)
        return self._logged_in(account_id, "/territoire")
