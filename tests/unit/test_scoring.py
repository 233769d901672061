"""The de-GAFAM-isation score and the weekly streak."""

import pytest

from challenge.core.scoring import (
    degafam_score,
    latest_statuses,
    switched_count,
    weekly_streak,
)


def test_score_is_share_of_baseline_weighted_by_latest_status() -> None:
    latest = {"gmail": "switched", "whatsapp": "mostly", "amazon": "tried"}
    score = degafam_score(["gmail", "whatsapp", "amazon", "youtube"], latest)
    assert score == pytest.approx(100 * (1 + 0.75 + 0.25 + 0) / 4, abs=0.1)


def test_dropping_a_service_counts_as_fully_switched() -> None:
    assert degafam_score(["facebook"], {"facebook": "dropped"}) == 100.0


def test_service_never_checked_in_counts_as_still_on_big_tech() -> None:
    assert degafam_score(["gmail", "youtube"], {"gmail": "switched"}) == 50.0


def test_empty_baseline_scores_zero() -> None:
    assert degafam_score([], {}) == 0.0


def test_switched_count_counts_switched_and_dropped_only() -> None:
    latest = {"a": "switched", "b": "dropped", "c": "mostly", "d": "still"}
    assert switched_count(["a", "b", "c", "d"], latest) == 2


def test_latest_status_is_the_most_recent_week_up_to_a_limit() -> None:
    history = [(1, "gmail", "tried"), (3, "gmail", "switched"), (2, "gmail", "mostly")]
    assert latest_statuses(history) == {"gmail": "switched"}
    assert latest_statuses(history, up_to_week=2) == {"gmail": "mostly"}


def test_a_relapse_lowers_the_score() -> None:
    history = [(1, "gmail", "switched"), (2, "gmail", "still")]
    assert degafam_score(["gmail"], latest_statuses(history)) == 0.0


@pytest.mark.parametrize(
    ("weeks", "current", "expected"),
    [
        ({1, 2, 3}, 3, 3),
        ({1, 2}, 3, 2),  # this week still pending: the streak is not broken yet
        ({1, 3}, 3, 1),
        ({1, 2}, 4, 0),  # a whole week missed
        (set(), 1, 0),
    ],
)
def test_weekly_streak(weeks: set[int], current: int, expected: int) -> None:
    assert weekly_streak(weeks, current) == expected
