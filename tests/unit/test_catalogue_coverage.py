"""Coverage and sourcing of the shipped catalogue.

An alternative counts as *local* for a département when its availability lists that
département, an EPCI whose communes lie (at least partly) in it, or one of its communes.
Region-wide entries (``regions: ['32']``) are available everywhere in the region but are
not counted as local: the point is that every département has services actually rooted
in its territory, not only regional portals.
"""

import csv
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from challenge.catalogue.files import CATALOGUE_DIR, SOURCE_KINDS, read_catalogue
from challenge.core.errors import ReferenceDataError
from challenge.infra.config import PROJECT_ROOT

TERRITORIES = PROJECT_ROOT / "data" / "territories"
DEPARTEMENTS = ("02", "59", "60", "62", "80")
REQUIRED_SLUGS = {"rustine-libre", "ebs-echange-biens-services", "nosdeclics"}


def _rows(name: str) -> list[dict[str, str]]:
    with (TERRITORIES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def alternatives() -> list[dict[str, Any]]:
    return read_catalogue().alternatives


@pytest.fixture(scope="module")
def referential() -> dict[str, Any]:
    communes = _rows("communes.csv")
    departements_of_epci: dict[str, set[str]] = defaultdict(set)
    for commune in communes:
        departements_of_epci[commune["epci_siren"]].add(commune["departement_code"])
    return {
        "communes": {c["insee_code"]: c["departement_code"] for c in communes},
        "epci": {e["siren"] for e in _rows("epci.csv")},
        "departements_of_epci": departements_of_epci,
        "departements": {d["code"] for d in _rows("departements.csv")},
        "regions": {r["code"] for r in _rows("regions.csv")},
    }


def _areas(alternative: dict[str, Any]) -> dict[str, list[str]]:
    availability = alternative["availability"]
    if availability == "national":
        return {}
    return {key: [str(code) for code in codes] for key, codes in availability.items() if key != "__line__"}


def _local_departements(alternative: dict[str, Any], referential: dict[str, Any]) -> set[str]:
    areas = _areas(alternative)
    found = set(areas.get("departements", []))
    found |= {referential["communes"][code] for code in areas.get("communes", [])}
    for siren in areas.get("epci", []):
        found |= referential["departements_of_epci"][siren]
    return found


def test_catalogue_is_large_and_local_enough(alternatives: list[dict[str, Any]]) -> None:
    assert len(alternatives) >= 120
    assert sum(a["availability"] != "national" for a in alternatives) >= 40


def test_every_departement_has_local_alternatives(
    alternatives: list[dict[str, Any]], referential: dict[str, Any]
) -> None:
    per_departement = {
        code: sorted(a["slug"] for a in alternatives if code in _local_departements(a, referential))
        for code in DEPARTEMENTS
    }
    assert {code: slugs for code, slugs in per_departement.items() if len(slugs) < 3} == {}


def test_every_availability_code_exists(
    alternatives: list[dict[str, Any]], referential: dict[str, Any]
) -> None:
    known = {
        "communes": set(referential["communes"]),
        "epci": referential["epci"],
        "departements": referential["departements"],
        "regions": referential["regions"],
    }
    unknown = [
        (a["slug"], level, code)
        for a in alternatives
        for level, codes in _areas(a).items()
        for code in codes
        if code not in known[level]
    ]
    assert unknown == []


def test_every_alternative_has_a_primary_source(alternatives: list[dict[str, Any]]) -> None:
    assert all(source["kind"] in SOURCE_KINDS for a in alternatives for source in a["sources"])
    assert [a["slug"] for a in alternatives if all(s["kind"] == "press" for s in a["sources"])] == []


def test_coopcycle_is_only_where_a_member_cooperative_delivers(alternatives: list[dict[str, Any]]) -> None:
    coopcycle = next(a for a in alternatives if a["slug"] == "coopcycle")
    assert coopcycle["availability"] != "national"


def test_regional_platforms_from_the_issue_are_listed(alternatives: list[dict[str, Any]]) -> None:
    assert {a["slug"] for a in alternatives} >= REQUIRED_SLUGS


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, folder)
    return folder


def _first_sources_block(path: Path) -> tuple[int, int, list[str]]:
    """(line of the qwant entry, index of its first source line, all lines)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    entry = next(i for i, line in enumerate(lines) if line.startswith("- slug: qwant"))
    first = next(i for i in range(entry, len(lines)) if lines[i].startswith("  - url:"))
    return entry + 1, first, lines


def test_source_without_kind_is_refused(catalogue: Path) -> None:
    path = catalogue / "alternatives.yaml"
    line, first, lines = _first_sources_block(path)
    assert lines[first + 1].startswith("    kind:")
    path.write_text("".join(lines[: first + 1] + lines[first + 2 :]), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as error:
        read_catalogue(catalogue)
    assert f"alternatives.yaml, ligne {line} : chaque source doit avoir un « kind »" in str(error.value)


def test_alternative_with_only_press_sources_is_refused(catalogue: Path) -> None:
    path = catalogue / "alternatives.yaml"
    line, first, lines = _first_sources_block(path)
    assert lines[first + 1] == "    kind: official\n"
    lines[first + 1] = "    kind: press\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as error:
        read_catalogue(catalogue)
    assert f"alternatives.yaml, ligne {line} : au moins une source primaire est requise" in str(error.value)
