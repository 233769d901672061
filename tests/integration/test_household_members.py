"""A household is several people: members, who uses which service, on both databases."""

import threading

import pytest
from sqlalchemy import func, select

from challenge.core.errors import ValidationError
from challenge.households import members
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import HouseholdMember, MemberService
from tests.conftest import Member, make_member


def _names(db: Database, household_id: int) -> list[str]:
    with db.read() as session:
        return list(members.members_of(session, household_id).values())


def _users(db: Database, household_id: int) -> dict[str, list[int]]:
    with db.read() as session:
        return members.service_users(session, household_id)


def test_members_are_added_renamed_and_removed(db: Database, member: Member) -> None:
    lea = members.add_member(db, member.household_id, "  Léa  ")
    tom = members.add_member(db, member.household_id, "Tom")
    assert _names(db, member.household_id) == ["Léa", "Tom"]
    members.rename_member(db, member.household_id, tom, "Tommy")
    members.rename_member(db, member.household_id, lea, "LÉA")  # one's own name, in capitals
    assert _names(db, member.household_id) == ["LÉA", "Tommy"]
    members.remove_member(db, member.household_id, lea)
    members.remove_member(db, member.household_id, lea)  # a retried removal changes nothing
    assert _names(db, member.household_id) == ["Tommy"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Donnez un prénom ou un surnom"),
        ("   ", "Donnez un prénom ou un surnom"),
        (None, "Donnez un prénom ou un surnom"),
        ("L" * 41, "ne peut dépasser 40 caractères"),  # refused, never cut
        ("léa", "compte déjà quelqu'un nommé « Léa »"),
        ("LÉA ", "compte déjà quelqu'un nommé « Léa »"),
    ],
)
def test_a_name_the_rules_refuse_adds_no_one(
    db: Database, member: Member, name: object, message: str
) -> None:
    members.add_member(db, member.household_id, "Léa")
    with pytest.raises(ValidationError, match=message) as refused:
        members.add_member(db, member.household_id, name)
    assert refused.value.field == "member_name"
    assert _names(db, member.household_id) == ["Léa"]


def test_renaming_to_someone_else_s_name_is_refused(db: Database, member: Member) -> None:
    members.add_member(db, member.household_id, "Léa")
    tom = members.add_member(db, member.household_id, "Tom")
    with pytest.raises(ValidationError, match="nommé « Léa »"):
        members.rename_member(db, member.household_id, tom, "lea ".replace("e", "é"))
    assert _names(db, member.household_id) == ["Léa", "Tom"]


def test_a_household_counts_at_most_twelve_people(db: Database, member: Member) -> None:
    for number in range(members.MAX_MEMBERS):
        members.add_member(db, member.household_id, f"Enfant {number + 1}")
    with pytest.raises(ValidationError, match="au plus 12 personnes"):
        members.add_member(db, member.household_id, "Un de trop")
    assert len(_names(db, member.household_id)) == 12


def test_a_flood_of_identical_additions_adds_one_person(db: Database, member: Member) -> None:
    added: list[int] = []
    errors: list[BaseException] = []

    def add() -> None:
        try:
            added.append(members.add_member(db, member.household_id, "Léa"))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=add) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(added)) == 1
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(HouseholdMember)) == 1


def test_another_household_s_members_can_be_neither_renamed_removed_nor_linked(
    db: Database, member: Member
) -> None:
    other = make_member(db, "voisin@exemple.fr", name="Les Voisins")
    theirs = members.add_member(db, other.household_id, "Max")
    mine = members.add_member(db, member.household_id, "Léa")
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"]})
    with pytest.raises(ValidationError, match="ne fait pas partie de votre foyer"):
        members.rename_member(db, member.household_id, theirs, "Pirate")
    members.remove_member(db, member.household_id, theirs)  # nothing happens to their member
    with pytest.raises(ValidationError, match="ne fait pas partie de votre foyer"):
        members.set_service_users(db, member.household_id, "whatsapp", [mine, theirs])
    with pytest.raises(ValidationError, match="ne fait pas partie de votre foyer"):
        members.set_service_users(db, member.household_id, "whatsapp", ["1"])  # type: ignore[list-item]
    assert _names(db, other.household_id) == ["Max"]
    assert _users(db, member.household_id) == {}


def test_who_uses_a_service_is_set_replaced_and_cleared(db: Database, member: Member) -> None:
    lea = members.add_member(db, member.household_id, "Léa")
    tom = members.add_member(db, member.household_id, "Tom")
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"], "gmail": []})
    members.set_service_users(db, member.household_id, "whatsapp", [lea, tom, tom])
    members.set_service_users(db, member.household_id, "whatsapp", [lea, tom])  # retried
    members.set_service_users(db, member.household_id, "gmail", [tom])
    assert _users(db, member.household_id) == {"whatsapp": [lea, tom], "gmail": [tom]}
    with db.read() as session:
        assert members.answering_members(session, member.household_id) == {"whatsapp": [lea, tom]}
    members.set_service_users(db, member.household_id, "gmail", [])  # the whole household again
    assert _users(db, member.household_id) == {"whatsapp": [lea, tom]}
    with pytest.raises(ValidationError, match="ne fait pas partie de ceux que votre foyer a déclarés"):
        members.set_service_users(db, member.household_id, "amazon", [lea])


def test_the_plan_and_who_uses_each_service_are_saved_together(db: Database, member: Member) -> None:
    lea = members.add_member(db, member.household_id, "Léa")
    tom = members.add_member(db, member.household_id, "Tom")
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"]}, users={"whatsapp": [lea, tom]})
    save_service_plan(db, member.household_id, {"whatsapp": ["signal", "jami"]})  # users kept
    assert _users(db, member.household_id) == {"whatsapp": [lea, tom]}
    save_service_plan(db, member.household_id, {"gmail": []})  # whatsapp no longer declared
    assert _users(db, member.household_id) == {}


def test_removing_a_member_removes_the_services_they_used(db: Database, member: Member) -> None:
    lea = members.add_member(db, member.household_id, "Léa")
    tom = members.add_member(db, member.household_id, "Tom")
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"]}, users={"whatsapp": [lea, tom]})
    members.remove_member(db, member.household_id, lea)
    assert _users(db, member.household_id) == {"whatsapp": [tom]}
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(MemberService)) == 1


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["switched"], "switched"),
        (["switched", "still"], "still"),
        (["still", "switched"], "still"),
        (["switched", "tried", "mostly"], "tried"),
        (["mostly", "switched"], "mostly"),
        (["dropped", "dropped"], "dropped"),
        (["dropped", "switched"], "switched"),
        (["switched", "dropped", "switched"], "switched"),
        (["dropped", "mostly"], "mostly"),
        (["dropped", "still"], "still"),
    ],
)
def test_the_household_is_where_its_least_advanced_member_is(statuses: list[str], expected: str) -> None:
    assert members.household_status(statuses) == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([("switched", "signal"), ("tried", "jami")], ("tried", "jami")),
        ([("switched", "signal"), ("still", None)], ("still", None)),
        ([("dropped", None), ("switched", "signal")], ("switched", "signal")),
        ([("mostly", None), ("switched", "signal")], ("mostly", None)),  # it named none
        ([("tried", "jami"), ("tried", "signal")], ("tried", "jami")),  # the first of them
    ],
)
def test_the_household_s_alternative_is_its_least_advanced_member_s(
    answers: list[tuple[str, str | None]], expected: tuple[str, str | None]
) -> None:
    assert members.household_answer(answers) == expected
