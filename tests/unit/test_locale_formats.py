"""Numbers, percentages and dates are written as each language writes them (Babel)."""

from datetime import UTC, date, datetime

import pytest

from challenge.core.i18n import use_locale
from ui import format as fmt


@pytest.mark.parametrize(
    ("locale", "number", "percent", "day", "long_day"),
    [
        ("fr", "12\u202f345,5", "42 %", "05/01/2026", "5 janvier 2026"),
        ("en", "12,345.5", "42%", "05/01/2026", "5 January 2026"),
    ],
)
def test_numbers_and_dates_follow_the_language_of_the_run(
    locale: str, number: str, percent: str, day: str, long_day: str
) -> None:
    with use_locale(locale):
        assert fmt.number(12345.5) == number
        assert fmt.percent(42.4) == percent
        assert fmt.day(date(2026, 1, 5)) == day
        assert fmt.day_month(date(2026, 1, 5)) == "05/01"
        assert fmt.long_day(date(2026, 1, 5)) == long_day


def test_french_is_the_default() -> None:
    assert fmt.long_day(date(2026, 11, 23)) == "23 novembre 2026"


def test_a_moment_is_shown_in_paris_time_in_either_language() -> None:
    utc = datetime(2026, 7, 14, 8, 30, tzinfo=UTC)  # summer time: UTC+2
    assert fmt.moment(utc) == "14/07/2026 10:30"
    with use_locale("en"):
        assert fmt.moment(utc) == "14/07/2026, 10:30"
