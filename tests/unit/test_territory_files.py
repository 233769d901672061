"""Checks on the shipped Hauts-de-France territory CSV files (data/territories)."""

import csv
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "territories"

EXPECTED_PER_DEPARTEMENT = {"02": 797, "59": 647, "60": 680, "62": 887, "80": 771}
MEL_SIREN = "200093201"


def read_rows(name: str) -> list[dict[str, str]]:
    """Read one CSV file of the referential as a list of dicts."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def communes() -> list[dict[str, str]]:
    """Rows of communes.csv."""
    return read_rows("communes.csv")


@pytest.fixture(scope="module")
def epci() -> list[dict[str, str]]:
    """Rows of epci.csv."""
    return read_rows("epci.csv")


@pytest.fixture(scope="module")
def departements() -> list[dict[str, str]]:
    """Rows of departements.csv."""
    return read_rows("departements.csv")


def test_commune_counts_per_departement(communes):
    assert len(communes) == 3782
    assert dict(Counter(c["departement_code"] for c in communes)) == EXPECTED_PER_DEPARTEMENT


def test_epci_count(epci):
    assert len(epci) == 92
    assert len({e["siren"] for e in epci}) == 92


def test_region_file():
    assert read_rows("regions.csv") == [{"code": "32", "name": "Hauts-de-France"}]


def test_departements_belong_to_region(departements):
    assert {d["code"] for d in departements} == set(EXPECTED_PER_DEPARTEMENT)
    assert {d["region_code"] for d in departements} == {"32"}


def test_commune_references_exist(communes, epci, departements):
    sirens = {e["siren"] for e in epci}
    dept_codes = {d["code"] for d in departements}
    assert {c["epci_siren"] for c in communes} <= sirens
    assert {c["departement_code"] for c in communes} <= dept_codes


def test_every_epci_has_a_member_commune(communes, epci):
    assert {c["epci_siren"] for c in communes} == {e["siren"] for e in epci}


def test_mel(communes, epci):
    members = [c for c in communes if c["epci_siren"] == MEL_SIREN]
    (mel,) = [e for e in epci if e["siren"] == MEL_SIREN]
    assert len(members) == 95
    assert int(mel["population"]) == 1_195_234
    assert mel["nature"] == "METRO"


def test_region_population(communes):
    assert sum(int(c["population"]) for c in communes) == 5_992_194


def test_insee_codes_unique_and_five_characters(communes):
    codes = [c["insee_code"] for c in communes]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 5 for code in codes)
    assert all(code.startswith(c["departement_code"]) for code, c in zip(codes, communes, strict=False))


def test_no_empty_names(communes, epci, departements):
    for rows in (communes, epci, departements, read_rows("regions.csv")):
        assert all(row["name"].strip() for row in rows)


def test_epci_natures(epci):
    assert {e["nature"] for e in epci} <= {"CC", "CA", "CU", "METRO"}


def test_postal_codes_well_formed(communes):
    for commune in communes:
        codes = commune["postal_codes"].split(" ")
        assert codes
        assert all(len(code) == 5 and code.isdigit() for code in codes)
