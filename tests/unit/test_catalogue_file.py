"""Validation of the catalogue files: the shipped ones pass, broken ones name file and line."""

import shutil
from pathlib import Path

import pytest

from challenge.catalogue.files import CATALOGUE_DIR, read_catalogue
from challenge.core.errors import ReferenceDataError

APES_ALTERNATIVES = {
    "mobicoop",
    "tipimi",
    "lecourtcircuit",
    "lille-bike",
    "coopcycle",
    "les-oiseaux-de-passage",
}


def test_shipped_catalogue_is_valid_and_rich() -> None:
    data = read_catalogue()
    assert len(data.alternatives) >= 60
    assert len(data.categories) >= 14
    slugs = {a["slug"] for a in data.alternatives}
    assert {s for s in APES_ALTERNATIVES if any(slug.startswith(s) for slug in slugs)} == APES_ALTERNATIVES


def test_every_service_has_an_alternative() -> None:
    data = read_catalogue()
    replaced = {s for a in data.alternatives for s in a["replaces"]}
    assert {s["slug"] for s in data.services} <= replaced


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, folder)
    return folder


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_missing_field_names_file_and_line(catalogue: Path) -> None:
    path = catalogue / "alternatives.yaml"
    line = _line_of(path, "- slug: qwant")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    description = next(i for i in range(line, len(lines)) if lines[i].startswith("  description:"))
    path.write_text("".join(lines[:description] + lines[description + 1 :]), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as error:
        read_catalogue(catalogue)
    assert f"alternatives.yaml, ligne {line} : champ « description » manquant" in str(error.value)


def test_unknown_category_is_refused_with_its_line(catalogue: Path) -> None:
    path = catalogue / "services.yaml"
    line = _line_of(path, "slug: gmail")
    _replace(path, "category: email", "category: courrier")
    with pytest.raises(
        ReferenceDataError, match=rf"services.yaml, ligne {line} : catégorie inconnue : 'courrier'"
    ):
        read_catalogue(catalogue)


def test_unknown_replaced_service_and_bad_effort_are_both_reported(catalogue: Path) -> None:
    path = catalogue / "alternatives.yaml"
    _replace(path, "effort: easy", "effort: trivial")
    _replace(path, "replaces: [google-search", "replaces: [gogle-search")
    with pytest.raises(ReferenceDataError) as error:
        read_catalogue(catalogue)
    assert "trivial" in str(error.value)
    assert "gogle-search" in str(error.value)


def test_duplicate_slug_is_refused(catalogue: Path) -> None:
    path = catalogue / "categories.yaml"
    _replace(path, "slug: email", "slug: web-search")
    with pytest.raises(ReferenceDataError, match="en double"):
        read_catalogue(catalogue)


def test_invalid_yaml_names_the_file(catalogue: Path) -> None:
    (catalogue / "categories.yaml").write_text("categories: [\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"categories\.yaml : YAML invalide"):
        read_catalogue(catalogue)


PHISHING_URL = "https://ok.example/)![x](http://evil.example/s.png)[Connexion](http://evil.example/p"


def test_an_address_that_would_forge_a_markdown_link_is_refused(catalogue: Path) -> None:
    path = catalogue / "alternatives.yaml"
    _replace(path, "url: https://www.qwant.com/", f"url: '{PHISHING_URL}'")
    _replace(path, "- url: https://about.qwant.com/legal/confidentialite/", f"- url: '{PHISHING_URL}'")
    with pytest.raises(ReferenceDataError) as error:
        read_catalogue(catalogue)
    assert "« url » invalide" in str(error.value)
    assert "chaque source doit avoir une « url » https:// valide" in str(error.value)
    with pytest.raises(ReferenceDataError, match="url"):
        read_catalogue(catalogue)
