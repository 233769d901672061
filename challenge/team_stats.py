"""What a collective sees of itself: participation this week, average score, shared goals.

Teammates agreed, when joining, to see whether each other checked in this week; they never see
each other's answers or scores, only the team's averages and counts. Households that withdrew
their consent are left out of every figure (counted as "paused").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from challenge import scoring
from challenge.editions import EditionView, enrolment_of
from challenge.models import (
    Alternative,
    BigTechService,
    Category,
    ChosenAlternative,
    DeclaredService,
    Edition,
    Enrolment,
    Household,
    RoleGrant,
    TeamGoal,
)
from challenge.team_facts import MemberFacts, average, member_facts, this_week
from challenge.team_territories import territory_label
from challenge.teams import CAPTAIN, member_enrolment

TOP_ALTERNATIVES = 5


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
    """A shared goal and how far the team got: members using the service, switched, on the alternative."""

    service_slug: str
    service_name: str
    alternative_name: str | None
    declared: int
    switched: int
    chose_alternative: int


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
    week, last_week = this_week(edition, today), edition.last_started_week(today)
    facts = member_facts(session, edition.id, team_id)
    captains = _captain_households(session, team_id)
    members = sorted(
        (
            TeamMember(
                f.household_id,
                f.name,
                is_captain=f.household_id in captains,
                checked_in=week in f.checked_weeks,
                is_you=f.household_id == household_id,
            )
            for f in facts
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
        paused=_member_count(session, team_id) - len(facts),
        score=average([f.score for f in facts]),
        switched=sum(scoring.switched_count(f.baseline, f.latest) for f in facts),
        streak=_team_streak(facts, last_week),
        weekly=_weekly(facts, last_week),
        by_category=_switches_by_category(session, facts),
        top_alternatives=_top_alternatives(session, facts),
        goals=_goals(session, team_id, facts),
    )


def _member_count(session: Session, team_id: int) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.team_id == team_id)) or 0
    )


def _captain_households(session: Session, team_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Household.id)
            .join(RoleGrant, RoleGrant.account_id == Household.account_id)
            .where(RoleGrant.role == CAPTAIN, RoleGrant.team_id == team_id)
        )
    )


def _team_streak(facts: list[MemberFacts], last_week: int) -> int:
    """Weeks in a row, up to now, when at least half of the members checked in."""
    if not facts:
        return 0
    counts = Counter(week for f in facts for week in f.checked_weeks)
    return scoring.weekly_streak([week for week, n in counts.items() if 2 * n >= len(facts)], last_week)


def _weekly(facts: list[MemberFacts], last_week: int) -> list[TeamWeek]:
    """The current members' average score and check-ins, week after week."""
    weeks = []
    for week in range(1, last_week + 1):
        scores = [
            scoring.degafam_score(f.baseline, scoring.latest_statuses(f.history, up_to_week=week))
            for f in facts
        ]
        weeks.append(TeamWeek(week, average(scores), sum(week in f.checked_weeks for f in facts)))
    return weeks


def _switches_by_category(session: Session, facts: list[MemberFacts]) -> list[tuple[str, int]]:
    """(category, services switched by the members), in catalogue order."""
    categories = {
        slug: (position, name)
        for slug, position, name in session.execute(
            select(BigTechService.slug, Category.position, Category.name).join(Category)
        )
    }
    counts = Counter(
        categories[service]
        for f in facts
        for service in dict.fromkeys(f.baseline)
        if f.latest.get(service) in scoring.SWITCHED
    )
    return [(name, count) for (_, name), count in sorted(counts.items())]


def _chosen(session: Session, facts: list[MemberFacts]) -> list[tuple[int, str, str, str]]:
    """(household, service, alternative slug, alternative name) chosen by the members."""
    rows = session.execute(
        select(DeclaredService.household_id, DeclaredService.service_slug, Alternative.slug, Alternative.name)
        .join(ChosenAlternative, ChosenAlternative.declared_service_id == DeclaredService.id)
        .join(Alternative, Alternative.slug == ChosenAlternative.alternative_slug)
        .where(DeclaredService.household_id.in_([f.household_id for f in facts]))
    )
    return [(household, service, slug, name) for household, service, slug, name in rows]


def _top_alternatives(session: Session, facts: list[MemberFacts]) -> list[tuple[str, int, int]]:
    """(alternative, members who chose it, of whom switched), most chosen first."""
    latest = {f.household_id: f.latest for f in facts}
    chose: dict[str, set[int]] = {}
    switched: dict[str, set[int]] = {}
    for household, service, _, name in _chosen(session, facts):
        chose.setdefault(name, set()).add(household)
        if latest[household].get(service) in scoring.SWITCHED:
            switched.setdefault(name, set()).add(household)
    ranked = sorted(
        chose, key=lambda name: (-len(chose[name]), -len(switched.get(name, ())), name.casefold())
    )
    return [(name, len(chose[name]), len(switched.get(name, ()))) for name in ranked[:TOP_ALTERNATIVES]]


def _goals(session: Session, team_id: int, facts: list[MemberFacts]) -> list[GoalProgress]:
    goals = session.execute(
        select(TeamGoal, BigTechService.name, Alternative.name)
        .join(BigTechService, BigTechService.slug == TeamGoal.service_slug)
        .outerjoin(Alternative, Alternative.slug == TeamGoal.alternative_slug)
        .where(TeamGoal.team_id == team_id)
        .order_by(TeamGoal.created_at, TeamGoal.id)
    ).all()
    chosen = (
        {(household, service, slug) for household, service, slug, _ in _chosen(session, facts)}
        if goals
        else set()
    )
    progress = []
    for goal, service_name, alternative_name in goals:
        users = [f for f in facts if goal.service_slug in f.baseline]
        progress.append(
            GoalProgress(
                service_slug=goal.service_slug,
                service_name=service_name,
                alternative_name=alternative_name,
                declared=len(users),
                switched=sum(f.latest.get(goal.service_slug) in scoring.SWITCHED for f in users),
                chose_alternative=sum(
                    (f.household_id, goal.service_slug, goal.alternative_slug) in chosen for f in users
                ),
            )
        )
    return progress
