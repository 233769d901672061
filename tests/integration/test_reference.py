"""Loading reference data: idempotent, updates without losing choices, refuses bad files whole."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from challenge.catalogue.files import CATALOGUE_DIR
from challenge.cli.reference import load_reference
from challenge.core.errors import ReferenceDataError
from challenge.households.profile import save_service_plan, service_plan
from challenge.infra.db import Database
from challenge.models import Alternative, Commune, Epci
from tests.conftest import Member


@pytest.fixture
def catalogue(tmp_path: Path, db: Database) -> Path:
    """A copy of the catalogue to edit; the real one is loaded back afterwards."""
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, folder)
    yield folder
    load_reference(db)


def test_territories_match_the_referential(db: Database) -> None:
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Commune)) == 3782
        assert session.scalar(select(func.count()).select_from(Epci)) == 92
        mel = session.scalar(
            select(func.count()).select_from(Commune).where(Commune.epci_siren == "200093201")
        )
    assert mel == 95


def test_loading_twice_changes_nothing(db: Database) -> None:
    reports = load_reference(db)
    assert all(r.added == 0 and r.updated == 0 for r in reports.values())


def test_updated_catalogue_updates_rows_and_keeps_households_choices(
    db: Database, member: Member, catalogue: Path
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
    path = catalogue / "alternatives.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Proton Mail", "name: Proton Mail (Suisse)"),
        encoding="utf-8",
    )
    reports = load_reference(db, catalogue=catalogue)
    assert reports["catalogue"].updated == 1
    with db.read() as session:
        assert session.get_one(Alternative, "proton-mail").name == "Proton Mail (Suisse)"
        assert service_plan(session, member.household_id) == {"gmail": ["proton-mail"]}


def test_alternative_removed_from_the_file_is_retired_not_deleted(
    db: Database, member: Member, catalogue: Path
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["tuta"]})
    path = catalogue / "alternatives.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- slug: tuta\n")
    end = text.index("\n- slug:", start) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    load_reference(db, catalogue=catalogue)
    with db.read() as session:
        assert session.get_one(Alternative, "tuta").retired_at is not None
        assert service_plan(session, member.household_id) == {"gmail": ["tuta"]}


def test_invalid_catalogue_changes_nothing(db: Database, catalogue: Path) -> None:
    path = catalogue / "alternatives.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("name: Proton Mail", "name: Changed", 1)
        .replace("effort: easy", "effort: ???", 1),
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match=r"alternatives\.yaml, ligne"):
        load_reference(db, catalogue=catalogue)
    with db.read() as session:
        assert session.get_one(Alternative, "proton-mail").name == "Proton Mail"


def test_unknown_territory_code_is_refused_with_its_line(db: Database, catalogue: Path) -> None:
    path = catalogue / "alternatives.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("epci: ['200093201']", "epci: ['999999999']", 1), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"ligne \d+ : territoire inconnu \(epci 999999999\)"):
        load_reference(db, catalogue=catalogue)
