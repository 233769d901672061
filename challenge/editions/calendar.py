"""An edition as pages and rules see it: its dates, weeks and status, detached from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from challenge.core import weeks
from challenge.core.vocabulary import LIVE_STATUSES, EditionStatus
from challenge.models import Edition

# Households are asked whether their switches held this many months after an edition closes.
FOLLOWUP_MONTHS = (3, 6)


@dataclass(frozen=True)
class EditionView:
    """What pages need to know of an edition, detached from the database session."""

    id: int
    name: str
    start_date: date
    weeks: int
    status: str
    is_demo: bool
    signup_opens: date | None = None
    signup_closes: date | None = None

    @property
    def end_date(self) -> date:
        return weeks.last_day(self.start_date, self.weeks)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def current_week(self, today: date) -> int | None:
        return weeks.week_of(self.start_date, self.weeks, today)

    def open_weeks(self, today: date) -> list[int]:
        if self.status != EditionStatus.RUNNING:  # open for sign-up only, or closed: no check-in
            return []
        return weeks.open_weeks(self.start_date, self.weeks, today)

    def this_week(self, today: date) -> int:
        """The week whose check-ins count as "this week": the current one, the last one once over."""
        return self.current_week(today) or self.last_started_week(today)

    def last_started_week(self, today: date) -> int:
        return weeks.last_started_week(self.start_date, self.weeks, today)

    def last_reported_week(self, today: date) -> int:
        """The last week results cover: the last started one, week 1 before the start."""
        return max(1, self.last_started_week(today))

    def is_signup_open(self, today: date) -> bool:
        """Households may join: the edition is live and `today` lies in its sign-up window."""
        if not self.is_live:
            return False
        opens, closes = self.signup_opens or self.start_date, self.signup_closes or self.end_date
        return opens <= today <= closes

    @classmethod
    def of(cls, edition: Edition) -> EditionView:
        return cls(
            edition.id,
            edition.name,
            edition.start_date,
            edition.weeks,
            edition.status,
            edition.is_demo,
            edition.signup_opens,
            edition.signup_closes,
        )
