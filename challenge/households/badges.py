"""Badges and milestones of a household, computed from its progress (pure rules, explained).

A badge once earned stays earned (a relapse does not take "first switch" away), except those that
describe the present ("five services switched", "halfway", "zero GAFAM"), which follow the score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal
from sqlalchemy.orm import Session

from challenge.core.i18n import _, current_locale
from challenge.editions.lookup import enrolment_of
from challenge.households.progress import HouseholdProgress
from challenge.teams.stats import GoalCount, GoalProgress, goal_counts_of

STREAK_GOAL = 4
SWITCH_GOAL = 5
HALFWAY = 50.0


@dataclass(frozen=True)
class Badge:
    key: str
    icon: str
    title: str
    rule: str  # how it is earned, in plain words
    earned: bool
    progress: str  # where the household stands, e.g. "3 / 5"


def longest_streak(weeks: Iterable[int]) -> int:
    """The longest run of consecutive weeks with a check-in."""
    best = run = 0
    previous = None
    for week in sorted(set(weeks)):
        run = run + 1 if previous is not None and week == previous + 1 else 1
        best, previous = max(best, run), week
    return best


def is_goal_reached(goal: GoalCount | GoalProgress) -> bool:
    """Every member using the goal's service has switched (or dropped) it."""
    return goal.declared > 0 and goal.switched == goal.declared


def badges_of(progress: HouseholdProgress, goals: Sequence[GoalCount | GoalProgress] = ()) -> list[Badge]:
    """Every badge, earned or not, with its rule and the household's standing."""
    declared = len(progress.baseline)
    ever_switched = max((point.switched for point in progress.weekly), default=0) or progress.switched
    streak = longest_streak(progress.checked_weeks)
    reached = [goal for goal in goals if is_goal_reached(goal)]
    return [
        Badge(
            "first_switch",
            "🌱",
            _("Premier pas"),
            _("Passer un premier service GAFAM à son alternative (ou l'abandonner)."),
            ever_switched >= 1,
            f"{min(ever_switched, 1)} / 1",
        ),
        Badge(
            "streak",
            "📅",
            _("Quatre semaines d'affilée"),
            _("Faire le bilan {n} semaines de suite.").format(n=STREAK_GOAL),
            streak >= STREAK_GOAL,
            f"{min(streak, STREAK_GOAL)} / {STREAK_GOAL}",
        ),
        Badge(
            "halfway",
            "⛰️",
            _("À mi-chemin"),
            _("Atteindre un score de {n} %.").format(n=int(HALFWAY)),
            progress.score >= HALFWAY,
            f"{format_decimal(round(progress.score, 1), locale=current_locale())} / {int(HALFWAY)} %",
        ),
        Badge(
            "five_switched",
            "🖐️",
            _("Cinq services remplacés"),
            _("Avoir {n} services remplacés ou abandonnés en même temps.").format(n=SWITCH_GOAL),
            progress.switched >= SWITCH_GOAL,
            f"{min(progress.switched, SWITCH_GOAL)} / {SWITCH_GOAL}",
        ),
        Badge(
            "team_goal",
            "🤝",
            _("Objectif collectif atteint"),
            _("Dans votre collectif, tous les foyers concernés ont quitté le service d'un objectif commun."),
            bool(reached),
            f"{len(reached)} / {len(goals)}" if goals else _("pas d'objectif commun"),
        ),
        Badge(
            "zero_gafam",
            "🏅",
            _("Zéro GAFAM"),
            _("Avoir remplacé ou abandonné tous les services GAFAM déclarés."),
            declared > 0 and progress.switched == declared,
            f"{progress.switched} / {declared}",
        ),
    ]


def team_goals_of(session: Session, household_id: int) -> list[GoalCount]:
    """The shared goals of the household's collective (none outside a collective)."""
    found = enrolment_of(session, household_id)
    if found is None or found[1].team_id is None:
        return []
    return goal_counts_of(session, found[1].edition_id, found[1].team_id)
