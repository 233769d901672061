"""The audit trail records administrative actions and cannot be rewritten."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DatabaseError

from challenge.accounts import audit, credentials, sessions
from challenge.infra.db import Database
from challenge.models import AuditEntry


def _organiser(db: Database) -> sessions.Identity:
    account = credentials.sign_up(db, "orga@exemple.fr", "une phrase de passe solide")
    return sessions.Identity(account_id=account.id, email="orga@exemple.fr", session_hash="x")


def test_an_entry_names_actor_action_and_states(db: Database) -> None:
    actor = _organiser(db)
    with db.write() as session:
        audit.record(
            session, actor, "role.grant", "account", 42, before=None, after={"roles": {"council", "captain"}}
        )
    entries, total = audit.list_entries(db)
    assert total == 1
    assert entries[0].actor_label == "orga@exemple.fr"
    assert entries[0].after == {"roles": ["captain", "council"]}


def test_an_entry_rolls_back_with_the_action(db: Database) -> None:
    def failing_action() -> None:
        with db.write() as session:
            audit.record(session, None, "edition.create", "edition", 1)
            raise RuntimeError("the action failed")

    with pytest.raises(RuntimeError):
        failing_action()
    assert audit.list_entries(db)[1] == 0


def test_entries_cannot_be_updated(db: Database) -> None:
    with db.write() as session:
        audit.record(session, None, "catalogue.retire", "alternative", "mobicoop")
    with pytest.raises(DatabaseError, match="append-only"), db.write() as session:
        session.execute(update(AuditEntry).values(action="catalogue.create"))
    assert audit.list_entries(db)[0][0].action == "catalogue.retire"


def test_filters_by_family_actor_target_and_dates(db: Database) -> None:
    actor = _organiser(db)
    with db.write() as session:
        audit.record(session, actor, "role.grant", "account", 7)
        audit.record(session, actor, "role.revoke", "account", 7)
        audit.record(session, None, "catalogue.create", "alternative", "tipimi")
    assert audit.list_entries(db, audit.AuditFilter(action_prefix="role"))[1] == 2
    assert audit.list_entries(db, audit.AuditFilter(actor="ORGA@"))[1] == 2
    assert audit.list_entries(db, audit.AuditFilter(target_type="alternative", target_id="tipimi"))[1] == 1
    tomorrow = date.today() + timedelta(days=2)
    assert audit.list_entries(db, audit.AuditFilter(since=tomorrow))[1] == 0
    assert audit.list_entries(db, audit.AuditFilter(until=tomorrow))[1] == 3


def test_a_percent_in_a_filter_is_a_literal(db: Database) -> None:
    with db.write() as session:
        audit.record(session, None, "export.csv", "territory", "epci:1")
    assert audit.list_entries(db, audit.AuditFilter(actor="%"))[1] == 0
