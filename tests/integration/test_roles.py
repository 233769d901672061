"""Organisers find accounts, grant and revoke roles within their reach, and deactivate accounts."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from challenge.accounts import sessions
from challenge.accounts.sessions import Identity
from challenge.core.errors import ChallengeError, NotFound, ValidationError
from challenge.editions.admin import create_edition
from challenge.editions.calendar import EditionView
from challenge.infra.db import Database
from challenge.models import RoleGrant
from challenge.people import roles
from challenge.teams import membership
from tests.conftest import AMIENS, Member, make_member
from tests.integration.console_helpers import MEL, audit_count, form, organiser
from tests.support.editions import make_edition

RACERS = 6


def _grants(db: Database, account_id: int) -> list[tuple[str, str | None]]:
    with db.read() as session:
        rows = session.execute(
            select(RoleGrant.role, RoleGrant.territory_code).where(RoleGrant.account_id == account_id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_accounts_are_found_by_email_or_pseudonym_without_any_secret(db: Database, member: Member) -> None:
    actor = organiser(db)
    by_email = roles.find_people(db, actor, "COLIBRI@")
    by_name = roles.find_people(db, actor, "colibris")
    assert [p.account_id for p in by_email] == [p.account_id for p in by_name] == [member.account_id]
    person = by_email[0]
    assert person.pseudonym == "Les Colibris"
    assert person.last_login_at is not None
    assert not any("password" in f.name for f in dataclasses.fields(person))
    with pytest.raises(ValidationError, match="2 caractères"):
        roles.find_people(db, actor, "c")


def test_a_council_role_on_an_unknown_territory_writes_nothing(db: Database, member: Member) -> None:
    actor = organiser(db)
    for key in ("epci:123456789", "commune:00000", "nowhere", "region:32"):
        with pytest.raises(ValidationError, match="inconnu"):
            roles.grant_role(db, actor, member.account_id, "council", key)
    assert _grants(db, member.account_id) == []
    assert audit_count(db, "role.grant") == 0


def test_a_council_role_is_granted_once_and_audited(db: Database, member: Member) -> None:
    actor = organiser(db)
    assert roles.grant_role(db, actor, member.account_id, "council", f"epci:{MEL}") is True
    assert roles.grant_role(db, actor, member.account_id, "council", f"epci:{MEL}") is False
    assert _grants(db, member.account_id) == [("council", MEL)]
    assert audit_count(db, "role.grant") == 1


def test_the_same_grant_racing_from_several_organisers_lands_once(db: Database, member: Member) -> None:
    """Two organisers clicking "grant" at the same moment: one grant, one audit entry."""
    actors = [organiser(db, f"orga-{i}@exemple.fr") for i in range(RACERS)]
    start = threading.Barrier(RACERS)

    def grant(actor: Identity) -> bool:
        start.wait(timeout=30)
        return roles.grant_role(db, actor, member.account_id, "council", f"epci:{MEL}")

    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(grant, actors))
    assert sorted(results) == [False] * (RACERS - 1) + [True]
    assert _grants(db, member.account_id) == [("council", MEL)]
    assert audit_count(db, "role.grant") == 1


def test_only_global_organisers_grant_the_organiser_role(db: Database, member: Member) -> None:
    edition = create_edition(db, organiser(db), form())
    local = organiser(db, "local@exemple.fr", edition_id=edition.id)
    with pytest.raises(ChallengeError, match="ensemble du défi"):
        roles.grant_role(db, local, member.account_id, "organiser", edition.id)
    roles.grant_role(db, organiser(db, "chef@exemple.fr"), member.account_id, "organiser", edition.id)
    with db.read() as session:
        assert session.scalar(
            select(RoleGrant.edition_id).where(RoleGrant.account_id == member.account_id)
        ) == (edition.id)


def test_an_edition_organiser_grants_council_roles_inside_their_edition_only(
    db: Database, member: Member
) -> None:
    mine = create_edition(db, organiser(db), form())  # the Lille metropolis
    local = organiser(db, "local@exemple.fr", edition_id=mine.id)
    roles.grant_role(db, local, member.account_id, "council", "commune:59350")
    with pytest.raises(ChallengeError, match="en dehors"):
        roles.grant_role(db, local, member.account_id, "council", f"commune:{AMIENS}")
    with pytest.raises(ChallengeError, match="en dehors"):
        roles.grant_role(db, local, member.account_id, "council", "departement:59")


def test_captains_are_named_within_the_organisers_edition_among_members(
    db: Database, edition: EditionView, member: Member
) -> None:
    team = membership.create_team(db, member.household_id, "Les Colibris")
    other = make_member(db, "voisin@exemple.fr", name="Voisins")
    membership.join_team(db, other.household_id, team.invite_code)
    outsider = make_member(db, "loin@exemple.fr", name="Loin")
    someone_else = organiser(db, "local@exemple.fr", edition_id=create_edition(db, organiser(db), form()).id)
    with pytest.raises(ChallengeError, match="n'organisez pas"):
        roles.grant_role(db, someone_else, other.account_id, "captain", team.id)
    local = organiser(db, "edition@exemple.fr", edition_id=edition.id)
    with pytest.raises(ValidationError, match="ne fait pas partie"):
        roles.grant_role(db, local, outsider.account_id, "captain", team.id)
    with pytest.raises(NotFound):
        roles.grant_role(db, local, other.account_id, "captain", 999_999)
    assert roles.grant_role(db, local, other.account_id, "captain", team.id) is True
    assert audit_count(db, "role.grant") == 1


def test_revoking_a_role_is_audited_and_nobody_revokes_their_own_organiser_role(
    db: Database, member: Member
) -> None:
    actor = organiser(db)
    roles.grant_role(db, actor, member.account_id, "council", f"epci:{MEL}")
    with db.read() as session:
        grant_id = session.scalar(select(RoleGrant.id).where(RoleGrant.account_id == member.account_id))
        own = session.scalar(select(RoleGrant.id).where(RoleGrant.account_id == actor.account_id))
    assert grant_id is not None
    assert own is not None
    assert roles.revoke_role(db, actor, grant_id) is True
    assert roles.revoke_role(db, actor, grant_id) is False
    with pytest.raises(ChallengeError, match="propre rôle"):
        roles.revoke_role(db, actor, own)
    assert audit_count(db, "role.revoke") == 1


def test_deactivating_an_account_closes_its_sessions_and_is_audited(db: Database, member: Member) -> None:
    actor = organiser(db)
    assert sessions.identify(db, member.session_hash) is not None
    assert roles.deactivate_account(db, actor, member.account_id) is True
    assert roles.deactivate_account(db, actor, member.account_id) is False
    assert sessions.identify(db, member.session_hash) is None
    assert audit_count(db, "account.deactivate") == 1
    with pytest.raises(ChallengeError, match="propre compte"):
        roles.deactivate_account(db, actor, actor.account_id)


def test_an_edition_organiser_cannot_deactivate_accounts(db: Database, member: Member) -> None:
    local = organiser(db, "local@exemple.fr", edition_id=create_edition(db, organiser(db), form()).id)
    with pytest.raises(ChallengeError, match="ensemble du défi"):
        roles.deactivate_account(db, local, member.account_id)
    with db.read() as session:
        assert session.scalar(select(func.count(RoleGrant.id))) == 2
    assert sessions.identify(db, member.session_hash) is not None


def test_an_organiser_of_one_edition_finds_only_the_people_of_that_edition(
    db: Database, member: Member, edition: EditionView
) -> None:
    other_edition = make_edition(db, "Défi voisin", edition.start_date + timedelta(days=400), status="draft")
    outsider = organiser(db, "orga.voisin@exemple.fr", edition_id=other_edition.id)
    insider = organiser(db, "orga.local@exemple.fr", edition_id=edition.id)
    assert roles.find_people(db, outsider, "colibri") == []
    assert [p.email for p in roles.find_people(db, outsider, "exemple.fr")] == ["orga.voisin@exemple.fr"]
    assert [p.account_id for p in roles.find_people(db, insider, "colibri")] == [member.account_id]
    assert len(roles.find_people(db, organiser(db, "orga.global@exemple.fr"), "exemple.fr")) == 4
