"""Export and import of the catalogue in the files' own format (data/catalogue/*.yaml), and CSV.

Export writes the active catalogue as the three YAML files; importing them back changes nothing.
An import is previewed first (added, changed field by field, retired); applying it re-checks that
the catalogue still gives that very preview, so what is applied is what was shown. A file with a
broken entry refuses the whole import, naming the file, the line and the reason.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from challenge.accounts import audit
from challenge.accounts.sessions import Identity
from challenge.catalogue.browse import check_area_codes
from challenge.catalogue.diff import CatalogueDiff, diff
from challenge.catalogue.files import CatalogueData, read_catalogue
from challenge.catalogue.snapshot import Snapshot, from_database, from_files
from challenge.catalogue.write import write_diff
from challenge.core.errors import ReferenceDataError, ValidationError
from challenge.core.i18n import _
from challenge.core.spreadsheets import inert_row
from challenge.counts import upkeep
from challenge.infra.db import Database
from challenge.infra.uploads import read_upload

FILES = {"categories.yaml": "categories", "services.yaml": "services", "alternatives.yaml": "alternatives"}
HEADER = "# Défi Zéro Gafam — catalogue {key}. Licence: CC BY-SA 4.0 (catalogue content).\n"
ALTERNATIVE_FIELDS = ("name", "url", "description", "kind", "ethics", "effort", "cost", "replaces")


class _Dumper(yaml.SafeDumper):
    """Like the files in data/: short lists of words inline ("[km, euros]"), the rest in blocks."""


def _list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.SequenceNode:
    inline = all(isinstance(item, str | int) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=inline)


_Dumper.add_representer(list, _list)


def _dump(key: str, items: list[dict[str, Any]]) -> str:
    body = yaml.dump(
        {key: items},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
        default_flow_style=False,
    )
    return HEADER.format(key=key) + body


def _alternative_order(snapshot: Snapshot) -> list[tuple[str, dict[str, Any]]]:
    """Alternatives grouped like the file: by the first service they replace, then by name."""
    ranks = {slug: e["rank"] for slug, e in snapshot.active("service")}
    return sorted(
        snapshot.active("alternative"),
        key=lambda row: (min(ranks.get(s, 10_000) for s in row[1]["replaces"]), row[1]["name"].casefold()),
    )


def _service_order(snapshot: Snapshot) -> dict[str, int]:
    return {slug: e["rank"] for slug, e in snapshot.active("service")}


def export_yaml(snapshot: Snapshot) -> dict[str, str]:
    """The three catalogue files (name -> text) for the active entries of `snapshot`."""
    order = _service_order(snapshot)
    categories = [
        {"slug": s, "name": e["name"], "name_en": e["name_en"], "quantities": e["quantities"]}
        for s, e in snapshot.active("category")
    ]
    services = [
        {"slug": s, "name": e["name"], "company": e["company"], "category": e["category"]}
        for s, e in snapshot.active("service")
    ]
    alternatives = [
        {
            "slug": s,
            **{name: e[name] for name in ALTERNATIVE_FIELDS},
            "replaces": sorted(e["replaces"], key=lambda slug: order.get(slug, 10_000)),
            "availability": e["availability"],
            "sources": e["sources"],
            "last_checked": e["last_checked"],
        }
        for s, e in _alternative_order(snapshot)
    ]
    return {
        "categories.yaml": _dump("categories", categories),
        "services.yaml": _dump("services", services),
        "alternatives.yaml": _dump("alternatives", alternatives),
    }


def _availability_text(availability: Any) -> str:
    if availability == "national":
        return "national"
    return " ".join(f"{key}:{code}" for key, codes in availability.items() for code in codes)


def export_csv(snapshot: Snapshot) -> str:
    """The alternatives as one CSV table for spreadsheets (lists joined with spaces or " | ")."""
    buffer = io.StringIO()
    columns = ["slug", *ALTERNATIVE_FIELDS, "availability", "sources", "last_checked"]
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for slug, e in _alternative_order(snapshot):
        row = {name: e[name] for name in ALTERNATIVE_FIELDS}
        row.update(ethics=" ".join(e["ethics"]), replaces=" ".join(e["replaces"]))
        sources = " | ".join(f"{s['url']} {s.get('note', '')}".strip() for s in e["sources"])
        writer.writerow(
            inert_row(
                {
                    "slug": slug,
                    **row,
                    "availability": _availability_text(e["availability"]),
                    "sources": sources,
                    "last_checked": e["last_checked"].isoformat(),
                }
            )
        )
    return buffer.getvalue()


def record_export(db: Database, actor: Identity, what: str) -> None:
    """Exports are administrative actions too: the trail says who took the catalogue, when."""
    with db.write() as session:
        audit.record(session, actor, "export.catalogue", "catalogue", what)


def read_import(session: Session, uploads: Mapping[str, bytes]) -> CatalogueData:
    """Validate uploaded catalogue files; a file not given is taken from the current catalogue."""
    unknown = sorted(set(uploads) - set(FILES))
    if unknown:
        raise ValidationError(
            _("Fichier inattendu : {names}. Attendus : {expected}.").format(
                names=", ".join(unknown), expected=", ".join(FILES)
            )
        )
    if not uploads:
        raise ValidationError(_("Choisissez au moins un fichier du catalogue."))
    texts = export_yaml(from_database(session))
    for name, data in uploads.items():
        try:
            read_upload(data, "yaml")
        except ValidationError as error:
            raise ValidationError(f"{name} : {error.message}") from None
        texts[name] = data.decode("utf-8-sig")
    with tempfile.TemporaryDirectory(prefix="dzg-catalogue-") as folder:
        for name, text in texts.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        try:
            catalogue = read_catalogue(Path(folder))
            check_area_codes(session, catalogue)
        except ReferenceDataError as error:
            raise ValidationError(str(error)) from None
    return catalogue


@dataclass(frozen=True)
class ImportPreview:
    target: Snapshot
    changes: CatalogueDiff


def preview_import(db: Database, uploads: Mapping[str, bytes]) -> ImportPreview:
    """What importing these files would change, without writing anything."""
    with db.read() as session:
        target = from_files(read_import(session, uploads))
        return ImportPreview(target, diff(from_database(session), target))


def apply_import(db: Database, actor: Identity, preview: ImportPreview) -> CatalogueDiff:
    """Apply a previewed import, entry by entry, each change in the audit trail."""

    def work(session: Session) -> CatalogueDiff:
        changes = diff(from_database(session), preview.target)
        if changes != preview.changes:
            raise ValidationError(
                _("Le catalogue a changé depuis l'aperçu : relancez l'aperçu avant d'appliquer l'import.")
            )
        with upkeep.following_categories(session):
            write_diff(session, changes, preview.target)
        for change in changes.changes:
            audit.record(
                session,
                actor,
                "catalogue.import",
                change.kind,
                change.slug,
                before=change.before,
                after=change.after,
            )
        return changes

    return db.run_write(work)
