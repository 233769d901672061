"""Routes reached from outside the app: one-click unsubscribe links and the private calendar feed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from challenge.core.i18n import _, current_locale, ngettext, use_locale
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.mail.calendar_feed import calendar_for_token
from challenge.mail.notifications import DIGEST, FOLLOWUP, REMINDER, read_unsubscribe_token, unsubscribe
from challenge.models import Account, utcnow

UNSUBSCRIBE_PATH = "/desabonnement/{token}"
CALENDAR_PATH = "/agenda/{token}.ics"
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
)
_templates.globals.update(_=_, gettext=_, ngettext=ngettext)  # base.html translates its frame
_PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def _what(kind: str) -> str:
    return {
        REMINDER: _("les rappels hebdomadaires de bilan"),
        DIGEST: _("le résumé hebdomadaire des capitaines"),
        FOLLOWUP: _("les invitations au suivi après le défi"),
    }[kind]


class EngagementRoutes:
    """/desabonnement/<signed token> (GET shows, POST stops; RFC 8058) and /agenda/<secret>.ics."""

    def __init__(self, db_factory: Callable[[], Database], settings: Settings) -> None:
        self._db_factory = db_factory
        self.settings = settings

    def routes(self) -> list[Route]:
        return [
            Route(UNSUBSCRIBE_PATH, self.unsubscribe, methods=["GET", "POST"]),
            Route(CALENDAR_PATH, self.calendar, methods=["GET", "HEAD"]),
        ]

    def _page(self, status: int = 200, **context: str) -> Response:
        html = _templates.get_template("unsubscribe.html").render(
            lang=current_locale(), settings_link=_("Gérer mes rappels dans mon compte"), **context
        )
        return HTMLResponse(html, status_code=status, headers=_PRIVATE)

    def _locale(self, account_id: int) -> str | None:
        with self._db_factory().read() as session:
            account = session.get(Account, account_id)
            return account.locale if account is not None else None

    def unsubscribe(self, request: Request) -> Response:
        found = read_unsubscribe_token(self.settings.cookie_secret, request.path_params["token"])
        locale = self._locale(found[0]) if found else None
        if found is None or locale is None:
            return self._page(
                404, title=_("Lien invalide"), lead=_("Ce lien de désabonnement n'est pas valide.")
            )
        account_id, kind = found
        with use_locale(locale):
            if request.method == "GET":
                # A GET only asks: mail scanners open links, and must not unsubscribe anyone.
                return self._page(
                    title=_("Se désabonner"),
                    lead=_("Vous ne recevrez plus {what}.").format(what=_what(kind)),
                    confirm=_("Confirmer le désabonnement"),
                    action=request.url.path,
                )
            unsubscribe(self._db_factory(), account_id, kind)
            return self._page(
                title=_("C'est fait"),
                message=_("Vous ne recevrez plus {what}.").format(what=_what(kind)),
                lead=_("Vous pouvez les réactiver à tout moment depuis votre compte."),
            )

    def calendar(self, request: Request) -> Response:
        body = calendar_for_token(
            self._db_factory(), request.path_params["token"], self.settings.mail, utcnow()
        )
        if body is None:
            return PlainTextResponse(_("Calendrier introuvable."), status_code=404, headers=_PRIVATE)
        headers = {
            "Cache-Control": "private, max-age=900",
            "Content-Disposition": 'inline; filename="defi-zero-gafam.ics"',
            "X-Robots-Tag": "noindex",
        }
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
