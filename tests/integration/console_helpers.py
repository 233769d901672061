"""Organisers and edition forms for the console's service tests."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from challenge.accounts.sessions import Identity
from challenge.editions.rules import EditionForm
from challenge.infra.db import Database
from challenge.models import Account, AuditEntry, RoleGrant

MEL = "200093201"  # Métropole Européenne de Lille (contains Lille, 59350)


def organiser(db: Database, email: str = "orga@exemple.fr", edition_id: int | None = None) -> Identity:
    """An organiser of every edition (`edition_id` None) or of one edition."""
    with db.write() as session:
        account = Account(email=email)
        session.add(account)
        session.flush()
        session.add(RoleGrant(account_id=account.id, role="organiser", edition_id=edition_id))
        return Identity(account_id=account.id, email=email, session_hash="test")


def form(
    name: str = "Défi 2027",
    territories: tuple[tuple[str, str], ...] = (("epci", MEL),),
    start: date | None = None,
    weeks: int = 8,
    opens: date | None = None,
    closes: date | None = None,
) -> EditionForm:
    start = start or date.today() + timedelta(days=60)
    end = start + timedelta(days=7 * weeks - 1)
    return EditionForm(name, territories, start, weeks, opens or start - timedelta(weeks=3), closes or end)


def audit_count(db: Database, action: str | None = None) -> int:
    with db.read() as session:
        query = select(func.count(AuditEntry.id))
        if action:
            query = query.where(AuditEntry.action == action)
        return int(session.scalar(query) or 0)
