"""Finding a collective without a code: the open ones near the household, a request to join, and
the captain's answer.

A collective is open to new members while its invitation code is active. It is "near" when the
territory it plays in holds the household's commune (the commune itself, its EPCI or its
département), closest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import Level
from challenge.infra.db import Database
from challenge.infra.upsert import upsert
from challenge.models import Commune, Enrolment, Household, Team, TeamJoinRequest, utcnow
from challenge.teams.members import as_captain, live_enrolment
from challenge.teams.membership import join_with_code

_CLOSEST_FIRST: dict[str, int] = {Level.COMMUNE: 0, Level.EPCI: 1, Level.DEPARTEMENT: 2}


@dataclass(frozen=True)
class OpenTeam:
    """A collective a household may ask to join."""

    team_id: int
    name: str
    description: str
    members: int
    asked: bool  # this household already asked


def open_teams_near(session: Session, household_id: int, limit: int = 20) -> list[OpenTeam]:
    """The collectives of the household's edition open to new members around its commune."""
    enrolment = live_enrolment(session, household_id)
    commune = session.get_one(Commune, session.get_one(Household, household_id).commune_code)
    members = (
        select(Enrolment.team_id, func.count().label("n"))
        .where(Enrolment.team_id.is_not(None))
        .group_by(Enrolment.team_id)
        .subquery()
    )
    asked = set(
        session.scalars(select(TeamJoinRequest.team_id).where(TeamJoinRequest.household_id == household_id))
    )
    found = session.execute(
        select(Team, func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.team_id == Team.id)
        .where(
            Team.edition_id == enrolment.edition_id,
            Team.invite_active.is_(True),
            or_(
                (Team.territory_level == Level.COMMUNE) & (Team.territory_code == commune.insee_code),
                (Team.territory_level == Level.EPCI) & (Team.territory_code == commune.epci_siren),
                (Team.territory_level == Level.DEPARTEMENT)
                & (Team.territory_code == commune.departement_code),
            ),
        )
    ).all()
    rows: list[tuple[Team, int]] = [(team, int(count)) for team, count in found]
    rows.sort(key=lambda row: (_CLOSEST_FIRST.get(row[0].territory_level, 3), -row[1], row[0].name))
    return [
        OpenTeam(team.id, team.name, team.description, count, team.id in asked)
        for team, count in rows[:limit]
    ]


def ask_to_join(db: Database, household_id: int, team_id: int) -> None:
    """Ask a captain to let the household in; asking twice changes nothing."""

    def work(session: Session) -> None:
        enrolment = live_enrolment(session, household_id)
        team = session.get(Team, team_id)
        if team is None or team.edition_id != enrolment.edition_id or not team.invite_active:
            raise ValidationError(_("Ce collectif n'accueille plus de nouveaux membres."))
        if enrolment.team_id is not None:
            raise ValidationError(_("Votre foyer fait déjà partie d'un collectif : quittez-le d'abord."))
        row = {"team_id": team_id, "household_id": household_id, "created_at": utcnow()}
        upsert(session, TeamJoinRequest, [row], ("team_id", "household_id"), replace=("created_at",))

    db.run_write(work, retry_conflicts=True)


def join_requests(session: Session, team_id: int) -> list[tuple[int, str]]:
    """(household id, name) of the households waiting for an answer, oldest first."""
    rows = session.execute(
        select(Household.id, Household.name)
        .join(TeamJoinRequest, TeamJoinRequest.household_id == Household.id)
        .where(TeamJoinRequest.team_id == team_id)
        .order_by(TeamJoinRequest.created_at, Household.id)
    )
    return [(household, name) for household, name in rows]


def answer_request(
    db: Database, captain_household_id: int, team_id: int, household_id: int, accept: bool
) -> None:
    """A captain lets the household in (as its code would) or declines; the request is gone either way."""

    def work(session: Session) -> None:
        team = as_captain(session, captain_household_id, team_id)
        waiting = session.scalar(
            select(TeamJoinRequest.id).where(
                TeamJoinRequest.team_id == team_id, TeamJoinRequest.household_id == household_id
            )
        )
        if waiting is None:
            return  # answered already (another captain, or a retried tap)
        session.execute(delete(TeamJoinRequest).where(TeamJoinRequest.household_id == household_id))
        if accept:
            join_with_code(session, live_enrolment(session, household_id), team.invite_code)

    db.run_write(work)
