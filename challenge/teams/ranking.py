"""The leaderboard's measure: services replaced per household, fair to small and big teams alike.

Two flaws of an average score are avoided. A score averaged over the services a household
*declared* rewards declaring less (one easy service switched is 100 %); this measure counts
switches, and a household can only switch a service it declared, so declaring fewer services
never helps. And an average over three households swings far more than one over thirty, which
put small teams at both ends of the ranking; here every team is ranked as if it also had
PRIOR_HOUSEHOLDS households at the edition's average (the usual "shrinkage" of small samples
toward the mean), which leaves big teams almost unchanged and small ones near the middle until
they have shown more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

PRIOR_HOUSEHOLDS = 8  # how many average households a team's figure is blended with


@dataclass(frozen=True)
class TeamTally:
    """What the ranking needs of a team: its households, their switched services, this week's check-ins."""

    team_id: int
    members: int
    switches: int
    checked: int


def edition_mean(tallies: Iterable[TeamTally]) -> float:
    """Switched services per household over every team of the edition (the shrinkage target)."""
    rows = list(tallies)
    members = sum(t.members for t in rows)
    return sum(t.switches for t in rows) / members if members else 0.0


def fair_rate(tally: TeamTally, mean: float) -> float:
    """Switched services per household, blended with PRIOR_HOUSEHOLDS households at `mean`."""
    return (tally.switches + PRIOR_HOUSEHOLDS * mean) / (tally.members + PRIOR_HOUSEHOLDS)


def participation(tally: TeamTally) -> float:
    """The share of the team's households that checked in this week, in %."""
    return 100 * tally.checked / tally.members if tally.members else 0.0


def ranked(tallies: Sequence[TeamTally], mean: float, sort_name: Callable[[int], str]) -> list[TeamTally]:
    """Best first: fair rate, then this week's participation, then the name, then the id."""
    return sorted(
        tallies,
        key=lambda t: (-round(fair_rate(t, mean), 9), -participation(t), sort_name(t.team_id), t.team_id),
    )
