"""Households and teams for the collectives' tests, made through the real services.

Accounts are inserted without a password (no argon2 hashing): these tests never log in, and a
table-driven test builds many of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan, set_up_household
from challenge.infra.db import Database
from challenge.models import Account, Enrolment, RoleGrant, Team, TeamGoal
from tests.conftest import LILLE
from tests.support.households import join_before_start


def household(db: Database, name: str, commune: str = LILLE, invite_code: str = "") -> int:
    """A household enrolled in the running edition since before it started."""
    with db.write() as session:
        account = Account(email=f"{name.lower().replace(' ', '-')}@exemple.fr")
        session.add(account)
        session.flush()
        account_id = account.id
    household_id = set_up_household(db, account_id, name, commune, 2, True, invite_code).household_id
    join_before_start(db, household_id)
    return household_id


def check_in(db: Database, household_id: int, week: int, today: date, **statuses: str) -> None:
    """Declare the services (if needed) and record their statuses for `week`."""
    record_checkin(db, household_id, week, [CheckinEntry(s, v) for s, v in statuses.items()], today)


def plan(db: Database, household_id: int, services: dict[str, list[str]]) -> None:
    save_service_plan(db, household_id, services)


@dataclass(frozen=True)
class TeamState:
    """Everything about a team a refused action must leave untouched."""

    members: frozenset[int]
    captains: frozenset[int]
    invite: tuple[str, bool]
    goals: frozenset[tuple[str, str | None]]


def team_state(db: Database, team_id: int) -> TeamState | None:
    with db.read() as session:
        team = session.get(Team, team_id)
        if team is None:
            return None
        members = session.scalars(select(Enrolment.household_id).where(Enrolment.team_id == team_id))
        captains = session.scalars(
            select(RoleGrant.account_id).where(RoleGrant.team_id == team_id, RoleGrant.role == "captain")
        )
        goals = session.execute(
            select(TeamGoal.service_slug, TeamGoal.alternative_slug).where(TeamGoal.team_id == team_id)
        )
        return TeamState(
            frozenset(members),
            frozenset(captains),
            (team.invite_code, team.invite_active),
            frozenset((service, alternative) for service, alternative in goals),
        )


def state_of(db: Database, team_id: int) -> TeamState:
    """The state of a team that must exist."""
    state = team_state(db, team_id)
    assert state is not None, f"team {team_id} is gone"
    return state


def enrolment(db: Database, household_id: int) -> Enrolment:
    with db.read() as session:
        return session.scalars(select(Enrolment).where(Enrolment.household_id == household_id)).one()
