"""What a household sees of collectives: its own team's page (with the captain's tools), and the
leaderboard of its edition."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from challenge.editions.lookup import enrolment_of
from challenge.infra.db import Database
from challenge.mail.notifications import preferences_of
from challenge.models import Household
from challenge.teams.captains import CaptainView, captain_view
from challenge.teams.leaderboard import Leaderboard, leaderboard, leaderboard_areas
from challenge.teams.places import territory_choices
from challenge.teams.requests import OpenTeam, join_requests, open_teams_near
from challenge.teams.stats import TeamBoard, team_board, team_of


@dataclass(frozen=True)
class TeamPageView:
    """ "My collective": nothing outside a live edition; without a team, where it may found one."""

    enrolled: bool
    board: TeamBoard | None = None
    tools: CaptainView | None = None  # for the team's captains only
    territories: list[tuple[str, str]] = field(default_factory=list)  # (level, label) to found one
    open_teams: list[OpenTeam] = field(default_factory=list)  # without a team: ones to ask to join
    requests: list[tuple[int, str]] = field(default_factory=list)  # for captains: households asking
    digest: bool = False  # for captains: the weekly digest of the collective is mailed to them


def team_page_view(db: Database, household_id: int, today: date, app_url: str = "") -> TeamPageView:
    with db.read() as session:
        if enrolment_of(session, household_id) is None:
            return TeamPageView(enrolled=False)
        team_id = team_of(session, household_id)
        if team_id is None:
            return TeamPageView(
                True,
                territories=territory_choices(session, household_id),
                open_teams=open_teams_near(session, household_id),
            )
        board = team_board(session, household_id, team_id, today)
        tools = captain_view(session, household_id, board, app_url) if board.you_are_captain else None
        if tools is None:
            return TeamPageView(True, board)
        account_id = session.get_one(Household, household_id).account_id
        digest = preferences_of(session, account_id).captain_digest
        return TeamPageView(True, board, tools, requests=join_requests(session, team_id), digest=digest)


@dataclass(frozen=True)
class LeaderboardView:
    areas: dict[tuple[str, str], str]  # (level, code) -> name: the territories one may filter on
    board: Leaderboard


def leaderboard_view(
    db: Database, household_id: int, today: date, area: tuple[str, str] | None = None
) -> LeaderboardView:
    """The household's edition's leaderboard, in `area` if given (ChallengeError outside an edition)."""
    with db.read() as session:
        areas = {(level, code): name for level, code, name in leaderboard_areas(session, household_id)}
        return LeaderboardView(
            areas, leaderboard(session, household_id, today, area if area in areas else None)
        )
