"""Build the Hauts-de-France (région 32) territory referential shipped with the app.

The inputs are the JSON files of the npm package
``@etalab/decoupage-administratif`` 6.0.0: INSEE COG 2026, DGCL EPCI 2026 and
INSEE 2023 populations, under the Licence Ouverte 2.0. To rebuild, run from the
repository root:

    npm install --prefix /tmp/decoupage @etalab/decoupage-administratif@6.0.0
    python scripts/build_territories.py \
        /tmp/decoupage/node_modules/@etalab/decoupage-administratif/data \
        data/territories

The script writes regions.csv, departements.csv, epci.csv and communes.csv,
sorted by code, in UTF-8 with "\\n" line endings. The output is deterministic.
It first checks the known sanity figures. If one of them does not hold, it
writes nothing and exits with status 1.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

REGION_CODE = "32"
EXPECTED_COMMUNES = {"02": 797, "59": 647, "60": 680, "62": 887, "80": 771}
EXPECTED_EPCI_COUNT = 92
MEL_SIREN = "200093201"
EXPECTED_MEL = (95, 1_195_234)  # (member communes, population)
EXPECTED_REGION_POPULATION = 5_992_194

# The package's EPCI "type" values, mapped to the natures the app uses.
NATURES = {"CC": "CC", "CA": "CA", "CU": "CU", "METRO": "METRO", "MET69": "METRO"}


def load(data_dir: Path, name: str) -> list[dict]:
    """Load one JSON file of the package."""
    with (data_dir / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def current_communes(communes: list[dict]) -> dict[str, dict]:
    """Index all current communes (every région) by INSEE code."""
    return {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}


def epci_of_communes(epcis: list[dict]) -> dict[str, dict]:
    """Map each member commune's INSEE code to its EPCI, refusing duplicates."""
    index: dict[str, dict] = {}
    for epci in epcis:
        for member in epci["membres"]:
            if member["code"] in index:
                sys.exit(f"error: commune {member['code']} is in several EPCI")
            index[member["code"]] = epci
    return index


def commune_rows(communes: dict[str, dict], epci_index: dict[str, dict]) -> list[list]:
    """Build communes.csv rows for the current communes of the région."""
    rows = []
    for code, commune in sorted(communes.items()):
        if commune.get("region") != REGION_CODE:
            continue
        if code not in epci_index:
            sys.exit(f"error: commune {code} ({commune['nom']}) has no EPCI")
        rows.append(
            [
                code,
                commune["nom"],
                commune["departement"],
                epci_index[code]["code"],
                commune["population"],
                " ".join(commune["codesPostaux"]),
            ]
        )
    return rows


def epci_rows(epcis: list[dict], communes: dict[str, dict], sirens: set[str]) -> list[list]:
    """Build epci.csv rows; population sums all members, in or out of the région."""
    rows = []
    for epci in sorted(epcis, key=lambda e: e["code"]):
        if epci["code"] not in sirens:
            continue
        if epci["type"] not in NATURES:
            sys.exit(f"error: unknown EPCI type {epci['type']!r} for {epci['code']}")
        population = sum(communes[m["code"]]["population"] for m in epci["membres"])
        rows.append([epci["code"], epci["nom"], NATURES[epci["type"]], population])
    return rows


def check(communes: list[list], epcis: list[list]) -> list[str]:
    """Return the list of failed sanity checks (empty when all hold)."""
    errors = []
    per_dept = dict(sorted(Counter(row[2] for row in communes).items()))
    if per_dept != EXPECTED_COMMUNES:
        errors.append(f"communes per département {per_dept} != {EXPECTED_COMMUNES}")
    if len(epcis) != EXPECTED_EPCI_COUNT:
        errors.append(f"{len(epcis)} EPCI instead of {EXPECTED_EPCI_COUNT}")
    mel_members = [row for row in communes if row[3] == MEL_SIREN]
    mel_population = sum(row[3] for row in epcis if row[0] == MEL_SIREN)
    if (len(mel_members), mel_population) != EXPECTED_MEL:
        errors.append(
            f"MEL (communes, population) = {(len(mel_members), mel_population)} instead of {EXPECTED_MEL}"
        )
    region_population = sum(row[4] for row in communes)
    if region_population != EXPECTED_REGION_POPULATION:
        errors.append(f"région population {region_population} instead of {EXPECTED_REGION_POPULATION}")
    return errors


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    """Write one CSV file with a header row, UTF-8 and "\\n" line endings."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(data_dir: Path, out_dir: Path) -> None:
    """Read the package data, check it, then write the four CSV files."""
    communes = current_communes(load(data_dir, "communes.json"))
    epcis = load(data_dir, "epci.json")
    communes_out = commune_rows(communes, epci_of_communes(epcis))
    epci_out = epci_rows(epcis, communes, {row[3] for row in communes_out})
    errors = check(communes_out, epci_out)
    if errors:
        sys.exit("error: sanity checks failed:\n  " + "\n  ".join(errors))
    departements = sorted(
        [d["code"], d["nom"], d["region"]]
        for d in load(data_dir, "departements.json")
        if d["region"] == REGION_CODE
    )
    regions = [[r["code"], r["nom"]] for r in load(data_dir, "regions.json") if r["code"] == REGION_CODE]
    write_all(out_dir, regions, departements, epci_out, communes_out)


def write_all(
    out_dir: Path, regions: list[list], departements: list[list], epcis: list[list], communes: list[list]
) -> None:
    """Write the four CSV files into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "regions.csv", ["code", "name"], regions)
    write_csv(out_dir / "departements.csv", ["code", "name", "region_code"], departements)
    write_csv(out_dir / "epci.csv", ["siren", "name", "nature", "population"], epcis)
    write_csv(
        out_dir / "communes.csv",
        ["insee_code", "name", "departement_code", "epci_siren", "population", "postal_codes"],
        communes,
    )


def main(argv: list[str]) -> int:
    """Parse the command line and run the build."""
    if len(argv) != 3:
        print(f"usage: {argv[0]} PACKAGE_DATA_DIR OUTPUT_DIR", file=sys.stderr)
        return 2
    build(Path(argv[1]), Path(argv[2]))
    print(f"wrote 4 CSV files to {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
