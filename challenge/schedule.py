"""When, in the challenge's time zone, a household's weekly moment falls in an edition week."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Paris")  # the challenge runs in Hauts-de-France


def local_now(now: datetime) -> datetime:
    return now.astimezone(TIMEZONE)


def week_start(edition_start: date, week: int) -> date:
    return edition_start + timedelta(days=7 * (week - 1))


def moment_in_week(edition_start: date, week: int, weekday: int, hour: int) -> datetime:
    """The day of `week` that is a `weekday` (Monday = 0), at `hour` local time."""
    first = week_start(edition_start, week)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    return datetime.combine(day, time(hour), tzinfo=TIMEZONE)


def week_end(edition_start: date, week: int) -> datetime:
    """The first local instant after `week` (midnight starting the next week)."""
    return datetime.combine(week_start(edition_start, week + 1), time(0), tzinfo=TIMEZONE)
