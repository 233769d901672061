"""The organiser console's pages: reachable by organisers only, forms that validate and write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from challenge.accounts import audit, credentials, sessions
from challenge.editions.admin import change_status
from challenge.editions.calendar import EditionView
from challenge.infra.db import Database
from challenge.models import Edition, RoleGrant
from challenge.teams.carryover import start_from_previous
from tests.conftest import PASSWORD, Member
from tests.integration.console_helpers import MEL, form
from tests.pages.conftest import texts


def _organiser(db: Database, email: str = "orga@exemple.fr") -> Member:
    account = credentials.sign_up(db, email, PASSWORD)
    sessions.grant_role(db, account.id, "organiser")
    token = sessions.open_session(db, account.id, timedelta(days=1))
    return Member(account.id, 0, account.email, sessions.hash_token(token))


def _identity(who: Member) -> sessions.Identity:
    return sessions.Identity(account_id=who.account_id, email=who.email, session_hash=who.session_hash)


def test_the_console_hub_links_to_its_pages_for_organisers_only(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(_organiser(db), "pages/console.py")
    assert "Console des organisateurs" in texts(at)
    links = [link.label for link in at.get("page_link")]
    assert {"Éditions", "Personnes et rôles", "Journal d'audit"} <= set(links)
    for who in (member, None):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_app(who).switch_page("pages/console_editions.py").run()


def test_an_organiser_creates_an_edition_then_opens_it(
    open_app: Callable[..., AppTest], db: Database
) -> None:
    at = open_app(_organiser(db), "pages/console_editions.py")
    at.text_input(key="console_edition_name").input("Défi de la métropole")
    at.multiselect(key="console_edition_territories").select(f"epci:{MEL}")
    at.button(key="console_edition_save").click().run()
    assert not at.exception
    assert "Édition créée en brouillon." in texts(at)
    with db.read() as session:
        edition = session.scalars(select(Edition)).one()
    assert (edition.name, edition.status) == ("Défi de la métropole", "draft")
    assert at.selectbox(key="console_edition_pick").value == edition.id  # a second tap edits it
    at.button(key=f"console_edition_open_{edition.id}").click().run()
    with db.read() as session:
        assert session.get_one(Edition, edition.id).status == "open"


def test_an_edition_without_territory_is_refused_with_a_message(
    open_app: Callable[..., AppTest], db: Database
) -> None:
    at = open_app(_organiser(db), "pages/console_editions.py")
    at.text_input(key="console_edition_name").input("Sans territoire")
    at.button(key="console_edition_save").click().run()
    assert "Choisissez au moins un territoire." in texts(at)
    with db.read() as session:
        assert session.scalars(select(Edition)).all() == []


def test_an_organiser_finds_an_account_and_grants_a_council_role(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(_organiser(db), "pages/console_people.py")
    at.text_input(key="console_people_query").input("colibris").run()
    page = texts(at)
    assert "colibri@exemple.fr" in page
    assert "Les Colibris" in page
    key = member.account_id
    at.selectbox(key=f"console_people_role_{key}").set_value("council").run()
    at.selectbox(key=f"console_people_territory_{key}").set_value(f"epci:{MEL}").run()
    at.button(key=f"console_people_grant_{key}").click().run()
    assert "Rôle donné." in texts(at)
    with db.read() as session:
        assert session.scalar(select(RoleGrant.territory_code).where(RoleGrant.account_id == key)) == MEL


def test_an_invitation_link_is_shown_once_created(open_app: Callable[..., AppTest], db: Database) -> None:
    at = open_app(_organiser(db), "pages/console_people.py")
    at.text_input(key="console_people_invite_email").input("agent@lille.fr")
    at.selectbox(key="console_people_invite_territory").set_value(f"epci:{MEL}")
    at.button(key="console_people_invite_send").click().run()
    assert "/invitation/" in at.code[0].value


def test_the_audit_page_lists_and_filters_entries(open_app: Callable[..., AppTest], db: Database) -> None:
    organiser = _organiser(db)
    with db.write() as session:
        audit.record(session, _identity(organiser), "role.grant", "account", 7, after={"role": "council"})
        before, after = {"status": "open"}, {"status": "running"}
        audit.record(session, None, "edition.status", "edition", 3, before=before, after=after)
    at = open_app(organiser, "pages/console_audit.py")
    page = texts(at)
    assert "role.grant" in page
    assert "edition.status" in page
    at.selectbox(key="console_audit_family").set_value("edition").run()
    page = texts(at)
    assert "edition.status" in page
    assert "role.grant" not in page
    table = at.dataframe[0].value
    assert list(table.iloc[0]) == ["status", "open", "running"]


def test_a_returning_household_is_asked_whether_it_goes_on(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView, member: Member
) -> None:
    organiser = _organiser(db)
    with db.write() as session:
        session.get_one(Edition, edition.id).status = "closed"
    new = start_from_previous(db, _identity(organiser), edition.id, form("Défi 2027", start=date.today()))
    change_status(db, _identity(organiser), new.id, "open")
    at = open_app(member)
    assert "Une nouvelle édition commence : Défi 2027" in texts(at)
    at.button(key="carryover_accept").click().run()
    assert "Une nouvelle édition commence" not in texts(at)
