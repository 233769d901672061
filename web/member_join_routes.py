"""/foyer/rejoindre/<token>: a household member's invitation link, opened on their own phone.

A visitor logs in (or signs up: the link is kept in a cookie and the sign-up's confirmation link
comes back here), then confirms with one tap (CSRF-protected POST): the account becomes that
member and checks in its own line. Unknown, used, replaced and expired links get one answer.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from challenge.accounts.security_log import log_event
from challenge.core import addresses
from challenge.core.errors import ChallengeError, NotFound
from challenge.households import member_access
from challenge.infra.config import Settings
from web.account_routes import EXPIRED_FORM, AccountForms
from web.identity import cookie_name

JOIN_COOKIE = "dzg_join"  # the invitation a visitor opened, to come back to after signing up
_TOKEN = re.compile(r"[\w-]{20,100}")


def pending_join(request: Request, settings: Settings) -> str | None:
    """The invitation page this browser was on before signing up, if any (a same-site path)."""
    token = request.cookies.get(cookie_name(JOIN_COOKIE, settings), "")
    return member_access.PATH + token if _TOKEN.fullmatch(token) else None


class MemberJoinForms(AccountForms):
    """The member's invitation page: who invites, as whom, and one button to join."""

    def routes(self) -> list[Route]:
        return [Route(member_access.PATH + "{token}", self.join, methods=["GET", "POST"])]

    def _page(self, request: Request, token: str, status: int = 200, error: str | None = None) -> Response:
        identity = self._identity(request)
        try:
            view = member_access.invitation_for(self.db, token, identity.account_id if identity else None)
        except NotFound as gone:
            return self._render(request, "member_join.html", 410, gone=gone.message)
        here = member_access.PATH + token
        response = self._render(
            request,
            "member_join.html",
            status,
            view=view,
            action=here,
            identity=identity,
            login=f"{addresses.LOGIN}?next={quote(here, safe='/')}",
            signup=addresses.SIGNUP,
            error=error or view.refusal,
        )
        if identity is None and _TOKEN.fullmatch(token):
            response.set_cookie(
                cookie_name(JOIN_COOKIE, self.settings),
                token,
                max_age=int(member_access.VALID_FOR.total_seconds()),
                httponly=True,
                samesite="lax",
                secure=self.settings.cookie_secure,
                path="/",
            )
        return response

    async def join(self, request: Request) -> Response:
        token = str(request.path_params["token"])
        if request.method == "GET":
            return self._page(request, token)
        form = await request.form()
        if not self._csrf_ok(request, form):
            return self._page(request, token, 400, str(EXPIRED_FORM))
        identity = self._identity(request)
        if identity is None:
            here = quote(member_access.PATH + token, safe="/")
            return RedirectResponse(f"{addresses.LOGIN}?next={here}", status_code=303)
        try:
            member_id = member_access.join_household(self.db, identity.account_id, token)
        except NotFound as gone:
            return self._render(request, "member_join.html", 410, gone=gone.message)
        except ChallengeError as error:
            return self._page(request, token, 400, error.message)
        log_event("member_joined", account_id=identity.account_id, member_id=member_id)
        response = RedirectResponse("/bilan", status_code=303)
        response.delete_cookie(
            cookie_name(JOIN_COOKIE, self.settings),
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.settings.cookie_secure,
        )
        return response
