"""What a collective sees of itself: participation this week, average score, shared goals, pledges.

Teammates agreed, when joining, to see whether each other checked in this week; they never see
each other's answers or scores, only the team's averages and counts. Households that withdrew
their consent are left out of every figure (counted as "paused").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from challenge.core.vocabulary import Role, TeamMeasure
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import enrolment_of
from challenge.models import Alternative, BigTechService, Edition, Enrolment, Household, RoleGrant, TeamGoal
from challenge.teams import tallies
from challenge.teams.members import member_enrolment
from challenge.teams.places import territory_label
from challenge.teams.pledge_board import PledgeProgress, team_pledges
from challenge.teams.usage import users_of

TOP_ALTERNATIVES = tallies.TOP_ALTERNATIVES


@dataclass(frozen=True)
class TeamMember:
    household_id: int
    name: str
    is_captain: bool
    checked_in: bool
    is_you: bool


@dataclass(frozen=True)
class TeamWeek:
    week: int
    score: float
    checked_in: int


@dataclass(frozen=True)
class GoalProgress:
    """A shared goal and how far the team got: members using the service, who left it, and who is
    on the goal's alternative by their check-ins (names shown to teammates only)."""

    service_slug: str
    service_name: str
    alternative_slug: str | None  # None: a goal set before goals named their alternative
    alternative_name: str | None
    declared: int
    switched: int
    on_alternative: list[str]


@dataclass(frozen=True)
class GoalCount:
    """How far the team got on a shared goal, in numbers only (what a member's badges need)."""

    service_slug: str
    declared: int
    switched: int


@dataclass(frozen=True)
class TeamBoard:
    team_id: int
    name: str
    description: str
    territory: str
    edition: EditionView
    week: int
    you_are_captain: bool
    has_captain: bool
    members: list[TeamMember]
    paused: int
    score: float
    switched: int
    streak: int
    weekly: list[TeamWeek]
    by_category: list[tuple[str, int]]
    top_alternatives: list[tuple[str, int, int]]
    goals: list[GoalProgress]
    pledges: list[PledgeProgress]

    @property
    def checked_in(self) -> int:
        return sum(member.checked_in for member in self.members)

    @property
    def participation(self) -> float:
        """Share (0-100) of the members who checked in this week."""
        return round(100 * self.checked_in / len(self.members), 1) if self.members else 0.0


def team_of(session: Session, household_id: int) -> int | None:
    """The household's team in its live edition, if any."""
    found = enrolment_of(session, household_id)
    return found[1].team_id if found else None


def team_board(session: Session, household_id: int, team_id: int, today: date) -> TeamBoard:
    """The team page of a member; NotFound for a household outside the team."""
    team, _ = member_enrolment(session, household_id, team_id)
    edition = EditionView.of(session.get_one(Edition, team.edition_id))
    week, last_week = edition.this_week(today), edition.last_started_week(today)
    roster = tallies.members_this_week(session, edition.id, team_id, week)
    tally = tallies.tally_of(session, edition.id, team_id, len(roster))
    captains = _captain_households(session, team_id)
    members = sorted(
        (
            TeamMember(
                member,
                name,
                is_captain=member in captains,
                checked_in=checked,
                is_you=member == household_id,
            )
            for member, name, checked in roster
        ),
        key=lambda m: (not m.is_captain, m.name.casefold()),
    )
    return TeamBoard(
        team_id=team.id,
        name=team.name,
        description=team.description,
        territory=territory_label(session, team.territory_level, team.territory_code),
        edition=edition,
        week=week,
        you_are_captain=household_id in captains,
        has_captain=bool(captains),
        members=members,
        paused=_member_count(session, team_id) - len(roster),
        score=tally.score,
        switched=sum(tally.items(TeamMeasure.CATEGORY).values()),
        streak=tally.streak(last_week),
        weekly=[
            TeamWeek(w, tally.score_at(w), tally.get(TeamMeasure.CHECKED, w)) for w in range(1, last_week + 1)
        ],
        by_category=tallies.switches_by_category(session, tally),
        top_alternatives=tallies.top_alternatives(session, tally),
        goals=_goals(session, edition.id, team_id, tally),
        pledges=team_pledges(session, edition.id, team_id, household_id),
    )


def goal_counts_of(session: Session, edition_id: int, team_id: int) -> list[GoalCount]:
    """The team's shared goals as counts, from its pre-aggregated counts: the badges of a member's
    progress need these, not the team page (`team_board` also names who is on each alternative)."""
    services = session.scalars(
        select(TeamGoal.service_slug)
        .where(TeamGoal.team_id == team_id)
        .order_by(TeamGoal.created_at, TeamGoal.id)
    ).all()
    if not services:
        return []
    tally = tallies.tally_of(session, edition_id, team_id, members=0)  # counts only: no averages read
    return [GoalCount(service, *tallies.goal_counts(tally, service)) for service in services]


def _member_count(session: Session, team_id: int) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.team_id == team_id)) or 0
    )


def _captain_households(session: Session, team_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Household.id)
            .join(RoleGrant, RoleGrant.account_id == Household.account_id)
            .where(RoleGrant.role == Role.CAPTAIN, RoleGrant.team_id == team_id)
        )
    )


def _goals(session: Session, edition_id: int, team_id: int, tally: tallies.Tally) -> list[GoalProgress]:
    goals = session.execute(
        select(TeamGoal, BigTechService.name, Alternative.name)
        .join(BigTechService, BigTechService.slug == TeamGoal.service_slug)
        .outerjoin(Alternative, Alternative.slug == TeamGoal.alternative_slug)
        .where(TeamGoal.team_id == team_id)
        .order_by(TeamGoal.created_at, TeamGoal.id)
    ).all()
    named = {goal.alternative_slug for goal, *_rest in goals if goal.alternative_slug}
    users = users_of(session, edition_id, team_id, named)
    progress = []
    for goal, service_name, alternative_name in goals:
        declared, switched = tallies.goal_counts(tally, goal.service_slug)
        on = users.get(goal.alternative_slug, []) if goal.alternative_slug else []
        progress.append(
            GoalProgress(
                service_slug=goal.service_slug,
                service_name=service_name,
                alternative_slug=goal.alternative_slug,
                alternative_name=alternative_name,
                declared=declared,
                switched=switched,
                on_alternative=[name for _household, name in on],
            )
        )
    return progress
