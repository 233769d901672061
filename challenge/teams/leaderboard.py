"""The collectives' leaderboard of an edition: aggregates per team only, never a member.

Ranking rule (explained in the same words on the page): the average de-GAFAM-isation score of
the members first, so that a small team competes fairly with a big one; then the share of
members who checked in this week; then the name, alphabetically. Teams of fewer than
MIN_RANKED_MEMBERS members are listed without rank or figures: an average over one or two
households is neither a fair comparison nor an aggregate (it would show their own answers).
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
from challenge.teams.members import NOT_ENROLLED
from challenge.teams.places import team_areas, territory_labels
from challenge.teams.tallies import average_tenths
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
    score: float | None
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
    if area is not None:
        areas = team_areas(session, teams)
        teams = [t for t in teams if area in areas[t.id]]
    members, scores, checked = (
        reads.teams_measure(session, edition.id, measure, week_of)
        for measure, week_of in (
            (TeamMeasure.MEMBERS, 0),
            (TeamMeasure.SCORE, 0),
            (TeamMeasure.CHECKED, week),
        )
    )
    labels = territory_labels(session, {(t.territory_level, t.territory_code) for t in teams})
    rows = [
        _standing(
            t,
            (members[t.id], scores[t.id], checked[t.id]),
            labels[(t.territory_level, t.territory_code)],
            t.id == own_team,
        )
        for t in teams
    ]
    ranked = sorted(
        (r for r in rows if not r.is_small),
        key=lambda r: (-(r.score or 0), -(r.participation or 0), search_key(r.name), r.team_id),
    )
    small = sorted((r for r in rows if r.is_small), key=lambda r: (search_key(r.name), r.team_id))
    standings = [replace(r, rank=rank) for rank, r in enumerate(ranked, start=1)] + small
    area_name = territory_labels(session, {area})[area] if area else None
    return Leaderboard(edition, week, area_name, standings)


def _standing(team: Team, tally: tuple[int, int, int], territory: str, is_yours: bool) -> TeamStanding:
    """A team's row from its counts: (consenting members, sum of their scores in tenths, checked in)."""
    members, score_tenths, checked = tally
    small = members < MIN_RANKED_MEMBERS
    return TeamStanding(
        rank=None,
        team_id=team.id,
        name=team.name,
        territory=territory,
        members=members,
        score=None if small else average_tenths(score_tenths, members),
        participation=None if small else round(100 * checked / members, 1),
        is_yours=is_yours,
    )
