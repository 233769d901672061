"""A new edition started from a previous one: teams and captains copied, households confirm."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from challenge.core.errors import ChallengeError, ValidationError
from challenge.editions.admin import change_status, create_edition
from challenge.households.profile import save_service_plan, service_plan
from challenge.infra.db import Database
from challenge.models import Enrolment, RoleGrant, Team
from challenge.teams import carryover, membership
from challenge.teams.carryover import answer_offer, pending_offer, start_from_previous
from tests.conftest import AMIENS, make_member
from tests.integration.console_helpers import audit_count, form, organiser


@pytest.fixture
def previous(db: Database) -> dict[str, int]:
    """A closed edition over the région with a Lille team (captain + member) and an Amiens household."""
    actor = organiser(db)
    start = date.today() - timedelta(days=date.today().weekday() + 14)
    edition = create_edition(db, actor, form("Défi 2026", (("region", "32"),), start=start))
    change_status(db, actor, edition.id, "open")
    change_status(db, actor, edition.id, "running")
    captain = make_member(db, "capitaine@exemple.fr", name="Capitaine")
    member = make_member(db, "membre@exemple.fr", name="Membre")
    far = make_member(db, "amiens@exemple.fr", commune=AMIENS, name="Amiénois")
    team = membership.create_team(db, captain.household_id, "Les Colibris")
    membership.join_team(db, member.household_id, team.invite_code)
    membership.create_team(db, far.household_id, "Les Hortillons")  # Amiens: outside a MEL edition
    for household in (captain.household_id, member.household_id):
        save_service_plan(db, household, {"google-search": ["qwant"], "whatsapp": []})
    change_status(db, actor, edition.id, "closed")
    return {
        "edition": edition.id,
        "team": team.id,
        "captain": captain.household_id,
        "captain_account": captain.account_id,
        "member": member.household_id,
        "far": far.household_id,
        "actor": actor.account_id,
    }


def _start(db: Database, previous: dict[str, int]) -> int:
    actor = organiser(db, "orga2@exemple.fr")
    new = start_from_previous(db, actor, previous["edition"], form("Défi 2027", start=date.today()))
    return new.id


def test_teams_and_captains_are_copied_and_households_of_the_territory_asked(
    db: Database, previous: dict[str, int]
) -> None:
    edition_id = _start(db, previous)
    with db.read() as session:
        copy = session.scalars(select(Team).where(Team.edition_id == edition_id)).one()
        original = session.get_one(Team, previous["team"])
        captains = session.scalars(select(RoleGrant.account_id).where(RoleGrant.team_id == copy.id)).all()
        assert copy.name == "Les Colibris"  # not the Amiens team: none of its members could join
        assert copy.invite_code != original.invite_code
        assert captains == [previous["captain_account"]]
        assert pending_offer(session, previous["member"]) is None  # a draft: nobody is asked yet
    assert audit_count(db, "edition.carry_over") == 1


def test_a_household_that_confirms_goes_on_with_its_team_and_services(
    db: Database, previous: dict[str, int]
) -> None:
    edition_id = _start(db, previous)
    change_status(db, organiser(db, "orga3@exemple.fr"), edition_id, "open")
    with db.read() as session:
        offer = pending_offer(session, previous["member"])
        assert pending_offer(session, previous["far"]) is None  # Amiens is outside the new edition
    assert offer is not None
    assert offer.team_name == "Les Colibris"
    assert offer.services == ["google-search", "whatsapp"]
    answer_offer(db, previous["member"], offer.id, accept=True)
    answer_offer(db, previous["member"], offer.id, accept=False)  # a second answer changes nothing
    with db.read() as session:
        enrolment = session.scalars(
            select(Enrolment).where(
                Enrolment.household_id == previous["member"], Enrolment.edition_id == edition_id
            )
        ).one()
        team = session.get_one(Team, enrolment.team_id)
        assert team.edition_id == edition_id
        assert enrolment.team_joined_at is not None
        assert service_plan(session, previous["member"]) == {"google-search": ["qwant"], "whatsapp": []}
        assert pending_offer(session, previous["member"]) is None


def test_a_captain_who_starts_afresh_leaves_services_and_captaincy_behind(
    db: Database, previous: dict[str, int]
) -> None:
    edition_id = _start(db, previous)
    change_status(db, organiser(db, "orga3@exemple.fr"), edition_id, "open")
    with db.read() as session:
        offer = pending_offer(session, previous["captain"])
    assert offer is not None
    answer_offer(db, previous["captain"], offer.id, accept=False)
    with db.read() as session:
        enrolment = session.scalars(
            select(Enrolment).where(
                Enrolment.household_id == previous["captain"], Enrolment.edition_id == edition_id
            )
        ).one()
        copy = session.scalars(select(Team.id).where(Team.edition_id == edition_id)).one()
        captains = session.scalars(select(RoleGrant.id).where(RoleGrant.team_id == copy)).all()
        assert enrolment.team_id is None
        assert captains == []
        assert service_plan(session, previous["captain"]) == {}


def test_another_households_offer_cannot_be_answered(db: Database, previous: dict[str, int]) -> None:
    edition_id = _start(db, previous)
    change_status(db, organiser(db, "orga3@exemple.fr"), edition_id, "open")
    with db.read() as session:
        offer = pending_offer(session, previous["member"])
    assert offer is not None
    with pytest.raises(ChallengeError):
        carryover.answer_offer(db, previous["captain"], offer.id, accept=True)


def test_only_global_organisers_start_from_a_previous_edition(db: Database, previous: dict[str, int]) -> None:
    local = organiser(db, "local@exemple.fr", edition_id=previous["edition"])
    with pytest.raises(ChallengeError, match="ensemble du défi"):
        start_from_previous(db, local, previous["edition"], form("Défi 2027"))
    assert audit_count(db, "edition.carry_over") == 0


def test_teams_are_copied_only_when_their_territory_lies_in_the_new_edition(
    db: Database, previous: dict[str, int]
) -> None:
    actor = organiser(db, "orga2@exemple.fr")
    region = start_from_previous(db, actor, previous["edition"], form("Défi 2027", (("region", "32"),)))
    with db.read() as session:
        names = session.scalars(select(Team.name).where(Team.edition_id == region.id).order_by(Team.name))
        assert list(names) == ["Les Colibris", "Les Hortillons"]


def test_an_offer_is_answered_only_in_the_signup_window(db: Database, previous: dict[str, int]) -> None:
    actor = organiser(db, "orga2@exemple.fr")
    start = date.today() + timedelta(days=60)
    opens = date.today() + timedelta(days=30)
    new = start_from_previous(db, actor, previous["edition"], form("Défi 2027", start=start, opens=opens))
    change_status(db, actor, new.id, "open")
    with db.read() as session:
        offer = pending_offer(session, previous["member"])
    assert offer is not None
    assert (offer.opens, offer.open_now) == (opens, False)
    with pytest.raises(ValidationError, match="ouvrent le"):
        answer_offer(db, previous["member"], offer.id, accept=True)
    with db.read() as session:
        assert session.scalars(select(Enrolment).where(Enrolment.edition_id == new.id)).all() == []
        assert pending_offer(session, previous["member"], today=opens) is not None
    answer_offer(db, previous["member"], offer.id, accept=True, today=opens)
    with db.read() as session:
        enrolled = session.scalars(select(Enrolment.household_id).where(Enrolment.edition_id == new.id))
        assert list(enrolled) == [previous["member"]]
