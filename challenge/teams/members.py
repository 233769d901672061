"""Who is in a collective and who captains it: the checks every team use case starts with.

A household outside a team gets NotFound (it may not even learn that the team exists), a member
who is not a captain gets a ChallengeError.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, exists, func, select
from sqlalchemy.orm import Session

from challenge.core.errors import ChallengeError, NotFound, ValidationError
from challenge.core.i18n import _, lazy_gettext
from challenge.core.vocabulary import Role
from challenge.counts import upkeep
from challenge.editions.lookup import closed_edition_of, closed_message, enrolment_of, refuse_if_closed
from challenge.models import Enrolment, Household, RoleGrant, Team, utcnow

NOT_ENROLLED = lazy_gettext("Votre foyer ne participe à aucune édition en cours du défi.")
NOT_YOUR_TEAM = lazy_gettext("Ce collectif n'existe pas ou votre foyer n'en fait pas partie.")
CAPTAINS_ONLY = lazy_gettext("Seuls les capitaines du collectif peuvent faire cela.")


@dataclass(frozen=True)
class TeamSummary:
    id: int
    name: str
    invite_code: str


def live_enrolment(session: Session, household_id: int) -> Enrolment:
    found = enrolment_of(session, household_id)
    if found is None:
        closed = closed_edition_of(session, household_id)
        raise ValidationError(closed_message(closed) if closed else NOT_ENROLLED)
    return found[1]


def account_of(session: Session, household_id: int) -> int:
    account_id = session.scalar(select(Household.account_id).where(Household.id == household_id))
    if account_id is None:
        raise NotFound(_("Foyer introuvable."))
    return account_id


def captain_grant(team_id: int, account_id: int) -> ColumnElement[bool]:
    """SQL condition: this account is a captain of this team."""
    return (
        (RoleGrant.role == Role.CAPTAIN)
        & (RoleGrant.team_id == team_id)
        & (RoleGrant.account_id == account_id)
    )


def is_captain(session: Session, household_id: int, team_id: int) -> bool:
    account_id = account_of(session, household_id)
    return session.scalar(select(exists().where(captain_grant(team_id, account_id)))) or False


def captain_count(session: Session, team_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(RoleGrant)
            .where(RoleGrant.role == Role.CAPTAIN, RoleGrant.team_id == team_id)
        )
        or 0
    )


def locked_team(session: Session, team_id: int) -> Team | None:
    """The team row, locked until the end of the transaction on PostgreSQL (SQLite writers are serial)."""
    return session.scalar(select(Team).where(Team.id == team_id).with_for_update())


def member_enrolment(
    session: Session, household_id: int, team_id: int, *, lock: bool = False
) -> tuple[Team, Enrolment]:
    """The team and the household's enrolment in it, or NotFound for anyone outside the team.

    Writers `lock` the team row: on PostgreSQL, changes of one team's captains then run one at a
    time, so that two captains leaving together cannot leave the team without one.
    """
    team = locked_team(session, team_id) if lock else session.get(Team, team_id)
    enrolment = session.scalar(
        select(Enrolment).where(Enrolment.household_id == household_id, Enrolment.team_id == team_id)
    )
    if team is None or enrolment is None:
        raise NotFound(NOT_YOUR_TEAM)
    if lock:  # a change: a closed edition's teams stay as they were
        refuse_if_closed(session, team.edition_id)
    return team, enrolment


def as_captain(session: Session, household_id: int, team_id: int) -> Team:
    team, _ = member_enrolment(session, household_id, team_id, lock=True)
    if not is_captain(session, household_id, team_id):
        raise ChallengeError(CAPTAINS_ONLY)
    return team


def put_in_team(session: Session, enrolment: Enrolment, team: Team) -> None:
    with upkeep.tracking(session, [enrolment.household_id]):  # the team's counts
        enrolment.team_id, enrolment.team_joined_at = team.id, utcnow()


def drop_member(session: Session, enrolment: Enrolment, team_id: int) -> None:
    account_id = account_of(session, enrolment.household_id)
    session.execute(delete(RoleGrant).where(captain_grant(team_id, account_id)))
    with upkeep.tracking(session, [enrolment.household_id]):  # the team's counts
        enrolment.team_id, enrolment.team_joined_at = None, None
