"""A household of several people on its pages: "Mon foyer", who uses each service, one answer per
member in the check-in, and who is where on "Mon défi"."""

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from challenge.accounts import preferences
from challenge.core import i18n
from challenge.households import members
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import Checkin, MemberAnswer
from tests.conftest import Member
from tests.pages.conftest import texts


def _people(db: Database, household_id: int) -> list[str]:
    with db.read() as session:
        return list(members.members_of(session, household_id).values())


def _family(db: Database, household_id: int) -> tuple[int, int]:
    lea = members.add_member(db, household_id, "Léa")
    tom = members.add_member(db, household_id, "Tom")
    save_service_plan(
        db,
        household_id,
        {"whatsapp": ["signal", "jami"], "gmail": ["proton-mail"]},
        users={"whatsapp": [lea, tom]},
    )
    return lea, tom


def test_my_household_adds_renames_and_removes_people(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(member, "pages/services.py")
    assert "Mon foyer" in texts(at)
    at.text_input(key="services_member_new").set_value("  Léa ")
    at.button(key="services_member_add").click().run()
    assert not at.exception
    assert _people(db, member.household_id) == ["Léa"]
    assert "Léa fait partie du foyer" in at.session_state["_flash"]
    at.text_input(key="services_member_new").set_value("LÉA")
    at.button(key="services_member_add").click().run()
    assert "compte déjà quelqu'un nommé « Léa »" in " ".join(e.value for e in at.error)
    (lea,) = _ids(db, member.household_id)
    at.text_input(key=f"services_member_name_{lea}").set_value("Léonie")
    at.button(key=f"services_member_rename_{lea}").click().run()
    assert _people(db, member.household_id) == ["Léonie"]
    at.button(key=f"services_member_remove_{lea}").click().run()
    assert _people(db, member.household_id) == []


def _ids(db: Database, household_id: int) -> list[int]:
    with db.read() as session:
        return list(members.members_of(session, household_id))


def test_who_uses_a_service_is_asked_from_two_people_and_saved_with_the_plan(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"]})
    members.add_member(db, member.household_id, "Léa")
    at = open_app(member, "pages/services.py")
    assert [m.key for m in at.pills if m.key.startswith("services_users_")] == []  # one person
    tom = members.add_member(db, member.household_id, "<b>Tom</b>")
    at = open_app(member, "pages/services.py")
    lea = _ids(db, member.household_id)[0]
    users = at.button_group(key="services_users_whatsapp")
    assert users.label == "Qui utilise WhatsApp ?"
    assert users.options == ["Léa", "\\<b\\>Tom\\</b\\>"]  # escaped: shown as typed, never as HTML
    users.set_value([lea, tom])
    at.button(key="services_save").click().run()
    assert not at.exception
    with db.read() as session:
        assert members.service_users(session, member.household_id) == {"whatsapp": [lea, tom]}
    labels = [e.label for e in open_app(member, "pages/services.py").expander]
    assert "\\<b\\>Tom\\</b\\>" in labels  # escaped: shown as typed, never as HTML


def test_a_service_two_people_use_gets_one_answer_each_in_the_check_in(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    lea, tom = _family(db, member.household_id)
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    keys = [r.key for r in at.radio if r.key.startswith("checkin_")]
    assert "checkin_status_whatsapp_3" not in keys
    assert {f"checkin_member_status_whatsapp_{lea}_3", f"checkin_member_status_whatsapp_{tom}_3"} <= set(keys)
    assert "checkin_status_gmail_3" in keys  # the whole household's service: one answer, as before
    assert "moins avancée" in texts(at)
    at.radio(key="checkin_status_gmail_3").set_value("switched")
    at.radio(key=f"checkin_member_status_whatsapp_{lea}_3").set_value("switched").run()
    at.radio(key=f"checkin_member_alternative_whatsapp_{lea}_3").set_value("signal")
    at.radio(key=f"checkin_member_status_whatsapp_{tom}_3").set_value("still").run()
    at.button(key="checkin_submit_3").click().run()
    assert not at.exception
    with db.read() as session:
        rows = {(c.service_slug, c.status, c.alternative_slug) for c in session.scalars(select(Checkin))}
        answers = {(a.member_id, a.status, a.alternative_slug) for a in session.scalars(select(MemberAnswer))}
    assert rows == {("gmail", "switched", "proton-mail"), ("whatsapp", "still", None)}
    assert answers == {(lea, "switched", "signal"), (tom, "still", None)}
    again = open_app(member, "pages/checkin.py")
    again.radio(key="checkin_week").set_value(3).run()
    assert again.radio(key=f"checkin_member_status_whatsapp_{tom}_3").value == "still"  # pre-filled
    assert again.radio(key=f"checkin_member_alternative_whatsapp_{lea}_3").value == "signal"


def test_a_one_person_household_s_check_in_is_unchanged(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"], "gmail": ["proton-mail"]})
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    assert [r.key for r in at.radio] == [
        "checkin_week",
        "checkin_status_whatsapp_3",
        "checkin_status_gmail_3",
    ]
    assert "moins avancée" not in texts(at)


def test_my_challenge_says_where_each_person_is(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    lea, tom = _family(db, member.household_id)
    entry = CheckinEntry(
        "whatsapp", None, members={lea: "switched", tom: "still"}, member_alternatives={lea: "signal"}
    )
    record_checkin(db, member.household_id, 3, [entry, CheckinEntry("gmail", "tried")], today)
    shown = texts(open_app(member, "pages/progress.py"))
    assert "Léa : Signal · Tom : encore WhatsApp" in shown


def test_same_as_last_time_repeats_each_person_s_answer(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    lea, tom = _family(db, member.household_id)
    entry = CheckinEntry(
        "whatsapp",
        None,
        members={lea: "mostly", tom: "tried"},
        member_alternatives={lea: "jami", tom: "signal"},
    )
    record_checkin(db, member.household_id, 2, [entry, CheckinEntry("gmail", "switched")], today)
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    at.button(key="checkin_same_3").click().run()
    assert not at.exception
    with db.read() as session:
        rows = {
            (c.service_slug, c.status, c.alternative_slug)
            for c in session.scalars(select(Checkin).where(Checkin.week == 3))
        }
        answers = {
            (a.member_id, a.status, a.alternative_slug)
            for a, week in session.execute(select(MemberAnswer, Checkin.week).join(Checkin))
            if week == 3
        }
    assert rows == {("gmail", "switched", "proton-mail"), ("whatsapp", "tried", "signal")}
    assert answers == {(lea, "mostly", "jami"), (tom, "tried", "signal")}


def test_a_household_of_two_reads_its_pages_in_english(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    lea, tom = _family(db, member.household_id)
    entry = CheckinEntry(
        "whatsapp", None, members={lea: "switched", tom: "still"}, member_alternatives={lea: "signal"}
    )
    record_checkin(db, member.household_id, 2, [entry], today)
    preferences.choose_language(db, member.account_id, "en")
    try:
        services = open_app(member, "pages/services.py")
        assert "My household" in texts(services)
        assert services.button_group(key="services_users_whatsapp").label == "Who uses WhatsApp?"
        checkin = open_app(member, "pages/checkin.py")
        assert "least advanced person" in texts(checkin)
        assert "Léa: Signal · Tom: still WhatsApp" in texts(open_app(member, "pages/progress.py"))
    finally:
        i18n.set_locale(None)  # AppTest runs in this process: French again for the next tests
