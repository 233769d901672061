"""Territory outlines imported by the organiser from a GeoJSON file (IGN ADMIN EXPRESS, etc.)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient
from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError, shown
from challenge.core.i18n import _
from challenge.core.vocabulary import Level
from challenge.infra.db import Database
from challenge.infra.uploads import MAX_BYTES, read_upload
from challenge.models import Commune, Departement, Epci, TerritoryOutline, utcnow

# The property that holds a feature's code, first found wins. IGN ADMIN EXPRESS layers: COMMUNE
# has INSEE_COM (and also SIREN_EPCI, INSEE_DEP: hence INSEE_COM first), EPCI has CODE_SIREN,
# DEPARTEMENT has INSEE_DEP. See docs/maps.md.
CODE_PROPERTIES = (
    "code", "siren", "insee", "code_insee", "INSEE_COM", "CODE_SIREN", "SIREN_EPCI", "INSEE_DEP",
)  # fmt: skip
LEVEL_OF_LENGTH = {9: Level.EPCI, 5: Level.COMMUNE, 2: Level.DEPARTEMENT, 3: Level.DEPARTEMENT}


def _code(feature: dict[str, Any]) -> str:
    properties = feature.get("properties") or {}
    for name in CODE_PROPERTIES:
        if properties.get(name):
            return str(properties[name]).strip()
    return ""


def _clockwise(geometry: Any) -> Any:
    """Exterior rings clockwise, as Vega-Lite (Altair's geoshape) draws them (the opposite of RFC 7946)."""
    if geometry.geom_type == "Polygon":
        return orient(geometry, sign=-1.0)
    return shapely.MultiPolygon([orient(p, sign=-1.0) for p in geometry.geoms])


def parse_outlines(
    data: bytes, known: dict[str, set[str]], max_bytes: int = MAX_BYTES
) -> list[TerritoryOutline]:
    """Validated outlines from GeoJSON bytes; the whole file is refused on the first problem found."""
    document = read_upload(data, "geojson", max_bytes)
    outlines, problems = [], []
    for number, feature in enumerate(document.get("features") or [], start=1):
        code = _code(feature)
        level = LEVEL_OF_LENGTH.get(len(code))
        if level is None or code not in known[level]:
            problems.append(
                _("objet n° {number} : code de territoire inconnu {code}").format(
                    number=number, code=shown(code)
                )
            )
            continue
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
            problems.append(
                _("objet n° {number} ({code}) : géométrie illisible").format(number=number, code=code)
            )
            continue
        if (
            geometry.geom_type not in ("Polygon", "MultiPolygon")
            or not geometry.is_valid
            or geometry.is_empty
        ):
            reason = (
                shapely.is_valid_reason(geometry) if geometry.geom_type in ("Polygon", "MultiPolygon") else ""
            )
            problems.append(
                _("objet n° {number} ({code}) : géométrie invalide {reason}")
                .format(number=number, code=code, reason=reason)
                .strip()
            )
            continue
        outlines.append(
            TerritoryOutline(level=level, code=code, geometry=json.dumps(mapping(_clockwise(geometry))))
        )
    if problems:
        raise ValidationError(
            _("Import refusé, rien n'a été enregistré : {problems}").format(
                problems=" ; ".join(problems[:10])
            )
        )
    if not outlines:
        raise ValidationError(_("Import refusé : le fichier ne contient aucun contour."))
    return outlines


def known_codes(session: Session) -> dict[str, set[str]]:
    return {
        Level.COMMUNE: set(session.scalars(select(Commune.insee_code))),
        Level.EPCI: set(session.scalars(select(Epci.siren))),
        Level.DEPARTEMENT: set(session.scalars(select(Departement.code))),
    }


def import_outlines(db: Database, path: Path) -> int:
    """Import (or replace) the outlines of a GeoJSON file in one transaction; returns how many."""
    if path.stat().st_size > MAX_BYTES:
        raise ValidationError(
            _("Fichier trop volumineux : {megabytes} Mo au plus.").format(megabytes=MAX_BYTES // 1_048_576)
        )
    with db.write() as session:
        outlines = parse_outlines(path.read_bytes(), known_codes(session))
        for outline in outlines:
            outline.imported_at = utcnow()
            session.merge(outline)
        return len(outlines)


def outlines_for(session: Session, keys: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Geometries of (key, level, code) territories that have an outline, for the map."""
    wanted = {(level, code): key for key, level, code in keys}
    rows = session.scalars(
        select(TerritoryOutline).where(TerritoryOutline.code.in_([code for _, _, code in keys]))
    )
    return [
        {"key": wanted[(o.level, o.code)], "geometry": json.loads(o.geometry)}
        for o in rows
        if (o.level, o.code) in wanted
    ]
