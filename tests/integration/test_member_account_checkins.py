"""A member's account checks in its own line: the household's row re-derived by the one rule from
everyone's answers (others' of the week, else their latest earlier one, else "still"), on both
databases; and what that account's data export and deletion hold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from challenge.accounts import credentials, sessions
from challenge.core.errors import ValidationError
from challenge.households import member_access, members, rights
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import Account, Checkin, Household, HouseholdMember, MemberAnswer
from tests.conftest import PASSWORD, Member
from tests.support.concurrency import at_once

Family = tuple[Member, int, int, int]  # the owner, Léa, Tom, Tom's account


@pytest.fixture
def family(db: Database, member: Member) -> Family:
    """Léa and Tom both on WhatsApp (Signal or Jami chosen), Tom alone on Instagram, Gmail for the
    whole household; Tom checks in from his own phone."""
    lea = members.add_member(db, member.household_id, "Léa")
    tom = members.add_member(db, member.household_id, "Tom")
    save_service_plan(
        db,
        member.household_id,
        {"whatsapp": ["signal", "jami"], "gmail": ["proton-mail"], "instagram": ["pixelfed"]},
        users={"whatsapp": [lea, tom], "instagram": [tom]},
    )
    account = credentials.sign_up(db, "tom@exemple.fr", PASSWORD)
    member_access.join_household(db, account.id, member_access.invite_member(db, member.household_id, tom))
    return member, lea, tom, account.id


def _row(db: Database, service: str, week: int) -> tuple[str, str | None] | None:
    with db.read() as session:
        row = session.execute(
            select(Checkin.status, Checkin.alternative_slug).where(
                Checkin.service_slug == service, Checkin.week == week
            )
        ).one_or_none()
    return None if row is None else (row.status, row.alternative_slug)


def _answers(db: Database) -> dict[tuple[int, int], tuple[str, str | None]]:
    with db.read() as session:
        return {
            (week, a.member_id): (a.status, a.alternative_slug)
            for week, a in session.execute(
                select(Checkin.week, MemberAnswer).join(Checkin, Checkin.id == MemberAnswer.checkin_id)
            )
        }


def test_a_member_alone_first_counts_the_others_as_still(db: Database, family: Family, today: date) -> None:
    owner, _lea, tom, _ = family
    whatsapp = CheckinEntry("whatsapp", "switched", alternative="signal")
    record_checkin(db, owner.household_id, 3, [whatsapp], today, member=tom)
    assert _row(db, "whatsapp", 3) == ("still", None)  # Léa never answered: "still"
    assert _answers(db) == {(3, tom): ("switched", "signal")}  # Léa's "still" only read, never stored
    assert _row(db, "gmail", 3) is None  # the whole household's service is not Tom's to answer


def test_a_member_s_answer_meets_the_others_latest_earlier_one(
    db: Database, family: Family, today: date
) -> None:
    owner, lea, tom, _ = family
    both = CheckinEntry(
        "whatsapp", None, members={lea: "switched", tom: "still"}, member_alternatives={lea: "jami"}
    )
    record_checkin(db, owner.household_id, 2, [both], today)
    record_checkin(
        db,
        owner.household_id,
        3,
        [CheckinEntry("whatsapp", "mostly", alternative="signal")],
        today,
        member=tom,
    )
    assert _row(db, "whatsapp", 3) == ("mostly", "signal")  # Léa switched in week 2: Tom is behind
    assert _answers(db)[(3, tom)] == ("mostly", "signal")
    assert (3, lea) not in _answers(db)
    # Léa answers this week through the household's own form: the row follows hers and Tom's.
    again = CheckinEntry(
        "whatsapp",
        None,
        members={lea: "tried", tom: "mostly"},
        member_alternatives={lea: "jami", tom: "signal"},
    )
    record_checkin(db, owner.household_id, 3, [again], today)
    record_checkin(
        db,
        owner.household_id,
        3,
        [CheckinEntry("whatsapp", "switched", alternative="signal")],
        today,
        member=tom,
    )
    assert _row(db, "whatsapp", 3) == ("tried", "jami")  # Léa's answer of the week, kept
    assert _answers(db)[(3, lea)] == ("tried", "jami")
    assert _answers(db)[(3, tom)] == ("switched", "signal")


def test_a_service_only_the_member_uses_is_its_answer(db: Database, family: Family, today: date) -> None:
    owner, _lea, tom, _ = family
    record_checkin(db, owner.household_id, 3, [CheckinEntry("instagram", "switched")], today, member=tom)
    assert _row(db, "instagram", 3) == ("switched", "pixelfed")


def test_a_member_answers_only_for_its_own_services(db: Database, family: Family, today: date) -> None:
    owner, lea, tom, _ = family
    with pytest.raises(ValidationError, match="que vous utilisez"):
        record_checkin(db, owner.household_id, 3, [CheckinEntry("gmail", "switched")], today, member=tom)
    sneaky = CheckinEntry("whatsapp", "switched", members={lea: "switched", tom: "switched"})
    record_checkin(db, owner.household_id, 3, [sneaky], today, member=tom)  # Léa's line is not read
    assert _answers(db) == {(3, tom): ("switched", None)}  # two chosen, none named
    assert _row(db, "whatsapp", 3) == ("still", None)


def test_the_week_s_quantities_stay_the_household_s(db: Database, family: Family, today: date) -> None:
    owner, _lea, tom, _ = family
    save_service_plan(db, owner.household_id, {"amazon": ["label-emmaus"]}, users={"amazon": [tom]})
    record_checkin(db, owner.household_id, 3, [CheckinEntry("amazon", "switched", euros=12)], today)
    record_checkin(db, owner.household_id, 3, [CheckinEntry("amazon", "mostly")], today, member=tom)
    with db.read() as session:
        row = session.execute(select(Checkin).where(Checkin.service_slug == "amazon")).scalar_one()
    assert (row.status, row.euros) == ("mostly", 12)
    record_checkin(db, owner.household_id, 3, [CheckinEntry("amazon", "still")], today, member=tom)
    with db.read() as session:
        row = session.execute(select(Checkin).where(Checkin.service_slug == "amazon")).scalar_one()
    assert (row.status, row.euros) == ("still", None)  # no quantity while no alternative is used


def test_two_members_answering_at_once_are_both_counted(db: Database, family: Family, today: date) -> None:
    owner, lea, tom, _ = family
    lea_account = credentials.sign_up(db, "lea@exemple.fr", PASSWORD)
    token = member_access.invite_member(db, owner.household_id, lea)
    member_access.join_household(db, lea_account.id, token)
    calls = iter([lea, tom])

    def answer() -> int:
        who = next(calls)
        return record_checkin(
            db,
            owner.household_id,
            3,
            [CheckinEntry("whatsapp", "switched", alternative="signal")],
            today,
            member=who,
        )

    at_once(answer, times=2)
    assert _row(db, "whatsapp", 3) == ("switched", "signal")  # each saw the other's answer


def test_a_member_s_export_holds_its_account_and_its_own_answers(
    db: Database, family: Family, today: date
) -> None:
    owner, lea, tom, tom_account = family
    both = CheckinEntry(
        "whatsapp", None, members={lea: "tried", tom: "still"}, member_alternatives={lea: "jami"}
    )
    record_checkin(db, owner.household_id, 2, [both], today)
    record_checkin(
        db,
        owner.household_id,
        3,
        [CheckinEntry("whatsapp", "switched", alternative="signal")],
        today,
        member=tom,
    )
    with db.read() as session:
        records = rights.export_account(session, tom_account)
    assert records["compte"][0]["email"] == "tom@exemple.fr"
    assert records["membre_du_foyer"] == [
        {
            "id": tom,
            "name": "Tom",
            "foyer": "Les Colibris",
            "created_at": records["membre_du_foyer"][0]["created_at"],
        }
    ]
    assert [(a["week"], a["status"]) for a in records["mes_reponses"]] == [(2, "still"), (3, "switched")]
    assert "foyer" not in records
    assert "bilans" not in records
    assert "membres" not in records


def test_deleting_a_member_s_account_leaves_the_member_and_the_household(
    db: Database, family: Family, today: date
) -> None:
    owner, _lea, tom, tom_account = family
    record_checkin(db, owner.household_id, 3, [CheckinEntry("instagram", "switched")], today, member=tom)
    rights.delete_account(db, tom_account, "SUPPRIMER")
    with db.read() as session:
        assert session.get(Account, tom_account) is None
        assert session.get_one(HouseholdMember, tom).account_id is None  # unlinked, still there
        assert session.get(Household, owner.household_id) is not None
    assert _row(db, "instagram", 3) == ("switched", "pixelfed")


def test_erasing_the_owner_erases_the_household_and_frees_the_member_s_account(
    db: Database, family: Family, today: date
) -> None:
    owner, _lea, tom, tom_account = family
    token = sessions.open_session(db, tom_account, timedelta(days=1))
    record_checkin(db, owner.household_id, 3, [CheckinEntry("instagram", "switched")], today, member=tom)
    rights.delete_account(db, owner.account_id, "SUPPRIMER")
    with db.read() as session:
        assert session.get(Household, owner.household_id) is None
        assert session.scalars(select(HouseholdMember)).all() == []  # the members went with it
        assert session.scalars(select(MemberAnswer)).all() == []
        assert session.get(Account, tom_account) is not None  # Tom's own account is his
    left = sessions.identify(db, sessions.hash_token(token))
    assert left is not None
    assert (left.household_id, left.member_id) == (None, None)
