"""Households for test set-ups: as if they had joined their edition before it started."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select, update

from challenge.accounts import credentials
from challenge.counts import upkeep
from challenge.households.profile import save_service_plan, set_up_household
from challenge.infra.db import Database
from challenge.models import Account, Edition, Enrolment


def join_before_start(db: Database, household_id: int, days_before: int = 1) -> None:
    """Back-date the household's enrolments to `days_before` days before each edition's start,
    keeping the pre-aggregated counts in step (as the app's own writes do)."""
    with db.write() as session, upkeep.tracking(session, [household_id]):
        for enrolment in session.scalars(select(Enrolment).where(Enrolment.household_id == household_id)):
            start = session.get_one(Edition, enrolment.edition_id).start_date
            enrolment.enrolled_at = datetime.combine(start, time(), tzinfo=UTC) - timedelta(days=days_before)


def whatsapp_household(db: Database, name: str, password: str, prefix: str) -> tuple[str, int]:
    """A Lille household with a confirmed address, joined before the start, leaving WhatsApp for
    Signal: (its e-mail, its id)."""
    email = f"{prefix}-{uuid.uuid4().hex[:8]}@exemple.fr"
    account = credentials.sign_up(db, email, password)
    household_id = set_up_household(db, account.id, name, "59350", 2, consent=True).household_id
    join_before_start(db, household_id)
    save_service_plan(db, household_id, {"whatsapp": ["signal"]})
    with db.write() as session:
        session.execute(update(Account).where(Account.id == account.id).values(email_confirmed_at=func.now()))
    return email, household_id
