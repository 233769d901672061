"""/foyer/rejoindre/<token>: a visitor is sent to log in (or sign up) and back, an account
confirms with one CSRF-protected tap, and a used link is gone, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select
from starlette.testclient import TestClient

from challenge.accounts import credentials, sessions
from challenge.households import member_access, members
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import HouseholdMember
from devtools.forms import csrf_token
from tests.conftest import PASSWORD, Member, make_member
from tests.support.signup import sign_up_and_follow_link
from web.application import build_http_app
from web.identity import SESSION_COOKIE, session_signer

SETTINGS = Settings(database_url="sqlite://", cookie_secret="test-secret-" + "x" * 40)


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=db.url, cookie_secret=SETTINGS.cookie_secret)
    with TestClient(build_http_app(settings, lambda: db, ["localhost"]), base_url="http://localhost") as test:
        yield test


def _log_in(client: TestClient, db: Database, account_id: int) -> None:
    token = sessions.open_session(db, account_id, timedelta(days=1))
    client.cookies.set(SESSION_COOKIE, session_signer(SETTINGS).sign(token).decode())


def _invite(db: Database, household_id: int, name: str = "Tom") -> tuple[int, str]:
    member_id = members.add_member(db, household_id, name)
    return member_id, member_access.PATH + member_access.invite_member(db, household_id, member_id)


def _linked(db: Database, member_id: int) -> int | None:
    with db.read() as session:
        return session.scalar(select(HouseholdMember.account_id).where(HouseholdMember.id == member_id))


def test_a_visitor_is_asked_to_log_in_and_comes_back(
    db: Database, member: Member, client: TestClient
) -> None:
    _tom, path = _invite(db, member.household_id)
    page = client.get(path)
    assert page.status_code == 200
    assert "Rejoindre le foyer «\u00a0Les Colibris\u00a0»" in page.text
    assert "Tom" in page.text
    assert f'href="/connexion?next={path}"' in page.text
    assert 'id="join-submit"' not in page.text  # nothing to confirm before logging in
    assert client.cookies.get("dzg_join") == path.removeprefix(member_access.PATH)
    posted = client.post(path, data={"csrf": client.cookies.get("dzg_csrf")}, follow_redirects=False)
    assert posted.status_code == 303
    assert posted.headers["location"] == f"/connexion?next={path}"


def test_an_account_joins_with_one_tap_and_the_link_is_then_gone(
    db: Database, member: Member, client: TestClient
) -> None:
    tom, path = _invite(db, member.household_id)
    account = credentials.sign_up(db, "tom@exemple.fr", PASSWORD)
    _log_in(client, db, account.id)
    page = client.get(path)
    assert "Rejoindre le foyer «\u00a0Les Colibris\u00a0» en tant que Tom" in page.text
    forged = client.post(path, data={"csrf": "forged"}, follow_redirects=False)
    assert forged.status_code == 400
    assert _linked(db, tom) is None
    done = client.post(path, data={"csrf": csrf_token(page.text)}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == "/bilan"
    assert _linked(db, tom) == account.id
    gone = client.get(path)
    assert gone.status_code == 410
    assert escape(member_access.invalid_link()) in gone.text
    unknown = client.get(member_access.PATH + "x" * 43)  # the same answer
    assert unknown.status_code == 410
    assert escape(member_access.invalid_link()) in unknown.text


def test_the_owner_and_an_account_with_a_household_are_told_why_not(
    db: Database, member: Member, client: TestClient
) -> None:
    tom, path = _invite(db, member.household_id)
    _log_in(client, db, member.account_id)
    own = client.get(path)
    assert escape("C'est votre propre foyer") in own.text
    assert 'id="join-submit"' not in own.text
    refused = client.post(path, data={"csrf": client.cookies.get("dzg_csrf")}, follow_redirects=False)
    assert refused.status_code == 400
    assert _linked(db, tom) is None
    other = make_member(db, "voisin@exemple.fr", name="Les Voisins")
    _log_in(client, db, other.account_id)
    assert "a déjà son propre foyer" in client.get(path).text


def test_names_are_escaped(db: Database, member: Member, client: TestClient) -> None:
    _tom, path = _invite(db, member.household_id, "<b>Tom</b>")
    page = client.get(path)
    assert "<b>Tom</b>" not in page.text
    assert "&lt;b&gt;Tom&lt;/b&gt;" in page.text


def test_signing_up_from_the_link_comes_back_to_it(db: Database, member: Member, client: TestClient) -> None:
    _tom, path = _invite(db, member.household_id)
    client.get(path)  # the visitor opened the invitation first
    opened = sign_up_and_follow_link(client, db, "tom@exemple.fr", PASSWORD)
    assert opened.status_code == 303
    assert opened.headers["location"] == path
    assert "en tant que Tom" in client.get(path).text
