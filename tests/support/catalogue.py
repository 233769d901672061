"""Tests that change the catalogue put the shipped one back afterwards (it is shared reference data)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select

from challenge.accounts import sessions
from challenge.catalogue.files import read_catalogue
from challenge.cli.reference import load_reference
from challenge.infra.db import Database
from challenge.models import (
    Alternative,
    AlternativeArea,
    AlternativeReplacement,
    AuditEntry,
    Base,
    BigTechService,
    Category,
)
from tests.conftest import REFERENCE_TABLES


def organiser_identity(email: str = "orga@exemple.fr") -> sessions.Identity:
    """An organiser as services see it (the audit trail keeps the id and the e-mail)."""
    return sessions.Identity(
        account_id=999_999, email=email, session_hash="x", roles=frozenset({"organiser"})
    )


def restore_catalogue(db: Database) -> None:
    """Delete every row of the challenge and every entry not in data/, then reload data/."""
    shipped = read_catalogue()
    with db.write() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                session.execute(table.delete())
        alternatives = [a["slug"] for a in shipped.alternatives]
        extra = list(session.scalars(select(Alternative.slug).where(Alternative.slug.not_in(alternatives))))
        session.execute(
            delete(AlternativeReplacement).where(AlternativeReplacement.alternative_slug.in_(extra))
        )
        session.execute(delete(AlternativeArea).where(AlternativeArea.alternative_slug.in_(extra)))
        session.execute(delete(Alternative).where(Alternative.slug.in_(extra)))
        services = [s["slug"] for s in shipped.services]
        session.execute(
            delete(AlternativeReplacement).where(AlternativeReplacement.service_slug.not_in(services))
        )
        session.execute(delete(BigTechService).where(BigTechService.slug.not_in(services)))
        session.execute(delete(Category).where(Category.slug.not_in([c["slug"] for c in shipped.categories])))
        session.execute(delete(AuditEntry))
    load_reference(db, force_catalogue=True)


@pytest.fixture
def pristine_catalogue(db: Database) -> Iterator[Database]:
    """The database; the shipped catalogue is restored after the test, whatever it changed."""
    yield db
    restore_catalogue(db)
