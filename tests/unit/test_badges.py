"""Badges and milestones: pure rules over a household's progress."""

from __future__ import annotations

from challenge.households.badges import badges_of, is_goal_reached, longest_streak
from challenge.households.progress import HouseholdProgress, WeekPoint
from challenge.teams.stats import GoalProgress


def _progress(
    *, baseline: int = 6, switched: int = 0, score: float = 0.0, weeks: list[int] | None = None, ever: int = 0
) -> HouseholdProgress:
    checked = weeks or []
    return HouseholdProgress(
        edition=None,
        baseline=[f"service-{i}" for i in range(baseline)],
        latest={},
        score=score,
        switched=switched,
        streak=0,
        checked_weeks=checked,
        current_week=None,
        weekly=[WeekPoint(week, score, ever if week == 1 else switched) for week in range(1, 4)],
    )


def _earned(progress: HouseholdProgress, goals: list[GoalProgress] | None = None) -> set[str]:
    return {badge.key for badge in badges_of(progress, goals or []) if badge.earned}


def test_longest_streak_counts_the_best_run_of_consecutive_weeks() -> None:
    assert longest_streak([]) == 0
    assert longest_streak([1, 2, 4, 5, 6, 7, 9]) == 4
    assert longest_streak([3, 3, 2]) == 2


def test_a_new_household_has_every_badge_still_to_earn_with_its_rule() -> None:
    badges = badges_of(_progress())
    assert [b.key for b in badges] == [
        "first_switch",
        "streak",
        "halfway",
        "five_switched",
        "team_goal",
        "zero_gafam",
    ]
    assert not any(b.earned for b in badges)
    assert all(b.rule and b.title and b.progress for b in badges)


def test_first_switch_stays_earned_after_a_relapse() -> None:
    assert "first_switch" in _earned(_progress(switched=0, ever=1))


def test_four_week_streak_is_earned_even_if_the_current_streak_broke() -> None:
    assert "streak" in _earned(_progress(weeks=[1, 2, 3, 4, 6]))
    assert "streak" not in _earned(_progress(weeks=[1, 2, 3, 5, 6]))


def test_five_switched_halfway_and_zero_gafam_follow_the_present() -> None:
    assert _earned(_progress(baseline=6, switched=5, score=83.3)) >= {
        "five_switched",
        "halfway",
        "first_switch",
    }
    assert "zero_gafam" in _earned(_progress(baseline=2, switched=2, score=100.0))
    assert "zero_gafam" not in _earned(_progress(baseline=0))


def test_team_goal_is_reached_when_every_member_using_the_service_left_it() -> None:
    reached = GoalProgress("whatsapp", "WhatsApp", "signal", "Signal", 3, 3, on_alternative=["A", "B"])
    halfway = GoalProgress("gmail", "Gmail", None, None, declared=4, switched=2, on_alternative=[])
    nobody = GoalProgress("uber", "Uber", None, None, declared=0, switched=0, on_alternative=[])
    assert is_goal_reached(reached)
    assert not is_goal_reached(halfway)
    assert not is_goal_reached(nobody)
    [team] = [b for b in badges_of(_progress(), [reached, halfway]) if b.key == "team_goal"]
    assert team.earned
    assert team.progress == "1 / 2"


def test_the_halfway_progress_is_written_as_each_language_writes_numbers() -> None:
    from challenge.core.i18n import use_locale

    progress = HouseholdProgress(None, ["gmail", "whatsapp", "uber"], {}, 14.2857, 0, 0, [], None)
    halfway = {b.title: b for b in badges_of(progress)}
    assert halfway["À mi-chemin"].progress == "14,3 / 50 %"
    with use_locale("en"):
        english = [b for b in badges_of(progress) if b.title == "Halfway"]
    assert [b.progress for b in english] == ["14.3 / 50 %"]
