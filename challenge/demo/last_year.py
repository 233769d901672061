"""The demo's previous edition: last year's households, a share of this year's, with their own
random generator (this year's figures stay the same whatever last year holds)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from challenge.demo.behaviour import household_story
from challenge.models import Alternative, Checkin, Edition, Enrolment, utcnow

PREVIOUS_WEEKS = 8
PREVIOUS_SHARE = 0.45  # of this year's households took part last year (the documented one did)


class LastYear:
    """Last year's closed edition: some of this year's households took part, with their own rng
    (this year's figures stay the same whatever last year holds)."""

    def __init__(self, edition_id: int, seed: int = 2025) -> None:
        self.edition_id = edition_id
        self.rng = random.Random(seed)

    def take_part(
        self,
        session: Session,
        household_id: int,
        options: dict[str, list[Alternative]],
        quantities: dict[str, list[str]],
    ) -> int:
        """Enrol the household last year, with the check-ins of its own plan of the time."""
        start = session.get_one(Edition, self.edition_id).start_date
        enrolled_at = datetime.combine(start - timedelta(days=1), time(12), tzinfo=UTC)
        session.execute(
            insert(Enrolment).values(
                edition_id=self.edition_id, household_id=household_id, enrolled_at=enrolled_at
            )
        )
        story = household_story(self.rng, options, quantities, PREVIOUS_WEEKS)
        now = utcnow()
        rows = [
            {
                "edition_id": self.edition_id,
                "household_id": household_id,
                "created_at": now,
                "updated_at": now,
                **row,
            }
            for row in story.checkins
        ]
        if rows:
            session.execute(insert(Checkin), rows)
        return len(rows)
