"""Collectives (teams): create one, join it by invitation code, leave it; who is a captain.

Every use case takes the acting household and checks what it may do: a household outside a team
gets NotFound (it may not even learn that the team exists), a member who is not a captain gets a
ChallengeError. Each write is one transaction and can be retried: a double tap changes nothing
more than a single one. Who belongs and who captains: challenge.teams.members; codes:
challenge.teams.codes; the captains' tools: challenge.teams.captains.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from challenge.core.errors import ChallengeError, ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import Level, Role
from challenge.counts import upkeep
from challenge.infra.db import Database
from challenge.models import Enrolment, Household, RoleGrant, Team, utcnow
from challenge.teams.code_guard import guarded_code_attempt
from challenge.teams.codes import INVALID_CODE, team_by_invite_code, unused_invite_code
from challenge.teams.members import (
    TeamSummary,
    account_of,
    captain_count,
    drop_member,
    is_captain,
    live_enrolment,
    locked_team,
    put_in_team,
)
from challenge.territories.referential import place_of

TEAM_LEVELS = (Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT)
MAX_NAME, MAX_DESCRIPTION = 60, 500


def check_team_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Donnez un nom à votre collectif."), field="name")
    if len(name) > MAX_NAME:
        raise ValidationError(
            _("Le nom du collectif ne peut dépasser {count} caractères.").format(count=MAX_NAME), field="name"
        )
    return name


def create_team(
    db: Database, household_id: int, name: str, description: str = "", territory_level: str = Level.COMMUNE
) -> TeamSummary:
    """Create a collective in the household's edition and territory; the household becomes captain.

    A retried creation (double tap) returns the team already created instead of failing.
    """
    name = check_team_name(name)
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(
            _("La description ne peut dépasser {count} caractères.").format(count=MAX_DESCRIPTION)
        )
    if territory_level not in TEAM_LEVELS:
        raise ValidationError(_("Choisissez la commune, l'intercommunalité ou le département du collectif."))

    def work(session: Session) -> TeamSummary:
        enrolment = live_enrolment(session, household_id)
        if enrolment.team_id is not None:
            return _already_in_team(session, household_id, enrolment.team_id, name)
        taken = session.scalars(select(Team.name).where(Team.edition_id == enrolment.edition_id))
        if name.casefold() in {other.casefold() for other in taken}:
            raise ValidationError(_("Un collectif porte déjà ce nom : choisissez-en un autre."), field="name")
        household = session.get_one(Household, household_id)
        territory = dict(place_of(session, household.commune_code).territories)
        team = Team(
            edition_id=enrolment.edition_id,
            name=name,
            description=description,
            territory_level=territory_level,
            territory_code=territory[territory_level],
            invite_code=unused_invite_code(session),
        )
        session.add(team)
        session.flush()
        put_in_team(session, enrolment, team)
        session.add(RoleGrant(account_id=household.account_id, role=Role.CAPTAIN, team_id=team.id))
        return TeamSummary(team.id, team.name, team.invite_code)

    return db.run_write(work, retry_conflicts=True)


def _already_in_team(session: Session, household_id: int, team_id: int, name: str) -> TeamSummary:
    team = session.get_one(Team, team_id)
    if team.name == name and is_captain(session, household_id, team_id):
        return TeamSummary(team.id, team.name, team.invite_code)
    raise ValidationError(
        _(
            "Votre foyer fait déjà partie du collectif « {team} » : "
            "quittez-le d'abord pour en créer un autre."
        ).format(team=team.name)
    )


def join_with_code(session: Session, enrolment: Enrolment, code: str) -> Team:
    """Put the enrolment in the team of this code; joining the same team again changes nothing.

    The conditional update keeps "at most one team per edition" even when two joins race; the
    team lock keeps a join and the last member's departure (which dissolves the team) apart.
    """
    team = team_by_invite_code(session, code, enrolment.edition_id)
    if enrolment.team_id == team.id:
        return team
    if locked_team(session, team.id) is None:
        raise ValidationError(INVALID_CODE, field="invite_code")
    with upkeep.tracking(session, [enrolment.household_id]):  # the team's counts
        result = session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment.id, Enrolment.team_id.is_(None))
            .values(team_id=team.id, team_joined_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    if not cast("CursorResult[Any]", result).rowcount:
        session.refresh(enrolment)
        if enrolment.team_id == team.id:
            return team
        current = session.get_one(Team, enrolment.team_id)
        raise ValidationError(
            _(
                "Votre foyer fait déjà partie du collectif « {team} » : quittez-le d'abord "
                "pour en rejoindre un autre."
            ).format(team=current.name),
            field="invite_code",
        )
    session.refresh(enrolment)
    return team


def join_team(db: Database, household_id: int, code: str, client: str | None = None) -> TeamSummary:
    """Join a collective with its invitation code (the household agreed to share its check-ins);
    wrong codes are charged to the account and to the `client` network (teams.code_guard)."""

    def work(session: Session) -> TeamSummary:
        team = join_with_code(session, live_enrolment(session, household_id), code)
        return TeamSummary(team.id, team.name, team.invite_code)

    with db.read() as session:
        account_id = account_of(session, household_id)
    return guarded_code_attempt(db, account_id, client, code, lambda: db.run_write(work))


def leave_team(db: Database, household_id: int) -> bool:
    """Leave the household's collective; the last member leaving dissolves it (returns True then).

    A captain cannot leave members without a captain: they hand the role over first.
    Leaving when already out changes nothing.
    """

    def work(session: Session) -> bool:
        enrolment = live_enrolment(session, household_id)
        if enrolment.team_id is None:
            return False
        team_id = enrolment.team_id
        locked_team(session, team_id)
        others = session.scalar(
            select(func.count())
            .select_from(Enrolment)
            .where(Enrolment.team_id == team_id, Enrolment.id != enrolment.id)
        )
        captain = is_captain(session, household_id, team_id)
        if captain and others and captain_count(session, team_id) == 1:
            raise ChallengeError(
                _(
                    "Vous êtes le seul capitaine : confiez d'abord ce rôle à un autre membre "
                    "(ou nommez un co-capitaine) avant de quitter le collectif."
                )
            )
        drop_member(session, enrolment, team_id)
        if not others:
            session.execute(delete(Team).where(Team.id == team_id))
        return not others

    return db.run_write(work)
