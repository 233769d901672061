"""/mes-donnees/export.json and .zip: the household's data export, from our own route.

Streamlit's download button put the export in its media store, served at /media/<hash> to anyone
holding the address, without Cache-Control, and built it each time "Mes données" opened. Here it
is built only when asked, for the account of the session cookie, and never stored by a cache.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from challenge.accounts import sessions
from challenge.core.i18n import _
from challenge.households import rights
from challenge.infra.config import Settings
from challenge.infra.db import Database
from web.identity import SESSION_COOKIE, cookie_name, token_from_cookie

EXPORT_PATH = "/mes-donnees/export.{format}"
FORMATS = {
    "json": ("application/json", "mes-donnees-zero-gafam.json"),
    "zip": ("application/zip", "mes-donnees-zero-gafam.zip"),
}
_PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


class DataExport:
    """The export route bound to a database and settings (as AccountForms is)."""

    def __init__(self, db_factory: Callable[[], Database], settings: Settings) -> None:
        self._db_factory = db_factory
        self.settings = settings

    def routes(self) -> list[Route]:
        return [Route(EXPORT_PATH, self.export, methods=["GET"])]

    def export(self, request: Request) -> Response:
        """A plain (sync) endpoint: Starlette runs it in a worker thread, off the event loop."""
        kind = str(request.path_params["format"])
        token = token_from_cookie(
            request.cookies.get(cookie_name(SESSION_COOKIE, self.settings)), self.settings
        )
        db = self._db_factory()
        identity = sessions.identify(db, sessions.hash_token(token)) if token else None
        if kind not in FORMATS or identity is None:
            return PlainTextResponse(_("Connectez-vous pour télécharger vos données."), 404, headers=_PRIVATE)
        with db.read() as session:
            records = rights.export_account(session, identity.account_id)
        body = rights.to_json(records) if kind == "json" else rights.to_csv_zip(records)
        media_type, filename = FORMATS[kind]
        headers = {**_PRIVATE, "Content-Disposition": f'attachment; filename="{filename}"'}
        return Response(body, media_type=media_type, headers=headers)
