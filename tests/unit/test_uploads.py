"""Uploads are limited in size and checked by content, whatever their name says."""

import pytest

from challenge.core.errors import ValidationError
from challenge.infra.uploads import read_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize("kind", ["yaml", "csv", "geojson"])
def test_an_image_renamed_as_text_is_refused(kind: str) -> None:
    with pytest.raises(ValidationError, match="n'est pas un fichier texte"):
        read_upload(PNG, kind)  # type: ignore[arg-type]


def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(ValidationError, match="trop volumineux"):
        read_upload(b"a,b\n" + b"1,2\n" * 100, "csv", max_bytes=100)


def test_non_utf8_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="UTF-8"):
        read_upload("nom\nCafé".encode("latin-1"), "csv")


def test_valid_files_are_parsed() -> None:
    assert read_upload("\ufeffcode,nom\n59350,Lille\n".encode(), "csv") == [{"code": "59350", "nom": "Lille"}]
    assert read_upload(b"alternatives: []\n", "yaml") == {"alternatives": []}
    geo = b'{"type": "FeatureCollection", "features": []}'
    assert read_upload(geo, "geojson")["type"] == "FeatureCollection"


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (b'{"type": "Feature"}', "geojson", "FeatureCollection"),
        (b"{oops", "geojson", "illisible"),
        (b"- a\n- b\n", "yaml", "des clés"),
        (b"", "csv", "en-têtes"),
    ],
)
def test_wrong_content_gets_a_french_message(data: bytes, kind: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        read_upload(data, kind)  # type: ignore[arg-type]
