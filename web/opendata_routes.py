"""The open-data route: /donnees-ouvertes/<file>.csv, the same files as `export-opendata`."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from challenge.core import clock
from challenge.core.i18n import _
from challenge.counts.upkeep import generation_of
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.statistics.opendata import FILES, opendata_edition, opendata_frames, to_csv_bytes
from challenge.statistics.secrecy import Rules
from challenge.territories.tree import TerritoryTree, build_tree


class OpenData:
    """Serves the protected aggregates of an edition, rebuilt only when its figures changed.

    Without `?edition=<id>`, the edition the results page shows first (the live one, else the
    last closed one); with it, any edition that is not a draft: closed results stay open data.
    The files are kept per edition with the key they were built for: the edition's generation
    (bumped in the transaction of every change of its figures, by any process), the day (the
    figures stop at the current week) and the threshold. A check-in or an erasure is therefore in
    the next download; an unchanged edition is served from memory, and a client holding the
    same version gets 304 (ETag), never a stale copy from its own cache.
    """

    def __init__(self, db_factory: Callable[[], Database], settings: Settings) -> None:
        self._db_factory = db_factory
        self.settings = settings
        self._tree: TerritoryTree | None = None
        self._files: dict[int | None, tuple[str, dict[str, bytes]]] = {}

    def routes(self) -> list[Route]:
        return [Route("/donnees-ouvertes/{name}.csv", self.serve, methods=["GET", "HEAD"])]

    def _files_of(self, edition_id: int | None) -> tuple[str, dict[str, bytes]]:
        """(version, files) of the edition; ("", {}) when there is none to publish."""
        today, threshold = clock.today(), self.settings.secrecy_threshold
        with self._db_factory().read() as session:
            edition = opendata_edition(session, edition_id)
            if edition is None:
                return "", {}
            # The generation first, then the figures: they are at least as new as the version.
            version = f"{edition.id}-{generation_of(session, edition.id)}-{today.isoformat()}-{threshold}"
            cached = self._files.get(edition_id)
            if cached is not None and cached[0] == version:
                return cached
            if self._tree is None:
                self._tree = build_tree(session)
            frames = opendata_frames(session, self._tree, edition, Rules(threshold=threshold), today)
        built = version, {name: to_csv_bytes(frame) for name, frame in frames.items()}
        self._files[edition_id] = built  # ids of published editions only: the cache stays bounded
        return built

    def serve(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in FILES:
            return PlainTextResponse(_("Fichier inconnu."), status_code=404)
        raw = request.query_params.get("edition")
        if raw is not None and not raw.isdigit():
            return PlainTextResponse(_("Édition inconnue."), status_code=404)
        edition_id = int(raw) if raw is not None else None
        version, files = self._files_of(edition_id)
        if name not in files:
            message = _("Édition inconnue.") if edition_id is not None else _("Aucune édition en cours.")
            return PlainTextResponse(message, status_code=404)
        etag = f'"{name}-{version}"'
        headers = {
            "Content-Disposition": f'attachment; filename="zero-gafam-{name}.csv"',
            "Cache-Control": "public, no-cache",  # may be kept, but asked again (ETag) before use
            "ETag": etag,
        }
        # Weak comparison (RFC 9110): web.compression hands gzipped bodies out as W/"…".
        held = (tag.strip().removeprefix("W/") for tag in request.headers.get("if-none-match", "").split(","))
        if etag in held:
            return Response(status_code=304, headers=headers)
        return Response(files[name], media_type="text/csv; charset=utf-8", headers=headers)
