"""The database refuses a word outside the app's vocabulary (migration 0010), on both backends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from challenge.core.vocabulary import EditionStatus
from challenge.infra.db import Database
from tests.conftest import Member

BAD_ROWS = {
    "an unknown edition status": (
        "INSERT INTO edition (slug, name, start_date, weeks, signup_opens, signup_closes, status, is_demo, "
        "created_at) VALUES ('x', 'X', :day, 8, :day, :day, 'runing', false, :day)"
    ),
    "an unknown role": (
        "INSERT INTO role_grant (account_id, role, granted_at) VALUES (:account, 'admin', :day)"
    ),
    "an unknown territory level": (
        "INSERT INTO edition_territory (edition_id, level, code) VALUES (:edition, 'canton', '59')"
    ),
    "an unknown check-in status": (
        "INSERT INTO checkin (edition_id, household_id, week, service_slug, status, created_at, updated_at) "
        "VALUES (:edition, :household, 1, 'gmail', 'almost', :day, :day)"
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_word_outside_the_vocabulary_is_refused(db: Database, member: Member, case: str) -> None:
    with db.read() as session:
        edition = session.execute(text("SELECT id FROM edition")).scalar_one()
    values = {"day": date(2026, 1, 5), "account": member.account_id, "household": member.household_id}
    with pytest.raises(IntegrityError, match="_known"), db.write() as session:
        session.execute(text(BAD_ROWS[case]), {**values, "edition": edition})


def test_the_vocabulary_itself_is_accepted(db: Database) -> None:
    with db.write() as session:
        for status in EditionStatus:
            session.execute(
                text(
                    "INSERT INTO edition (slug, name, start_date, weeks, signup_opens, signup_closes, "
                    "status, is_demo, created_at) "
                    "VALUES (:slug, :slug, :day, 8, :day, :day, :status, false, :day)"
                ),
                {"slug": f"ok-{status}", "status": status, "day": date(2026, 1, 5)},
            )
