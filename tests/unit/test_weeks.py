"""Week numbering of an edition and the weeks open to check-in."""

from datetime import date, timedelta

import pytest

from challenge.core.weeks import last_started_week, open_weeks, week_bounds, week_of

START = date(2026, 9, 7)  # a Monday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (START - timedelta(days=1), None),
        (START, 1),
        (START + timedelta(days=6), 1),
        (START + timedelta(days=7), 2),
        (START + timedelta(days=7 * 12 - 1), 12),
        (START + timedelta(days=7 * 12), None),
    ],
)
def test_week_of(day: date, expected: int | None) -> None:
    assert week_of(START, 12, day) == expected


def test_week_bounds_run_monday_to_sunday() -> None:
    assert week_bounds(START, 2) == (date(2026, 9, 14), date(2026, 9, 20))


def test_current_and_previous_week_are_open() -> None:
    assert open_weeks(START, 12, START + timedelta(days=15)) == [3, 2]


def test_only_week_one_is_open_in_the_first_week() -> None:
    assert open_weeks(START, 12, START) == [1]


def test_last_week_stays_open_one_week_after_the_end() -> None:
    end = START + timedelta(days=7 * 12)
    assert open_weeks(START, 12, end) == [12]
    assert open_weeks(START, 12, end + timedelta(days=7)) == []


def test_nothing_is_open_before_the_start() -> None:
    assert open_weeks(START, 12, START - timedelta(days=1)) == []
    assert last_started_week(START, 12, START - timedelta(days=1)) == 0
