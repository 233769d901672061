"""A member checks in from their own phone: the owner's single-use link, joining with an account,
what that account's identity says, and taking the access back, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from challenge.accounts import credentials, sessions
from challenge.core.errors import NotFound, ValidationError
from challenge.households import member_access, members
from challenge.households.profile import set_up_household
from challenge.households.retention import purge_inactive
from challenge.infra.db import Database
from challenge.models import HouseholdMember, MemberInvitation, utcnow
from tests.conftest import LILLE, PASSWORD, Member, make_member
from tests.support.concurrency import at_once


def account(db: Database, email: str = "tom@exemple.fr") -> tuple[int, str]:
    """An account without a household, and the hash of an open session of it."""
    created = credentials.sign_up(db, email, PASSWORD)
    token = sessions.open_session(db, created.id, timedelta(days=1))
    return created.id, sessions.hash_token(token)


def linked(db: Database, member_id: int) -> int | None:
    with db.read() as session:
        return session.scalar(select(HouseholdMember.account_id).where(HouseholdMember.id == member_id))


def test_the_owner_s_link_lets_an_account_join_as_that_member_once(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    token = member_access.invite_member(db, member.household_id, tom)
    view = member_access.invitation_for(db, token)
    assert (view.household, view.member, view.refusal) == ("Les Colibris", "Tom", None)
    with db.read() as session:
        stored = session.scalars(select(MemberInvitation.token_hash)).all()
    assert stored == [sessions.hash_token(token)]  # only its hash
    account_id, _ = account(db)
    assert member_access.join_household(db, account_id, token) == tom
    assert linked(db, tom) == account_id
    assert member_access.join_household(db, account_id, token) == tom  # a retried tap: same answer
    other, _ = account(db, "intrus@exemple.fr")
    with pytest.raises(NotFound) as used:
        member_access.join_household(db, other, token)
    assert used.value.message == member_access.invalid_link()
    assert linked(db, tom) == account_id


def test_unknown_used_and_expired_links_get_the_same_answer(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    later = utcnow() + member_access.VALID_FOR + timedelta(minutes=1)
    expired = member_access.invite_member(db, member.household_id, tom)
    answers = set()
    for token, when in [("inconnu" * 5, None), ("", None), (expired, later)]:
        with pytest.raises(NotFound) as refused:
            member_access.invitation_for(db, token, now=when)
        answers.add(refused.value.message)
        with pytest.raises(NotFound) as refused:
            member_access.join_household(
                db, account(db, f"a{len(answers)}{len(token)}@exemple.fr")[0], token, when
            )
        answers.add(refused.value.message)
    assert answers == {member_access.invalid_link()}
    assert linked(db, tom) is None


def test_inviting_again_replaces_the_previous_link(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    first = member_access.invite_member(db, member.household_id, tom)
    second = member_access.invite_member(db, member.household_id, tom)
    with pytest.raises(NotFound):
        member_access.invitation_for(db, first)
    assert member_access.invitation_for(db, second).member == "Tom"
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(MemberInvitation)) == 1


def test_a_flood_of_the_same_accept_links_one_account(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    token = member_access.invite_member(db, member.household_id, tom)
    accounts = [account(db, f"tom{i}@exemple.fr")[0] for i in range(6)]
    tried = iter(accounts * 2)

    def accept() -> int | None:
        try:
            return member_access.join_household(db, next(tried), token)
        except NotFound:
            return None

    results = at_once(accept, times=6)
    assert [r for r in results if r is not None] == [tom]
    assert linked(db, tom) in accounts


def test_the_same_account_tapping_six_times_at_once_joins_once(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    token = member_access.invite_member(db, member.household_id, tom)
    account_id, _ = account(db)
    assert at_once(lambda: member_access.join_household(db, account_id, token), times=6) == [tom] * 6
    with db.read() as session:
        assert session.scalar(select(func.count()).where(HouseholdMember.account_id == account_id)) == 1


def test_the_owner_an_account_with_a_household_and_a_member_are_refused(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    lea = members.add_member(db, member.household_id, "Léa")
    token = member_access.invite_member(db, member.household_id, tom)
    other = make_member(db, "voisin@exemple.fr", name="Les Voisins")
    already, _ = account(db)
    member_access.join_household(db, already, member_access.invite_member(db, member.household_id, lea))
    for account_id, says in [
        (member.account_id, "propre foyer : vous y êtes déjà"),
        (other.account_id, "a déjà son propre foyer"),
        (already, "fait déjà partie d'un foyer"),
    ]:
        assert says in (member_access.invitation_for(db, token, account_id).refusal or "")
        with pytest.raises(ValidationError, match=says):
            member_access.join_household(db, account_id, token)
    assert linked(db, tom) is None
    assert member_access.invitation_for(db, token).member == "Tom"  # still usable by the right person


def test_a_member_s_account_cannot_set_up_a_household_of_its_own(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    account_id, _ = account(db)
    member_access.join_household(db, account_id, member_access.invite_member(db, member.household_id, tom))
    with pytest.raises(ValidationError, match="fait déjà partie d'un foyer"):
        set_up_household(db, account_id, "Chez Tom", LILLE, 1, consent=True)


def test_identify_tells_a_member_s_account_from_the_owner_s(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    account_id, session_hash = account(db)
    assert sessions.identify(db, session_hash).household_id is None  # type: ignore[union-attr]
    member_access.join_household(db, account_id, member_access.invite_member(db, member.household_id, tom))
    owner, joined = sessions.identify(db, member.session_hash), sessions.identify(db, session_hash)
    assert owner is not None
    assert joined is not None
    assert (owner.member_id, owner.owns_household, owner.is_member) == (None, True, False)
    assert (joined.household_id, joined.household_name) == (member.household_id, "Les Colibris")
    assert (joined.member_id, joined.owns_household, joined.is_member) == (tom, False, True)
    member_access.remove_access(db, member.household_id, tom)
    gone = sessions.identify(db, session_hash)
    assert gone is not None
    assert (gone.household_id, gone.member_id) == (None, None)
    assert linked(db, tom) is None


def test_access_of_says_who_is_linked_and_who_has_a_link_waiting(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    lea = members.add_member(db, member.household_id, "Léa")
    members.add_member(db, member.household_id, "Zoé")
    account_id, _ = account(db)
    member_access.join_household(db, account_id, member_access.invite_member(db, member.household_id, tom))
    member_access.invite_member(db, member.household_id, lea)
    with db.read() as session:
        access = member_access.access_of(session, member.household_id, utcnow())
    assert access[tom].linked
    assert not access[lea].linked
    assert access[lea].invited_until is not None
    assert len(access) == 2
    with pytest.raises(ValidationError, match="déjà son bilan sur son téléphone"):
        member_access.invite_member(db, member.household_id, tom)


def test_a_household_cannot_invite_or_unlink_another_household_s_member(db: Database, member: Member) -> None:
    other = make_member(db, "voisin@exemple.fr", name="Les Voisins")
    theirs = members.add_member(db, other.household_id, "Tom")
    account_id, _ = account(db)
    member_access.join_household(db, account_id, member_access.invite_member(db, other.household_id, theirs))
    with pytest.raises(ValidationError, match="ne fait pas partie de votre foyer"):
        member_access.invite_member(db, member.household_id, theirs)
    with pytest.raises(ValidationError, match="ne fait pas partie de votre foyer"):
        member_access.remove_access(db, member.household_id, theirs)
    assert linked(db, theirs) == account_id


def test_a_member_s_identity_opens_only_the_pages_members_may_open(db: Database, member: Member) -> None:
    """The one rule of who may change a household: `HouseholdIdentity.of`, which every owner page
    (services, members, team, captaincy, help, follow-up) goes through (ui.context)."""
    tom = members.add_member(db, member.household_id, "Tom")
    account_id, session_hash = account(db)
    member_access.join_household(db, account_id, member_access.invite_member(db, member.household_id, tom))
    joined = sessions.identify(db, session_hash)
    assert joined is not None
    with pytest.raises(NotFound) as refused:
        sessions.HouseholdIdentity.of(joined)
    assert refused.value.message == str(sessions.OWNERS_ONLY)
    reader = sessions.HouseholdIdentity.of(joined, members_too=True)  # Mon défi, its own check-in
    assert (reader.household_id, reader.member_id) == (member.household_id, tom)
    owner = sessions.identify(db, member.session_hash)
    assert owner is not None
    assert sessions.HouseholdIdentity.of(owner).household_id == member.household_id


def test_retention_forgets_used_and_expired_invitations_only(db: Database, member: Member) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    lea = members.add_member(db, member.household_id, "Léa")
    zoe = members.add_member(db, member.household_id, "Zoé")
    member_access.join_household(
        db, account(db)[0], member_access.invite_member(db, member.household_id, tom)
    )
    member_access.invite_member(db, member.household_id, lea, now=utcnow() - timedelta(days=8))  # expired
    member_access.invite_member(db, member.household_id, zoe)  # still waiting
    purge_inactive(db, utcnow(), timedelta(days=90))
    with db.read() as session:
        assert session.scalars(select(MemberInvitation.member_id)).all() == [zoe]
