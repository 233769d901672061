"""Finding a commune as people type it: accents, case, hyphens, "st" and postal codes do not matter."""

import csv

import pytest

from challenge.territories.referential import TERRITORIES_DIR
from challenge.territories.search import CommuneEntry, find_communes


@pytest.fixture(scope="module")
def communes() -> list[CommuneEntry]:
    with (TERRITORIES_DIR / "communes.csv").open(encoding="utf-8", newline="") as handle:
        return [
            CommuneEntry.of(row["insee_code"], row["name"], row["postal_codes"], int(row["population"]))
            for row in csv.DictReader(handle)
        ]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("henin beaumont", "Hénin-Beaumont (62110)"),
        ("henin", "Hénin-Beaumont (62110)"),  # the most populous of the names starting so
        ("HENIN-BEAUMONT", "Hénin-Beaumont (62110)"),
        ("Hénin Beaumont", "Hénin-Beaumont (62110)"),
        ("62110", "Hénin-Beaumont (62110)"),
        ("st omer", "Saint-Omer (62500)"),
        ("saint-omer", "Saint-Omer (62500)"),
        ("villeneuve d'ascq", "Villeneuve-d'Ascq (59491)"),
        ("villeneuve dascq", None),
        ("lille", "Lille (59000)"),
        ("59160", "Lille (59000)"),  # Lomme's postal code, a part of Lille
        ("xyzzy", None),
        ("   ", None),
    ],
)
def test_the_best_match_comes_first(communes: list[CommuneEntry], typed: str, first: str | None) -> None:
    found = find_communes(communes, typed)
    assert (found[0].label if found else None) == first


def test_an_exact_name_comes_before_longer_names_and_results_are_few(communes: list[CommuneEntry]) -> None:
    found = find_communes(communes, "saint omer")
    assert [c.name for c in found[:3]] == [
        "Saint-Omer",
        "Saint-Omer-en-Chaussée",
        "Saint-Omer-Capelle",
    ]  # by population
    assert len(find_communes(communes, "saint")) == 6
