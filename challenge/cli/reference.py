"""Loading every reference dataset (territories, catalogue) in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.catalogue.browse import load_catalogue
from challenge.catalogue.files import CATALOGUE_DIR, read_catalogue
from challenge.counts import upkeep
from challenge.infra.db import Database
from challenge.infra.sync import SyncReport
from challenge.models import AuditEntry
from challenge.territories.referential import TERRITORIES_DIR, load_territories


def load_reference(
    db: Database,
    territories: Path = TERRITORIES_DIR,
    catalogue: Path = CATALOGUE_DIR,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda steps: steps,
    *,
    force_catalogue: bool = False,
) -> dict[str, SyncReport]:
    """Validate the catalogue first, then sync everything at once: a bad file changes nothing.

    Once organisers have curated the catalogue in the console, the database is its reference:
    the files of data/ are no longer loaded over it (unless `force_catalogue`); the console
    imports and exports them instead.
    """
    data = read_catalogue(catalogue)
    with db.read() as session:
        curated = not force_catalogue and is_curated(session)
    steps: list[tuple[str, Callable[[Session], SyncReport]]] = [
        ("territories", lambda session: load_territories(session, territories)),
    ]
    if not curated:
        steps.append(("catalogue", lambda session: load_catalogue(session, data)))
    with db.write() as session, upkeep.following_categories(session):
        return {name: load(session) for name, load in progress(steps)}


def is_curated(session: Session) -> bool:
    """Whether organisers changed the catalogue from the console (the audit trail says so)."""
    query = select(AuditEntry.id).where(AuditEntry.action.startswith("catalogue.")).limit(1)
    return session.scalar(query) is not None
