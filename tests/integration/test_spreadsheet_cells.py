"""No text we write to a CSV or XLSX file runs as a formula in a spreadsheet (CSV injection)."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from challenge.catalogue.snapshot import from_database
from challenge.core.spreadsheets import inert_cell
from challenge.curation.exchange import export_csv
from challenge.households import rights
from challenge.infra.db import Database
from challenge.models import Alternative
from challenge.statistics import exports, opendata
from challenge.teams import membership
from tests.conftest import Member
from tests.support.catalogue import pristine_catalogue  # noqa: F401 - fixture

FORMULA = '=HYPERLINK("http://evil.example","clic")'


@pytest.mark.parametrize("text", [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_starting_a_formula_gets_a_leading_quote(text: str) -> None:
    assert inert_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Les Colibris", "", -3, 2.5, None, "a=b"])
def test_other_values_are_written_as_they_are(value: object) -> None:
    assert inert_cell(value) == value


def test_a_team_name_formula_is_inert_in_every_members_data_export(db: Database, member: Member) -> None:
    membership.create_team(db, member.household_id, FORMULA)
    with db.read() as session:
        archive = zipfile.ZipFile(
            io.BytesIO(rights.to_csv_zip(rights.export_account(session, member.account_id)))
        )
    cells = [
        cell
        for name in archive.namelist()
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
        for cell in row
    ]
    assert "'" + FORMULA in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_council_downloads_and_open_data_write_inert_text_and_real_numbers() -> None:
    frame = pd.DataFrame({"territoire": [FORMULA, "Lille"], "foyers": [-3, 12]})
    for written in (exports.to_csv(frame).decode("utf-8-sig"), opendata.to_csv_bytes(frame).decode()):
        rows = list(csv.reader(io.StringIO(written)))
        assert rows[1] == ["'" + FORMULA, "-3"]
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(frame))).active
    assert sheet is not None
    assert sheet["A2"].value == "'" + FORMULA
    assert sheet["B2"].value == -3


@pytest.mark.usefixtures("pristine_catalogue")
def test_the_catalogue_export_writes_inert_text(db: Database) -> None:
    with db.write() as session:
        alternative = session.get(Alternative, "qwant")
        assert alternative is not None
        alternative.name = FORMULA
    with db.read() as session:
        rows = list(csv.DictReader(io.StringIO(export_csv(from_database(session)))))
    assert next(row for row in rows if row["slug"] == "qwant")["name"] == "'" + FORMULA
