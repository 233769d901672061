"""Loading every reference dataset (territories, catalogue) in one transaction."""

from __future__ import annotations

from pathlib import Path

from challenge.catalog import load_catalogue
from challenge.catalog_file import CATALOGUE_DIR, read_catalogue
from challenge.db import Database
from challenge.sync import SyncReport
from challenge.territories import TERRITORIES_DIR, load_territories


def load_reference(
    db: Database, territories: Path = TERRITORIES_DIR, catalogue: Path = CATALOGUE_DIR
) -> dict[str, SyncReport]:
    """Validate the catalogue first, then sync everything: a bad file changes nothing."""
    data = read_catalogue(catalogue)
    with db.write() as session:
        return {
            "territories": load_territories(session, territories),
            "catalogue": load_catalogue(session, data),
        }
