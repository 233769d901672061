"""Finding a collective without a code: open ones near the household, a request, the captain's answer."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from challenge.core.errors import ChallengeError, ValidationError
from challenge.editions.calendar import EditionView
from challenge.infra.db import Database
from challenge.models import TeamJoinRequest
from challenge.teams import captains, membership
from challenge.teams.requests import answer_request, ask_to_join, join_requests, open_teams_near
from tests.conftest import AMIENS
from tests.integration.team_helpers import enrolment, household


def _near(db: Database, household_id: int) -> list[tuple[str, int, bool]]:
    with db.read() as session:
        return [(t.name, t.members, t.asked) for t in open_teams_near(session, household_id)]


def _waiting(db: Database, team_id: int) -> list[str]:
    with db.read() as session:
        return [name for _id, name in join_requests(session, team_id)]


def test_open_collectives_near_the_household_are_listed_closest_first(
    db: Database, edition: EditionView
) -> None:
    street = membership.create_team(db, household(db, "A"), "Rue des Lilas", territory_level="commune")
    membership.create_team(db, household(db, "B"), "Métropole verte", territory_level="epci")
    membership.create_team(
        db, household(db, "C", commune=AMIENS), "Amiens en selle", territory_level="commune"
    )
    closed = membership.create_team(db, household(db, "D"), "Complet", territory_level="commune")
    captains.revoke_invite(db, household_id_of_captain(db, closed.id), closed.id)
    newcomer = household(db, "Les Nouveaux")
    assert _near(db, newcomer) == [("Rue des Lilas", 1, False), ("Métropole verte", 1, False)]
    ask_to_join(db, newcomer, street.id)
    ask_to_join(db, newcomer, street.id)  # a second tap changes nothing
    assert _near(db, newcomer)[0] == ("Rue des Lilas", 1, True)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(TeamJoinRequest)) == 1


def household_id_of_captain(db: Database, team_id: int) -> int:
    from challenge.models import Enrolment

    with db.read() as session:
        return session.scalars(select(Enrolment.household_id).where(Enrolment.team_id == team_id)).one()


def test_the_captain_accepts_and_the_household_is_in(db: Database, edition: EditionView) -> None:
    captain = household(db, "Capitaine")
    team = membership.create_team(db, captain, "Rue des Lilas")
    newcomer, other = household(db, "Les Nouveaux"), household(db, "Les Autres")
    ask_to_join(db, newcomer, team.id)
    ask_to_join(db, other, team.id)
    assert _waiting(db, team.id) == ["Les Nouveaux", "Les Autres"]
    with pytest.raises(ChallengeError):
        answer_request(db, newcomer, team.id, other, accept=True)  # only a captain answers
    answer_request(db, captain, team.id, newcomer, accept=True)
    answer_request(db, captain, team.id, newcomer, accept=True)  # a retried tap changes nothing
    answer_request(db, captain, team.id, other, accept=False)
    assert enrolment(db, newcomer).team_id == team.id
    assert enrolment(db, other).team_id is None
    assert _waiting(db, team.id) == []


def test_a_closed_collective_cannot_be_asked(db: Database, edition: EditionView) -> None:
    captain = household(db, "Capitaine")
    team = membership.create_team(db, captain, "Rue des Lilas")
    captains.revoke_invite(db, captain, team.id)
    with pytest.raises(ValidationError, match="n'accueille plus"):
        ask_to_join(db, household(db, "Les Nouveaux"), team.id)
