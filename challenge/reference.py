"""Loading every reference dataset (territories, catalogue) in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from challenge.catalog import load_catalogue
from challenge.catalog_file import CATALOGUE_DIR, read_catalogue
from challenge.db import Database
from challenge.sync import SyncReport
from challenge.territories import TERRITORIES_DIR, load_territories


def load_reference(
    db: Database,
    territories: Path = TERRITORIES_DIR,
    catalogue: Path = CATALOGUE_DIR,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda steps: steps,
) -> dict[str, SyncReport]:
    """Validate the catalogue first, then sync everything at once: a bad file changes nothing."""
    data = read_catalogue(catalogue)
    steps: list[tuple[str, Callable[[Session], SyncReport]]] = [
        ("territories", lambda session: load_territories(session, territories)),
        ("catalogue", lambda session: load_catalogue(session, data)),
    ]
    with db.write() as session:
        return {name: load(session) for name, load in progress(steps)}
