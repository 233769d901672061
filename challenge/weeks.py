"""Week numbering of an edition: week 1 starts on the edition's start date."""

from __future__ import annotations

from datetime import date, timedelta

GRACE_WEEKS = 1  # the previous week stays open, for households who check in late


def week_of(start: date, weeks: int, day: date) -> int | None:
    """The edition week that contains `day`, or None outside the edition."""
    if day < start:
        return None
    number = (day - start).days // 7 + 1
    return number if number <= weeks else None


def week_bounds(start: date, week: int) -> tuple[date, date]:
    """First and last day of `week`."""
    first = start + timedelta(days=7 * (week - 1))
    return first, first + timedelta(days=6)


def open_weeks(start: date, weeks: int, day: date) -> list[int]:
    """Weeks that accept check-ins on `day`: the current one, then the grace week(s), newest first."""
    if day < start:
        return []
    current = (day - start).days // 7 + 1
    candidates = range(current, current - GRACE_WEEKS - 1, -1)
    return [week for week in candidates if 1 <= week <= weeks]


def last_started_week(start: date, weeks: int, day: date) -> int:
    """The latest week that has begun by `day` (0 before the start, `weeks` after the end)."""
    if day < start:
        return 0
    return min((day - start).days // 7 + 1, weeks)
