"""The open-data route: /donnees-ouvertes/<file>.csv, the same files as `export-opendata`."""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from challenge.core import clock
from challenge.core.i18n import _
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.statistics.opendata import FILES, opendata_edition, opendata_frames, to_csv_bytes
from challenge.statistics.secrecy import Rules
from challenge.territories.tree import TerritoryTree, build_tree

CACHE_SECONDS = 300


class OpenData:
    """Serves the protected aggregates of an edition, each rebuilt at most every 5 minutes.

    Without `?edition=<id>`, the edition the results page shows first (the live one, else the
    last closed one); with it, any edition that is not a draft: closed results stay open data.
    """

    def __init__(self, db_factory: Callable[[], Database], settings: Settings) -> None:
        self._db_factory = db_factory
        self.settings = settings
        self._tree: TerritoryTree | None = None
        self._files: dict[int | None, tuple[float, dict[str, bytes]]] = {}

    def routes(self) -> list[Route]:
        return [Route("/donnees-ouvertes/{name}.csv", self.serve, methods=["GET", "HEAD"])]

    def _build(self, edition_id: int | None) -> dict[str, bytes]:
        with self._db_factory().read() as session:
            if self._tree is None:
                self._tree = build_tree(session)
            edition = opendata_edition(session, edition_id)
            if edition is None:
                return {}
            rules = Rules(threshold=self.settings.secrecy_threshold)
            frames = opendata_frames(session, self._tree, edition, rules, clock.today())
        return {name: to_csv_bytes(frame) for name, frame in frames.items()}

    def _files_of(self, edition_id: int | None) -> dict[str, bytes]:
        built_at, files = self._files.get(edition_id, (0.0, {}))
        if time.monotonic() - built_at > CACHE_SECONDS:
            files = self._build(edition_id)
            if files or edition_id is None:  # unknown ids are not kept: the cache stays bounded
                self._files[edition_id] = (time.monotonic(), files)
        return files

    def serve(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in FILES:
            return PlainTextResponse(_("Fichier inconnu."), status_code=404)
        raw = request.query_params.get("edition")
        if raw is not None and not raw.isdigit():
            return PlainTextResponse(_("Édition inconnue."), status_code=404)
        edition_id = int(raw) if raw is not None else None
        files = self._files_of(edition_id)
        if name not in files:
            message = _("Édition inconnue.") if edition_id is not None else _("Aucune édition en cours.")
            return PlainTextResponse(message, status_code=404)
        headers = {
            "Content-Disposition": f'attachment; filename="zero-gafam-{name}.csv"',
            "Cache-Control": f"public, max-age={CACHE_SECONDS}",
        }
        return Response(files[name], media_type="text/csv; charset=utf-8", headers=headers)
