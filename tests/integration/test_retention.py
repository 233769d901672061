"""Retention with a frozen clock: warn after two years idle, delete 30 days later, drop old records."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from challenge.accounts import sessions
from challenge.households.retention import INACTIVE_AFTER, NOTICE, purge_inactive
from challenge.infra.db import Database
from challenge.models import Account, Household, LoginSession
from tests.conftest import Member

RETENTION = timedelta(days=180)


def _last_login(db: Database, account_id: int, when: datetime) -> None:
    with db.write() as session:
        account = session.get_one(Account, account_id)
        account.last_login_at = account.created_at = when


def test_idle_account_is_warned_then_deleted_after_the_notice(db: Database, member: Member) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    _last_login(db, member.account_id, start)
    assert purge_inactive(db, start + INACTIVE_AFTER - timedelta(days=1), RETENTION).warned == 0
    warned_at = start + INACTIVE_AFTER + timedelta(days=1)
    assert purge_inactive(db, warned_at, RETENTION).warned == 1
    assert purge_inactive(db, warned_at + NOTICE - timedelta(days=1), RETENTION).deleted == 0
    report = purge_inactive(db, warned_at + NOTICE, RETENTION)
    assert (report.warned, report.deleted) == (0, 1)
    with db.read() as session:
        assert session.get(Account, member.account_id) is None
        assert session.get(Household, member.household_id) is None


def test_logging_in_after_the_warning_keeps_the_account(db: Database, member: Member) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    _last_login(db, member.account_id, start)
    warned_at = start + INACTIVE_AFTER + timedelta(days=1)
    purge_inactive(db, warned_at, RETENTION)
    sessions.open_session(db, member.account_id, timedelta(days=1))  # the person comes back
    report = purge_inactive(db, warned_at + NOTICE + timedelta(days=1), RETENTION)
    assert report.deleted == 0
    with db.read() as session:
        assert session.get_one(Account, member.account_id).deletion_warned_at is None


@pytest.mark.usefixtures("member")
def test_old_session_records_are_dropped(db: Database) -> None:
    later = datetime.now(UTC) + RETENTION + timedelta(days=2)
    assert purge_inactive(db, later, RETENTION).sessions_dropped == 1
    with db.read() as session:
        assert session.scalar(select(func.count(LoginSession.id))) == 0
