"""The open-data route: /donnees-ouvertes/<file>.csv, the same files as `export-opendata`."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from challenge.config import Settings
from challenge.db import Database
from challenge.editions import live_edition_for
from challenge.i18n import _
from challenge.opendata import FILES, opendata_frames, to_csv_bytes
from challenge.secrecy import Rules
from challenge.territory_tree import TerritoryTree, build_tree

CACHE_SECONDS = 300


class OpenData:
    """Serves the protected aggregates of the live edition; rebuilt at most every 5 minutes."""

    def __init__(self, db_factory: Callable[[], Database], settings: Settings) -> None:
        self._db_factory = db_factory
        self.settings = settings
        self._tree: TerritoryTree | None = None
        self._files: dict[str, bytes] = {}
        self._built_at = 0.0

    def routes(self) -> list[Route]:
        return [Route("/donnees-ouvertes/{name}.csv", self.serve, methods=["GET", "HEAD"])]

    def _build(self) -> dict[str, bytes]:
        with self._db_factory().read() as session:
            if self._tree is None:
                self._tree = build_tree(session)
            edition = live_edition_for(session)
            if edition is None:
                return {}
            rules = Rules(threshold=self.settings.secrecy_threshold)
            frames = opendata_frames(session, self._tree, edition, rules, date.today())
        return {name: to_csv_bytes(frame) for name, frame in frames.items()}

    def serve(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in FILES:
            return PlainTextResponse(_("Fichier inconnu."), status_code=404)
        if time.monotonic() - self._built_at > CACHE_SECONDS:
            self._files, self._built_at = self._build(), time.monotonic()
        if name not in self._files:
            return PlainTextResponse(_("Aucune édition en cours."), status_code=404)
        headers = {
            "Content-Disposition": f'attachment; filename="zero-gafam-{name}.csv"',
            "Cache-Control": f"public, max-age={CACHE_SECONDS}",
        }
        return Response(self._files[name], media_type="text/csv; charset=utf-8", headers=headers)
