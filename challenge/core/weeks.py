"""The edition calendar: week 1 starts on the edition's start date, weeks run seven days, and the
challenge keeps the time of Hauts-de-France. Every week computation of the app is here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

GRACE_WEEKS = 1  # the previous week stays open, for households who check in late
MIN_WEEKS, MAX_WEEKS = 6, 12  # how long an edition lasts (the console's rule and a database CHECK)
SIGNUP_LEAD = timedelta(weeks=3)  # sign-up opens this long before the start, unless set otherwise
TIMEZONE = ZoneInfo("Europe/Paris")  # the challenge runs in Hauts-de-France


def first_day(start: date, week: int) -> date:
    """The first day of `week` (week 1 starts on `start`)."""
    return start + timedelta(days=7 * (week - 1))


def last_day(start: date, weeks: int) -> date:
    """The last day of an edition of `weeks` weeks (also the last day of its week `weeks`)."""
    return first_day(start, weeks + 1) - timedelta(days=1)


def week_bounds(start: date, week: int) -> tuple[date, date]:
    """First and last day of `week`."""
    return first_day(start, week), last_day(start, week)


def _number(start: date, day: date) -> int:
    return (day - start).days // 7 + 1


def week_of(start: date, weeks: int, day: date) -> int | None:
    """The edition week that contains `day`, or None outside the edition."""
    if day < start:
        return None
    number = _number(start, day)
    return number if number <= weeks else None


def open_weeks(start: date, weeks: int, day: date) -> list[int]:
    """Weeks that accept check-ins on `day`: the current one, then the grace week(s), newest first."""
    if day < start:
        return []
    current = _number(start, day)
    candidates = range(current, current - GRACE_WEEKS - 1, -1)
    return [week for week in candidates if 1 <= week <= weeks]


def last_started_week(start: date, weeks: int, day: date) -> int:
    """The latest week that has begun by `day` (0 before the start, `weeks` after the end)."""
    if day < start:
        return 0
    return min(_number(start, day), weeks)


def local_now(now: datetime) -> datetime:
    return now.astimezone(TIMEZONE)


def moment_in_week(edition_start: date, week: int, weekday: int, hour: int) -> datetime:
    """The day of `week` that is a `weekday` (Monday = 0), at `hour` local time."""
    first = first_day(edition_start, week)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    return datetime.combine(day, time(hour), tzinfo=TIMEZONE)


def week_end(edition_start: date, week: int) -> datetime:
    """The first local instant after `week` (midnight starting the next week)."""
    return datetime.combine(first_day(edition_start, week + 1), time(0), tzinfo=TIMEZONE)
