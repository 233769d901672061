"""The leaderboard's measure cannot be gamed by declaring less and does not favour a team size."""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from challenge.core import scoring
from challenge.teams.ranking import TeamTally, edition_mean, fair_rate, ranked

Household = dict[str, str]  # declared service -> latest status


def _tally(team_id: int, households: list[Household]) -> TeamTally:
    switches = sum(scoring.switched_count(list(h), h) for h in households)
    return TeamTally(team_id, len(households), switches, checked=len(households))


def _rank_of(team_id: int, tallies: list[TeamTally]) -> int:
    order = ranked(tallies, edition_mean(tallies), str)
    return [t.team_id for t in order].index(team_id) + 1


STATUSES = st.sampled_from(["switched", "mostly", "tried", "still", "dropped"])
HOUSEHOLD = st.dictionaries(st.sampled_from(["gmail", "whatsapp", "uber", "amazon", "google-maps"]), STATUSES)
TEAMS = st.lists(st.lists(HOUSEHOLD, min_size=3, max_size=12), min_size=2, max_size=8)


@given(TEAMS, st.data())
def test_declaring_fewer_services_never_raises_a_teams_rank(
    teams: list[list[Household]], data: st.DataObject
) -> None:
    team = data.draw(st.integers(0, len(teams) - 1))
    member = data.draw(st.integers(0, len(teams[team]) - 1))
    declared = list(teams[team][member])
    kept = data.draw(st.lists(st.sampled_from(declared), unique=True)) if declared else []
    before = [_tally(i, households) for i, households in enumerate(teams)]
    fewer = [dict(h) for h in teams[team]]
    fewer[member] = {service: fewer[member][service] for service in kept}
    after = [_tally(i, fewer if i == team else households) for i, households in enumerate(teams)]
    assert _rank_of(team, after) >= _rank_of(team, before)


@given(
    st.lists(st.builds(TeamTally, st.integers(), st.integers(3, 40), st.integers(0, 200), st.integers(0, 3)))
)
def test_a_team_with_more_switches_for_as_many_households_never_ranks_lower(tallies: list[TeamTally]) -> None:
    mean = edition_mean(tallies)
    for a in tallies:
        for b in tallies:
            if a.members == b.members and a.switches > b.switches:
                assert fair_rate(a, mean) > fair_rate(b, mean)


def _simulated_ranks(rng: random.Random, sizes: list[int], services: int, p: float) -> list[float]:
    """One edition where every household behaves alike: each of its services switched with `p`."""
    tallies = []
    for team_id, size in enumerate(sizes):
        switches = sum(rng.random() < p for _ in range(size * services))
        tallies.append(TeamTally(team_id, size, switches, checked=rng.randint(0, size)))
    order = ranked(tallies, edition_mean(tallies), str)
    place = {t.team_id: rank for rank, t in enumerate(order)}
    return [place[team_id] / (len(sizes) - 1) for team_id in range(len(sizes))]  # 0 = first, 1 = last


def _by_size(measure: Callable[[list[float]], float]) -> dict[str, float]:
    rng = random.Random(2026)
    sizes = [3] * 20 + [8] * 20 + [25] * 20
    small, big = [], []
    for _ in range(300):
        places = _simulated_ranks(rng, sizes, services=5, p=0.3)
        small.extend(places[:20])
        big.extend(places[40:])
    return {"small": measure(small), "big": measure(big)}


def test_a_teams_expected_rank_does_not_depend_on_its_size_under_random_behaviour() -> None:
    mean_place = _by_size(statistics.fmean)
    assert abs(mean_place["small"] - mean_place["big"]) < 0.03, mean_place


def test_small_teams_do_not_crowd_both_ends_of_the_ranking() -> None:
    """With a plain average, teams of 3 fill the top and bottom tenths by chance alone (40 % of
    them are there, against 3 % of teams of 25); blended, both sizes are there alike (18 %, 17 %)."""
    at_the_ends = _by_size(lambda places: sum(p < 0.1 or p > 0.9 for p in places) / len(places))
    assert 0.75 < at_the_ends["small"] / at_the_ends["big"] < 1.33, at_the_ends
