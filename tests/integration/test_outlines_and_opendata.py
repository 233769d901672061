"""Territory outlines import (validated, oriented for Vega) and the open-data route and command."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import shape
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from challenge.core.errors import ValidationError
from challenge.editions.calendar import EditionView
from challenge.households.rights import delete_account
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import Household, TerritoryOutline
from challenge.territories.outlines import import_outlines
from tests.integration.test_dashboards import LILLE, populate
from web.opendata_routes import OpenData

SQUARE_CCW = [[[2.9, 50.5], [3.2, 50.5], [3.2, 50.7], [2.9, 50.7], [2.9, 50.5]]]  # RFC 7946 order
BOWTIE = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]


def _geojson(tmp_path: Path, features: list[tuple[str, list[object]]]) -> Path:
    path = tmp_path / "contours.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": code},
                        "geometry": {"type": "Polygon", "coordinates": rings},
                    }
                    for code, rings in features
                ],
            }
        )
    )
    return path


def _count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(TerritoryOutline)) or 0


def test_outlines_are_imported_with_clockwise_exteriors(db: Database, tmp_path: Path) -> None:
    assert import_outlines(db, _geojson(tmp_path, [("200093201", SQUARE_CCW), ("59", SQUARE_CCW)])) == 2
    with db.read() as session:
        outline = session.get_one(TerritoryOutline, ("epci", "200093201"))
    assert not shape(json.loads(outline.geometry)).exterior.is_ccw  # what Vega-Lite's geoshape needs
    assert import_outlines(db, _geojson(tmp_path, [("200093201", SQUARE_CCW)])) == 1  # re-import replaces
    assert _count(db) == 2


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([("200093201", SQUARE_CCW), ("999999999", SQUARE_CCW)], "code de territoire inconnu '999999999'"),
        ([("59", BOWTIE)], "géométrie invalide"),
    ],
)
def test_a_bad_file_is_refused_whole(
    db: Database, tmp_path: Path, features: list[tuple[str, list[object]]], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        import_outlines(db, _geojson(tmp_path, features))
    assert _count(db) == 0


def test_an_oversized_or_binary_file_is_refused(db: Database, tmp_path: Path) -> None:
    big = tmp_path / "big.geojson"
    big.write_bytes(b" " * (6 * 1024 * 1024))
    with pytest.raises(ValidationError, match="trop volumineux"):
        import_outlines(db, big)
    png = tmp_path / "image.geojson"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    with pytest.raises(ValidationError, match="pas un fichier texte"):
        import_outlines(db, png)


def test_open_data_route_serves_csv_under_the_open_licence(db: Database, edition: EditionView) -> None:
    populate(db, edition, {LILLE: 20})
    settings = Settings(database_url=db.url, cookie_secret="x" * 40)
    with TestClient(Starlette(routes=OpenData(lambda: db, settings).routes())) as client:
        response = client.get("/donnees-ouvertes/territoires.csv")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert "Licence Ouverte" in response.text
        assert f"commune,{LILLE},Lille,20" in response.text
        assert client.get("/donnees-ouvertes/inconnu.csv").status_code == 404


def test_open_data_follows_every_write_at_once_and_answers_304_to_the_same_version(
    db: Database, edition: EditionView
) -> None:
    """The files are rebuilt when the edition's generation moves (here: an erasure made outside
    this route's process-wide cache), never served stale; a client holding the current version
    gets 304 without the file."""
    populate(db, edition, {LILLE: 20})
    settings = Settings(database_url=db.url, cookie_secret="x" * 40)
    with TestClient(Starlette(routes=OpenData(lambda: db, settings).routes())) as client:
        first = client.get("/donnees-ouvertes/territoires.csv")
        assert f"commune,{LILLE},Lille,20," in first.text
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == "public, no-cache"  # kept, but asked again
        same = client.get("/donnees-ouvertes/territoires.csv", headers={"If-None-Match": etag})
        assert (same.status_code, same.content) == (304, b"")
        gzipped = client.get("/donnees-ouvertes/territoires.csv", headers={"If-None-Match": f"W/{etag}"})
        assert gzipped.status_code == 304  # the weak form web.compression gives a gzipped body
        with db.read() as session:
            account_id = session.scalars(select(Household.account_id).order_by(Household.id)).first()
        assert account_id is not None
        delete_account(db, account_id, "SUPPRIMER")
        after = client.get("/donnees-ouvertes/territoires.csv", headers={"If-None-Match": etag})
        assert after.status_code == 200
        assert f"commune,{LILLE},Lille,19," in after.text  # the erased household is not counted
        assert after.headers["etag"] != etag
        other = client.get("/donnees-ouvertes/categories.csv", headers={"If-None-Match": etag})
        assert other.status_code == 200  # a version names one file: no 304 for another one


def test_export_opendata_command_writes_the_same_files(
    db: Database, edition: EditionView, tmp_path: Path
) -> None:
    populate(db, edition, {LILLE: 20})
    result = subprocess.run(
        [sys.executable, "-m", "challenge", "export-opendata", "--out", str(tmp_path)],
        env={"DATABASE_URL": db.url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert {p.name for p in tmp_path.glob("*.csv")} == {
        "territoires.csv",
        "categories.csv",
        "alternatives.csv",
    }
    assert f"commune,{LILLE},Lille,20" in (tmp_path / "territoires.csv").read_text()


def test_a_deeply_nested_geojson_is_refused_with_a_clear_message(db: Database, tmp_path: Path) -> None:
    nested = tmp_path / "nested.geojson"
    depth = 100_000
    geometry = '{"type": "Polygon", "coordinates": ' + "[" * depth + "]" * depth + "}"
    nested.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "59"}, '
        f'"geometry": {geometry}}}]}}'
    )
    with pytest.raises(ValidationError, match="trop imbriquée"):
        import_outlines(db, nested)


FIXTURES = Path(__file__).parents[1] / "fixtures" / "outlines"


def test_the_three_admin_express_layers_import_at_their_levels(db: Database) -> None:
    """COMMUNE (INSEE_COM, also SIREN_EPCI and INSEE_DEP), EPCI (CODE_SIREN), DEPARTEMENT (INSEE_DEP),
    converted to GeoJSON as docs/maps.md says: each feature lands at its own level."""
    for layer, count in (("commune", 5), ("epci", 1), ("departement", 1)):
        assert import_outlines(db, FIXTURES / f"{layer}.geojson") == count
    with db.read() as session:
        keys = {
            (level, code)
            for level, code in session.execute(select(TerritoryOutline.level, TerritoryOutline.code))
        }
    assert keys == {
        ("commune", "59350"),
        ("commune", "59009"),
        ("commune", "59378"),
        ("commune", "59512"),
        ("commune", "59599"),
        ("epci", "200093201"),
        ("departement", "59"),
    }
