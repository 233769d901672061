"""Households for test set-ups: as if they had joined their edition before it started."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from challenge.counts import upkeep
from challenge.infra.db import Database
from challenge.models import Edition, Enrolment


def join_before_start(db: Database, household_id: int, days_before: int = 1) -> None:
    """Back-date the household's enrolments to `days_before` days before each edition's start,
    keeping the pre-aggregated counts in step (as the app's own writes do)."""
    with db.write() as session, upkeep.tracking(session, [household_id]):
        for enrolment in session.scalars(select(Enrolment).where(Enrolment.household_id == household_id)):
            start = session.get_one(Edition, enrolment.edition_id).start_date
            enrolment.enrolled_at = datetime.combine(start, time(), tzinfo=UTC) - timedelta(days=days_before)
