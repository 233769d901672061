"""A member checking in from their own phone, on the pages: the owner invites and takes the access
back on "Mon foyer"; the member's check-in shows its own line only; every page that changes the
household is refused to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from challenge.accounts import credentials, sessions
from challenge.households import member_access, members
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import Checkin, HouseholdMember, MemberAnswer
from challenge.views.household import checkin_view
from tests.conftest import PASSWORD, Member
from tests.pages.conftest import SCRIPT, TIMEOUT, texts
from ui import context

PAGES = Path(SCRIPT).parent / "pages"


def _family(db: Database, owner: Member) -> tuple[int, int, Member]:
    """Léa and Tom on WhatsApp, Tom alone on Instagram, Gmail for everyone; Tom's own account."""
    lea = members.add_member(db, owner.household_id, "Léa")
    tom = members.add_member(db, owner.household_id, "Tom")
    save_service_plan(
        db,
        owner.household_id,
        {"whatsapp": ["signal", "jami"], "gmail": ["proton-mail"], "instagram": ["pixelfed"]},
        users={"whatsapp": [lea, tom], "instagram": [tom]},
    )
    account = credentials.sign_up(db, "tom@exemple.fr", PASSWORD)
    member_access.join_household(db, account.id, member_access.invite_member(db, owner.household_id, tom))
    token = sessions.open_session(db, account.id, timedelta(days=1))
    return lea, tom, Member(account.id, owner.household_id, "tom@exemple.fr", sessions.hash_token(token))


def test_the_owner_invites_a_member_sees_the_link_once_and_takes_the_access_back(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    tom = members.add_member(db, member.household_id, "Tom")
    at = open_app(member, "pages/services.py")
    at.button(key=f"services_member_invite_{tom}").click().run()
    assert not at.exception
    (link,) = [c.value for c in at.code]
    assert link.startswith(member_access.PATH) or member_access.PATH in link
    assert member_access.invitation_for(db, link.rsplit("/", 1)[1]).member == "Tom"
    assert "ne sert qu'une fois" in texts(at)
    at.run()  # shown once: the next run no longer has it
    assert [c.value for c in at.code] == []
    assert "Invitation envoyée, valable jusqu'au" in texts(at)
    account = credentials.sign_up(db, "tom@exemple.fr", PASSWORD)
    member_access.join_household(db, account.id, link.rsplit("/", 1)[1])
    at = open_app(member, "pages/services.py")
    assert "Tom fait son bilan depuis son téléphone." in texts(at)
    at.button(key=f"services_member_unlink_{tom}").click().run()
    with db.read() as session:
        assert session.get_one(HouseholdMember, tom).account_id is None


def test_a_member_s_check_in_shows_and_records_its_own_line_only(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    lea, tom, tom_account = _family(db, member)
    week = checkin_view(db, member.household_id, today).weeks[0]
    at = open_app(tom_account, "pages/checkin.py")
    keys = sorted(r.key for r in at.radio if r.key.startswith("checkin_") and r.key != "checkin_week")
    assert keys == [f"checkin_own_status_instagram_{week}", f"checkin_own_status_whatsapp_{week}"]
    assert "Vous répondez pour vous, **Tom**." in texts(at)
    assert "Aussi utilisé par Léa, qui répond de son côté." in texts(at)
    assert [b.key for b in at.button if b.key.startswith("checkin_same")] == []
    at.radio(key=f"checkin_own_status_whatsapp_{week}").set_value("switched")
    at.radio(key=f"checkin_own_status_instagram_{week}").set_value("switched")
    at.run()
    at.radio(key=f"checkin_member_alternative_whatsapp_{tom}_{week}").set_value("signal")
    at.button(key=f"checkin_own_submit_{week}").click().run()
    assert not at.exception
    with db.read() as session:
        answers = {(a.member_id, a.status) for a in session.scalars(select(MemberAnswer))}
        rows = dict(session.execute(select(Checkin.service_slug, Checkin.status)).all())
    assert answers == {(tom, "switched")}  # Léa's line untouched
    assert rows == {"whatsapp": "still", "instagram": "switched"}  # Léa never answered: still
    assert lea not in {a for a, _ in answers}


def test_a_member_reads_mon_defi_without_the_owner_s_actions(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    _lea, _tom, tom_account = _family(db, member)
    record_checkin(db, member.household_id, 3, [CheckinEntry("gmail", "switched")], today)
    at = open_app(tom_account, "pages/progress.py")
    assert "Mon défi" in texts(at)
    assert "Les Colibris" in texts(at)
    links = [p.proto.page for p in at.get("page_link")]
    assert not any("services" in link or "team" in link for link in links)


def test_the_navigation_gives_a_member_its_challenge_and_check_in_only(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    _lea, _tom, tom_account = _family(db, member)
    at = open_app(tom_account)
    shown = {str(link.proto.label) for link in at.get("page_link")}
    assert {"Mon défi", "Bilan"} <= shown
    assert shown.isdisjoint({"Services", "Collectif", "Classement", "Bienvenue"})


@pytest.mark.parametrize("page", ["services", "team", "teams", "followup"])
def test_each_owner_page_itself_refuses_a_member(db: Database, member: Member, page: str) -> None:
    """Even run without the navigation (its own file), the page stops before reading anything."""
    _lea, _tom, tom_account = _family(db, member)
    at = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=TIMEOUT)
    at.user = {"session": tom_account.session_hash}
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [context.owners_only_message()]
    assert len(at.button) == len(at.text_input) == len(at.multiselect) == 0


def test_my_data_offers_a_member_its_export_and_deletion_only(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    _lea, _tom, tom_account = _family(db, member)
    at = open_app(tom_account, "pages/my_data.py")
    shown = texts(at)
    assert "Corriger" not in shown
    assert "Consentement" not in shown
    assert "Votre foyer garde votre prénom" in shown
    assert [t.key for t in at.text_input] == ["my_data_delete_confirmation"]
