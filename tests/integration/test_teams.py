"""Collectives: creating, joining, leaving, the captains' tools and who may do what."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from challenge.core.errors import ChallengeError, NotFound, ValidationError
from challenge.demo.teams import create_team_for_demo
from challenge.editions.calendar import EditionView
from challenge.households.rights import delete_account
from challenge.infra.db import Database
from challenge.models import Account, Enrolment, Household, Team, utcnow
from challenge.teams import captains, codes, members, membership
from challenge.teams.captains import captain_view
from challenge.teams.stats import team_board
from tests.conftest import AMIENS, LILLE
from tests.integration.team_helpers import enrolment, household, state_of, team_state
from tests.support.concurrency import at_once
from tests.support.editions import make_edition

CODE = re.compile(rf"^[{codes.INVITE_ALPHABET}]{{{codes.INVITE_LENGTH}}}$")


def _team(db: Database, team_id: int) -> Team:
    with db.read() as session:
        return session.get_one(Team, team_id)


def _account(db: Database, household_id: int) -> int:
    with db.read() as session:
        return session.get_one(Household, household_id).account_id


def _teams(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Team)) or 0


# --- creating a collective -------------------------------------------------------------------


def test_creating_a_team_makes_the_household_its_captain(db: Database, edition: EditionView) -> None:
    founder = household(db, "Les Colibris")
    created = membership.create_team(db, founder, "  Rue  des Lilas ", "Nos voisins", "epci")
    team = _team(db, created.id)
    assert (team.name, team.description, team.edition_id) == ("Rue des Lilas", "Nos voisins", edition.id)
    assert (team.territory_level, team.territory_code) == ("epci", "200093201")  # the MEL, around Lille
    assert CODE.match(team.invite_code)
    assert team.invite_active
    joined = enrolment(db, founder)
    assert joined.team_id == created.id
    assert joined.team_joined_at is not None
    assert state_of(db, created.id).captains == {_account(db, founder)}


@pytest.mark.parametrize(
    ("level", "code"), [("commune", LILLE), ("epci", "200093201"), ("departement", "59")]
)
def test_a_team_plays_in_a_territory_of_its_founder(
    db: Database, edition: EditionView, level: str, code: str
) -> None:
    created = membership.create_team(
        db, household(db, "Les Colibris"), "Rue des Lilas", territory_level=level
    )
    assert (_team(db, created.id).territory_level, _team(db, created.id).territory_code) == (level, code)


def test_creating_twice_by_double_tap_gives_one_team(db: Database, edition: EditionView) -> None:
    founder = household(db, "Les Colibris")
    first = membership.create_team(db, founder, "Rue des Lilas")
    again = membership.create_team(db, founder, "Rue des Lilas")
    together = at_once(lambda: membership.create_team(db, founder, "Rue des Lilas"))
    assert {first, again, *together} == {first}
    assert _teams(db) == 1


def test_two_taps_at_once_on_create_give_one_team(db: Database, edition: EditionView) -> None:
    founder = household(db, "Les Colibris")
    first, second = at_once(lambda: membership.create_team(db, founder, "Rue des Lilas"))
    assert first == second
    assert _teams(db) == 1


@pytest.mark.parametrize(
    ("name", "level", "message"),
    [
        ("", "commune", "Donnez un nom"),
        ("   ", "commune", "Donnez un nom"),
        ("x" * 61, "commune", "ne peut dépasser 60"),
        ("rue des lilas", "commune", "porte déjà ce nom"),
        ("Les Mésanges", "region", "Choisissez la commune"),
    ],
)
def test_bad_team_input_is_refused_and_nothing_is_written(
    db: Database, edition: EditionView, name: str, level: str, message: str
) -> None:
    membership.create_team(db, household(db, "Les Colibris"), "Rue des Lilas")
    other = household(db, "Les Mésanges")
    with pytest.raises(ValidationError, match=message):
        membership.create_team(db, other, name, territory_level=level)
    assert _teams(db) == 1
    assert enrolment(db, other).team_id is None


def test_a_household_in_a_team_cannot_create_another(db: Database, edition: EditionView) -> None:
    founder = household(db, "Les Colibris")
    team = membership.create_team(db, founder, "Rue des Lilas")
    with pytest.raises(ValidationError, match="quittez-le d'abord"):
        membership.create_team(db, founder, "Autre collectif")
    assert _teams(db) == 1
    assert enrolment(db, founder).team_id == team.id


def test_a_household_without_edition_cannot_create_a_team(db: Database) -> None:
    with db.write() as session:
        account = Account(email="seul@exemple.fr")
        session.add(account)
        session.flush()
        session.add(
            Household(
                account_id=account.id,
                name="Seul",
                commune_code=LILLE,
                size=1,
                consent_version="x",
                consent_at=utcnow(),
            )
        )
    with db.read() as session:
        lonely = session.scalars(select(Household.id)).one()
    with pytest.raises(ValidationError, match="aucune édition en cours"):
        membership.create_team(db, lonely, "Rue des Lilas")


# --- joining with a code ---------------------------------------------------------------------


def test_joining_with_the_code_records_the_moment_of_consent(db: Database, edition: EditionView) -> None:
    team = membership.create_team(db, household(db, "Les Colibris"), "Rue des Lilas")
    newcomer = household(db, "Les Mésanges", AMIENS)  # a team is not limited to its territory
    typed = f" {team.invite_code[:3].lower()}-{team.invite_code[3:]} "
    assert membership.join_team(db, newcomer, typed).id == team.id
    joined = enrolment(db, newcomer)
    assert joined.team_id == team.id
    assert joined.team_joined_at is not None


def test_joining_again_changes_nothing(db: Database, edition: EditionView) -> None:
    team = membership.create_team(db, household(db, "Les Colibris"), "Rue des Lilas")
    newcomer = household(db, "Les Mésanges")
    membership.join_team(db, newcomer, team.invite_code)
    first_time = enrolment(db, newcomer).team_joined_at
    results = [
        membership.join_team(db, newcomer, team.invite_code),
        *at_once(lambda: membership.join_team(db, newcomer, team.invite_code)),
    ]
    assert {r.id for r in results} == {team.id}
    assert enrolment(db, newcomer).team_joined_at == first_time


def test_two_taps_at_once_on_join_give_one_membership(db: Database, edition: EditionView) -> None:
    team = membership.create_team(db, household(db, "Les Colibris"), "Rue des Lilas")
    newcomer = household(db, "Les Mésanges")
    first, second = at_once(lambda: membership.join_team(db, newcomer, team.invite_code))
    assert first.id == second.id == team.id
    assert enrolment(db, newcomer).team_id == team.id
    assert len(state_of(db, team.id).members) == 2


def _other_edition_code(db: Database) -> str:
    other = make_edition(db, "Défi 2025", date.today() - timedelta(weeks=60), status="closed")
    with db.write() as session:
        session.add(
            Team(
                edition_id=other.id,
                name="Ailleurs",
                territory_level="region",
                territory_code="32",
                invite_code="ZZZZZZ",
            )
        )
    return "ZZZZZZ"


@pytest.mark.parametrize("case", ["unknown", "revoked", "replaced", "other edition", "empty"])
def test_a_bad_code_is_refused_and_nothing_changes(db: Database, edition: EditionView, case: str) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    code = {"unknown": "AAAAAA", "revoked": team.invite_code, "replaced": team.invite_code, "empty": " "}.get(
        case
    )
    if case == "revoked":
        captains.revoke_invite(db, captain, team.id)
    if case == "replaced":
        captains.regenerate_invite(db, captain, team.id)
    if case == "other edition":
        code = _other_edition_code(db)
    newcomer = household(db, "Les Mésanges")
    before = team_state(db, team.id)
    with pytest.raises(
        ValidationError, match="Saisissez le code" if case == "empty" else "Code d'invitation inconnu"
    ):
        membership.join_team(db, newcomer, code or "")
    assert enrolment(db, newcomer).team_id is None
    assert team_state(db, team.id) == before


def test_joining_a_second_team_requires_leaving_the_first(db: Database, edition: EditionView) -> None:
    first = membership.create_team(db, household(db, "Les Colibris"), "Rue des Lilas")
    second = membership.create_team(db, household(db, "Les Hérons"), "Quartier Gare")
    member = household(db, "Les Mésanges")
    membership.join_team(db, member, first.invite_code)
    with pytest.raises(ValidationError, match=r"Rue des Lilas.*quittez-le d'abord"):
        membership.join_team(db, member, second.invite_code)
    assert enrolment(db, member).team_id == first.id
    membership.leave_team(db, member)
    assert membership.join_team(db, member, second.invite_code).id == second.id


def test_onboarding_with_an_active_code_joins_the_team(db: Database, edition: EditionView) -> None:
    team = membership.create_team(db, household(db, "Les Colibris"), "Rue des Lilas")
    member = household(db, "Les Mésanges", invite_code=team.invite_code.lower())
    joined = enrolment(db, member)
    assert joined.team_id == team.id
    assert joined.team_joined_at is not None


def test_onboarding_with_a_revoked_code_is_refused_and_writes_nothing(
    db: Database, edition: EditionView
) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    captains.revoke_invite(db, captain, team.id)
    with pytest.raises(ValidationError, match="Code d'invitation inconnu"):
        household(db, "Les Mésanges", invite_code=team.invite_code)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 1


# --- leaving, removing, captains -------------------------------------------------------------


def test_a_member_leaves_and_can_leave_again_harmlessly(db: Database, edition: EditionView) -> None:
    team = membership.create_team(db, household(db, "Les Colibris"), "Rue des Lilas")
    member = household(db, "Les Mésanges")
    membership.join_team(db, member, team.invite_code)
    assert membership.leave_team(db, member) is False
    assert membership.leave_team(db, member) is False
    left = enrolment(db, member)
    assert left.team_id is None
    assert left.team_joined_at is None
    assert _teams(db) == 1


def test_the_last_captain_cannot_leave_members_behind(db: Database, edition: EditionView) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    membership.join_team(db, household(db, "Les Mésanges"), team.invite_code)
    before = team_state(db, team.id)
    with pytest.raises(ChallengeError, match="seul capitaine"):
        membership.leave_team(db, captain)
    assert team_state(db, team.id) == before


def test_a_captain_leaves_once_a_co_captain_is_named(db: Database, edition: EditionView) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    member = household(db, "Les Mésanges")
    membership.join_team(db, member, team.invite_code)
    captains.appoint_captain(db, captain, team.id, member)
    membership.leave_team(db, captain)
    state = team_state(db, team.id)
    assert state is not None
    assert state.members == {member}
    assert state.captains == {_account(db, member)}


def test_the_last_member_leaving_dissolves_the_team(db: Database, edition: EditionView) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    captains.set_goal(db, captain, team.id, "whatsapp", "signal")
    assert membership.leave_team(db, captain) is True
    assert team_state(db, team.id) is None
    membership.create_team(db, captain, "Rue des Lilas")  # the name is free again
    assert _teams(db) == 1


def test_a_captain_removes_a_member_and_a_retry_changes_nothing(db: Database, edition: EditionView) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    member = household(db, "Les Mésanges")
    membership.join_team(db, member, team.invite_code)
    captains.appoint_captain(db, captain, team.id, member)
    assert captains.remove_member(db, captain, team.id, member) is True
    assert captains.remove_member(db, captain, team.id, member) is False
    state = team_state(db, team.id)
    assert state is not None
    assert state.members == {captain}
    assert state.captains == {_account(db, captain)}


def test_a_captain_cannot_remove_themselves(db: Database, edition: EditionView) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    before = team_state(db, team.id)
    with pytest.raises(ChallengeError, match="retirer vous-même"):
        captains.remove_member(db, captain, team.id, captain)
    assert team_state(db, team.id) == before


def test_handing_over_the_captain_role(db: Database, edition: EditionView) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    member = household(db, "Les Mésanges")
    membership.join_team(db, member, team.invite_code)
    with pytest.raises(ChallengeError, match="un autre membre"):
        captains.appoint_captain(db, captain, team.id, captain, step_down=True)
    captains.appoint_captain(db, captain, team.id, member, step_down=True)
    captains.appoint_captain(db, member, team.id, member)  # already captain: nothing changes
    state = team_state(db, team.id)
    assert state is not None
    assert state.captains == {_account(db, member)}
    assert state.members == {captain, member}
    with pytest.raises(ChallengeError, match="Seuls les capitaines"):
        captains.revoke_invite(db, captain, team.id)


def test_a_captain_cannot_appoint_a_household_outside_the_team(db: Database, edition: EditionView) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    stranger = household(db, "Les Mésanges")
    before = team_state(db, team.id)
    with pytest.raises(NotFound):
        captains.appoint_captain(db, captain, team.id, stranger)
    assert team_state(db, team.id) == before


def test_a_member_takes_up_the_role_when_the_captain_deleted_the_account(
    db: Database, edition: EditionView
) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    member = household(db, "Les Mésanges")
    membership.join_team(db, member, team.invite_code)
    with pytest.raises(ChallengeError, match="déjà un capitaine"):
        captains.claim_captaincy(db, member, team.id)
    delete_account(db, _account(db, captain), "SUPPRIMER")
    with db.read() as session:
        assert not team_board(session, member, team.id, date.today()).has_captain
    captains.claim_captaincy(db, member, team.id)
    captains.claim_captaincy(db, member, team.id)  # a double tap changes nothing
    assert state_of(db, team.id).captains == {_account(db, member)}


def test_revoking_then_regenerating_the_code(db: Database, edition: EditionView) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    captains.revoke_invite(db, captain, team.id)
    captains.revoke_invite(db, captain, team.id)
    assert state_of(db, team.id).invite == (team.invite_code, False)
    fresh = captains.regenerate_invite(db, captain, team.id)
    assert fresh != team.invite_code
    assert CODE.match(fresh)
    assert state_of(db, team.id).invite == (fresh, True)
    newcomer = household(db, "Les Mésanges")
    with pytest.raises(ValidationError):
        membership.join_team(db, newcomer, team.invite_code)
    assert membership.join_team(db, newcomer, fresh).id == team.id


def test_invitation_codes_are_unambiguous() -> None:
    made = {codes.new_invite_code() for _ in range(500)}
    assert all(CODE.match(code) for code in made)
    assert not set("".join(made)) & set("0O1IL")
    assert codes.normalize_invite_code(" k7m-2qx ") == "K7M2QX"


# --- shared goals ----------------------------------------------------------------------------


def test_a_captain_sets_changes_and_removes_a_shared_goal(db: Database, edition: EditionView) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    captains.set_goal(db, captain, team.id, "whatsapp", "signal")
    captains.set_goal(db, captain, team.id, "whatsapp", "olvid")
    captains.set_goal(db, captain, team.id, "gmail", "proton-mail")
    assert state_of(db, team.id).goals == {("whatsapp", "olvid"), ("gmail", "proton-mail")}
    captains.remove_goal(db, captain, team.id, "gmail")
    captains.remove_goal(db, captain, team.id, "gmail")
    assert state_of(db, team.id).goals == {("whatsapp", "olvid")}


@pytest.mark.parametrize(
    ("service", "alternative", "message"),
    [
        ("myspace", None, "Choisissez un service"),
        ("whatsapp", None, "Choisissez l'alternative"),
        ("whatsapp", "proton-mail", "ne remplace pas ce service"),
    ],
)
def test_a_goal_with_a_wrong_service_or_alternative_is_refused(
    db: Database, edition: EditionView, service: str, alternative: str | None, message: str
) -> None:
    captain = household(db, "Les Colibris")
    team = membership.create_team(db, captain, "Rue des Lilas")
    with pytest.raises(ValidationError, match=message):
        captains.set_goal(db, captain, team.id, service, alternative)
    assert state_of(db, team.id).goals == frozenset()


# --- who may do what: role × team ------------------------------------------------------------


def _view(db: Database, actor: int, team: int, _target: int) -> None:
    with db.read() as session:
        team_board(session, actor, team, date.today())


def _captain_view(db: Database, actor: int, team: int, _target: int) -> None:
    with db.read() as session:
        captain_view(session, actor, team_board(session, actor, team, date.today()))


OPERATIONS: dict[str, tuple[bool, Callable[[Database, int, int, int], Any]]] = {
    # name: (captains only?, call(db, acting household, team, another member of that team))
    "see the team page": (False, _view),
    "see the captain's tools": (True, _captain_view),
    "remove a member": (True, lambda db, a, t, m: captains.remove_member(db, a, t, m)),
    "name a co-captain": (True, lambda db, a, t, m: captains.appoint_captain(db, a, t, m)),
    "hand the role over": (True, lambda db, a, t, m: captains.appoint_captain(db, a, t, m, step_down=True)),
    "revoke the code": (True, lambda db, a, t, m: captains.revoke_invite(db, a, t)),
    "regenerate the code": (True, lambda db, a, t, m: captains.regenerate_invite(db, a, t)),
    "set a goal": (True, lambda db, a, t, m: captains.set_goal(db, a, t, "whatsapp", "signal")),
    "remove a goal": (True, lambda db, a, t, m: captains.remove_goal(db, a, t, "gmail")),
}


@pytest.fixture
def two_teams(db: Database, edition: EditionView) -> dict[str, int]:
    """Team "own" (captain, member, third) and team "other" (captain, member), and an outsider."""
    people = {
        name: household(db, name)
        for name in ("captain", "member", "third", "other-captain", "other-member", "outsider")
    }
    own = membership.create_team(db, people["captain"], "Rue des Lilas")
    other = membership.create_team(db, people["other-captain"], "Quartier Gare")
    for name, team in (("member", own), ("third", own), ("other-member", other)):
        membership.join_team(db, people[name], team.invite_code)
    for team, captain in ((own, "captain"), (other, "other-captain")):
        captains.set_goal(db, people[captain], team.id, "gmail", "proton-mail")
    return {**people, "own": own.id, "other": other.id}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("team", ["own", "other"])
@pytest.mark.parametrize("actor", ["captain", "member", "outsider"])
def test_access_control(
    db: Database, two_teams: dict[str, int], actor: str, team: str, operation: str
) -> None:
    captains_only, call = OPERATIONS[operation]
    team_id = two_teams[team]
    target = two_teams["third" if team == "own" else "other-member"]
    before = team_state(db, team_id)
    if team == "own" and (actor == "captain" or (actor == "member" and not captains_only)):
        call(db, two_teams[actor], team_id, target)
        return
    expected: type[Exception] = ChallengeError if team == "own" and actor == "member" else NotFound
    with pytest.raises(expected) as refused:
        call(db, two_teams[actor], team_id, target)
    if expected is ChallengeError:
        assert not isinstance(refused.value, NotFound)
        assert refused.value.message == members.CAPTAINS_ONLY
    else:
        assert refused.value.message == members.NOT_YOUR_TEAM
    assert team_state(db, team_id) == before


# --- demo data -------------------------------------------------------------------------------


def test_demo_teams_are_written_in_bulk_and_behave_like_real_ones(db: Database, edition: EditionView) -> None:
    people = [household(db, f"Foyer {i}") for i in range(4)]
    with db.write() as session:
        team_id = create_team_for_demo(
            session, edition.id, "Collectif démo", ("epci", "200093201"), people[0], people[1:3], "demo42"
        )
    with db.read() as session:
        board = team_board(session, people[1], team_id, date.today())
    assert board.territory == "Métropole Européenne de Lille"
    assert {m.name for m in board.members} == {"Foyer 0", "Foyer 1", "Foyer 2"}
    assert [m.name for m in board.members if m.is_captain] == ["Foyer 0"]
    assert membership.join_team(db, people[3], "DEMO42").id == team_id
    assert all(enrolment(db, h).team_joined_at is not None for h in people)
    captains.revoke_invite(db, people[0], team_id)
    with db.read() as session:
        assert (
            session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.team_id == team_id))
            == 4
        )
