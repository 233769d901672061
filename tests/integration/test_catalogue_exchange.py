"""Catalogue import/export: lossless round trip, preview equals what is applied, broken files refused."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from challenge.catalogue.diff import diff
from challenge.catalogue.files import CATALOGUE_DIR, read_catalogue
from challenge.catalogue.snapshot import from_database, from_files
from challenge.core.errors import ValidationError
from challenge.curation.exchange import apply_import, export_csv, export_yaml, preview_import
from challenge.curation.lifecycle import set_retired
from challenge.infra.db import Database
from challenge.models import Alternative
from tests.support.catalogue import organiser_identity, pristine_catalogue  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("pristine_catalogue")


def _exported(db: Database) -> dict[str, str]:
    with db.read() as session:
        return export_yaml(from_database(session))


def _as_uploads(files: dict[str, str]) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in files.items()}


def _without(text: str, slug: str) -> str:
    start = text.index(f"- slug: {slug}\n")
    end = text.index("\n- slug:", start) + 1
    return text[:start] + text[end:]


NEW_ALTERNATIVE = """- slug: velo-coop-lille
  name: Vélo Coop Lille
  url: https://velo-coop.exemple.fr/
  description: Coopérative de vélos partagés de la métropole lilloise.
  kind: cooperative
  ethics: [ess-governance]
  effort: easy
  cost: paid
  replaces: [uber]
  availability:
    epci: ['200093201']
  sources:
  - url: https://velo-coop.exemple.fr/statuts
    kind: statutes
    note: Statuts de la SCIC
  last_checked: 2026-01-15
"""


def test_the_shipped_catalogue_survives_a_round_trip(db: Database) -> None:
    files = _exported(db)
    with db.read() as session:
        assert from_files(read_catalogue(CATALOGUE_DIR)) == from_database(session)
    preview = preview_import(db, _as_uploads(files))
    assert preview.changes.is_empty
    applied = apply_import(db, organiser_identity(), preview)
    assert applied.is_empty
    assert _exported(db) == files


def test_a_retired_entry_stays_retired_through_a_round_trip(db: Database) -> None:
    set_retired(db, organiser_identity(), "alternative", "tuta", True)
    with db.read() as session:
        before = from_database(session)
    assert preview_import(db, _as_uploads(_exported(db))).changes.is_empty
    with db.read() as session:
        assert from_database(session) == before


def test_the_applied_import_is_exactly_the_preview(db: Database) -> None:
    files = _exported(db)
    alternatives = files["alternatives.yaml"].replace("name: Proton Mail\n", "name: Proton Mail (Suisse)\n")
    alternatives = _without(alternatives, "tuta") + NEW_ALTERNATIVE
    categories = files["categories.yaml"].replace("name_en: E-mail\n", "name_en: Email\n")
    uploads = _as_uploads({"alternatives.yaml": alternatives, "categories.yaml": categories})
    with db.read() as session:
        before = from_database(session)

    preview = preview_import(db, uploads)
    added = [(c.kind, c.slug) for c in preview.changes.of("added")]
    changed = {(c.kind, c.slug): c.fields for c in preview.changes.of("changed")}
    retired = [(c.kind, c.slug) for c in preview.changes.of("retired")]
    assert added == [("alternative", "velo-coop-lille")]
    assert retired == [("alternative", "tuta")]
    assert [(f.field, f.before, f.after) for f in changed["alternative", "proton-mail"]] == [
        ("name", "Proton Mail", "Proton Mail (Suisse)")
    ]
    assert [(f.field, f.after) for f in changed["category", "email"]] == [("name_en", "Email")]

    applied = apply_import(db, organiser_identity(), preview)
    with db.read() as session:
        after = from_database(session)
        assert session.get_one(Alternative, "tuta").retired_at is not None
    assert applied == preview.changes
    assert diff(before, after) == preview.changes
    assert preview_import(db, uploads).changes.is_empty  # applying twice changes nothing more


def test_a_broken_row_refuses_the_whole_import(db: Database) -> None:
    files = _exported(db)
    broken = files["alternatives.yaml"].replace("name: Proton Mail\n", "name: Changed\n")
    broken = broken.replace("effort: easy", "effort: sometimes", 1)
    line = broken[: broken.index("effort: sometimes")].count("\n")  # the entry starts a few lines above
    with pytest.raises(
        ValidationError, match=r"alternatives\.yaml, ligne \d+ : « effort » vaut 'sometimes'"
    ) as error:
        preview_import(db, _as_uploads({"alternatives.yaml": broken}))
    reported = int(error.value.message.split("ligne ")[1].split(" ")[0])
    assert 0 < line - reported < 12
    with db.read() as session:
        assert session.get_one(Alternative, "proton-mail").name == "Proton Mail"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("alternatives.yaml", "alternatives: [\n", "YAML illisible"),
        ("alternatives.yaml", "\x00binary", "pas un fichier texte"),
        ("notes.txt", "hello", "Fichier inattendu"),
    ],
)
def test_unreadable_files_are_refused(db: Database, name: str, content: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        preview_import(db, {name: content.encode()})


def test_an_unknown_territory_is_refused_with_its_line(db: Database) -> None:
    text = _exported(db)["alternatives.yaml"] + NEW_ALTERNATIVE.replace("200093201", "999999999")
    with pytest.raises(ValidationError, match=r"ligne \d+ : territoire inconnu \(epci 999999999\)"):
        preview_import(db, {"alternatives.yaml": text.encode()})


def test_an_import_previewed_before_another_change_is_refused(db: Database) -> None:
    files = _exported(db)
    text = files["alternatives.yaml"].replace("name: Proton Mail\n", "name: Proton\n")
    preview = preview_import(db, {"alternatives.yaml": text.encode()})
    set_retired(db, organiser_identity(), "alternative", "posteo", True)
    with pytest.raises(ValidationError, match="a changé depuis l'aperçu"):
        apply_import(db, organiser_identity(), preview)
    with db.read() as session:
        assert session.get_one(Alternative, "proton-mail").name == "Proton Mail"


def test_the_csv_export_has_one_row_per_active_alternative(db: Database) -> None:
    with db.read() as session:
        snapshot = from_database(session)
    rows = list(csv.DictReader(io.StringIO(export_csv(snapshot))))
    assert len(rows) == len(snapshot.active("alternative"))
    lille_bike = next(r for r in rows if r["slug"] == "lille-bike")
    assert lille_bike["availability"] == "epci:200093201"
    assert date.fromisoformat(lille_bike["last_checked"])


def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    lines.append(f"alternatives: [{{slug: bomb, name: bomb, url: *a{levels - 1}}}]")
    return "\n".join(lines) + "\n"


def test_a_yaml_bomb_is_refused_at_once_with_a_short_message(db: Database) -> None:
    bomb = _bomb()
    assert len(bomb) < 800
    with pytest.raises(ValidationError) as error:
        preview_import(db, {"alternatives.yaml": bomb.encode()})
    assert "ancre (&) ou alias (*) à la ligne 1" in error.value.message
    assert len(error.value.message) < 300


def test_no_error_message_grows_with_the_values_sent(db: Database) -> None:
    text = _exported(db)["alternatives.yaml"]
    huge = "x" * 10_000
    broken = text.replace("effort: easy", f"effort: {huge}").replace("kind: official", f"kind: {huge}")
    with pytest.raises(ValidationError) as error:
        preview_import(db, {"alternatives.yaml": broken.encode()})
    assert "xxxxxxxx" in error.value.message
    assert len(error.value.message) < 25 * 300  # at most 20 problems listed, each bounded
