"""The collectives' leaderboard of an edition: aggregates per team only, never a member.

Ranking rule (explained in the same words on the page, method in challenge.teams.ranking):
services replaced per household, blended with a few households at the edition's average so
that neither declaring less nor being small pays; then the share of members who checked in
this week; then the name, alphabetically. Teams of fewer than MIN_RANKED_MEMBERS members are
listed without rank or figures: a figure over one or two households is not an aggregate (it
would show their own answers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.vocabulary import Level, TeamMeasure
from challenge.counts import reads
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import enrolment_of
from challenge.models import Team
from challenge.teams import ranking
from challenge.teams.members import NOT_ENROLLED
from challenge.teams.places import team_areas, territory_labels
from challenge.territories.referential import search_key

MIN_RANKED_MEMBERS = 3
AREA_LEVELS = (Level.DEPARTEMENT, Level.EPCI)


@dataclass(frozen=True)
class TeamStanding:
    rank: int | None
    team_id: int
    name: str
    territory: str
    members: int
    switches: float | None  # services replaced per household, as ranked (challenge.teams.ranking)
    participation: float | None
    is_yours: bool

    @property
    def is_small(self) -> bool:
        return self.members < MIN_RANKED_MEMBERS


@dataclass(frozen=True)
class Leaderboard:
    edition: EditionView
    week: int
    area: str | None
    standings: list[TeamStanding]


def _edition_and_team(session: Session, household_id: int) -> tuple[EditionView, int | None]:
    found = enrolment_of(session, household_id)
    if found is None:
        raise ValidationError(NOT_ENROLLED)
    return found[0], found[1].team_id


def leaderboard_areas(session: Session, household_id: int) -> list[tuple[str, str, str]]:
    """(level, code, name) of the départements and EPCI where the edition has teams, for a filter."""
    edition, _ = _edition_and_team(session, household_id)
    teams = list(session.scalars(select(Team).where(Team.edition_id == edition.id)))
    pairs = {
        pair for areas in team_areas(session, teams).values() for pair in areas if pair[0] in AREA_LEVELS
    }
    labels = territory_labels(session, pairs)
    ordered = sorted(pairs, key=lambda pair: (AREA_LEVELS.index(pair[0]), search_key(labels[pair])))
    return [(level, code, labels[(level, code)]) for level, code in ordered]


def leaderboard(
    session: Session, household_id: int, today: date, area: tuple[str, str] | None = None
) -> Leaderboard:
    """The teams of the household's edition (optionally within a département or EPCI), ranked."""
    edition, own_team = _edition_and_team(session, household_id)
    week = edition.this_week(today)
    teams = list(session.scalars(select(Team).where(Team.edition_id == edition.id)))
    members, switches, checked = (
        reads.teams_measure(session, edition.id, TeamMeasure.MEMBERS, 0),
        reads.teams_item_totals(session, edition.id, TeamMeasure.SERVICE_SWITCHED, 0),
        reads.teams_measure(session, edition.id, TeamMeasure.CHECKED, week),
    )
    tallies = {t.id: ranking.TeamTally(t.id, members[t.id], switches[t.id], checked[t.id]) for t in teams}
    mean = ranking.edition_mean(tallies.values())  # over the whole edition, whatever the area shown
    if area is not None:
        areas = team_areas(session, teams)
        teams = [t for t in teams if area in areas[t.id]]
    labels = territory_labels(session, {(t.territory_level, t.territory_code) for t in teams})
    names = {t.id: search_key(t.name) for t in teams}
    rows = {
        t.id: _standing(t, tallies[t.id], mean, labels[(t.territory_level, t.territory_code)], own_team)
        for t in teams
    }
    big = [tallies[t.id] for t in teams if not rows[t.id].is_small]
    order = ranking.ranked(big, mean, names.__getitem__)
    small = sorted((r for r in rows.values() if r.is_small), key=lambda r: (names[r.team_id], r.team_id))
    standings = [replace(rows[t.team_id], rank=rank) for rank, t in enumerate(order, start=1)] + small
    area_name = territory_labels(session, {area})[area] if area else None
    return Leaderboard(edition, week, area_name, standings)


def _standing(
    team: Team, tally: ranking.TeamTally, mean: float, territory: str, own_team: int | None
) -> TeamStanding:
    """A team's row; a team too small to rank shows no figure (it would be its members' own)."""
    small = tally.members < MIN_RANKED_MEMBERS
    return TeamStanding(
        rank=None,
        team_id=team.id,
        name=team.name,
        territory=territory,
        members=tally.members,
        switches=None if small else round(ranking.fair_rate(tally, mean), 2),
        participation=None if small else round(ranking.participation(tally), 1),
        is_yours=team.id == own_team,
    )
