"""Account changes from the account page: the password (asking the current one) and the address
(confirmed on the new one, the old one told), as services and over HTTP (both databases)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from challenge.accounts import credentials, sessions
from challenge.core.errors import AuthenticationError, TooManyAttempts, ValidationError
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.mail.account_changes import ask_address_change, change_password, confirm_new_address
from challenge.models import Account, OutboxMessage, utcnow
from devtools.forms import csrf_token
from tests.conftest import PASSWORD
from tests.support.signup import sign_up_and_follow_link
from web.application import build_http_app
from web.identity import SESSION_COOKIE

BASE = "https://defi.exemple.fr"
SECRET = "test-secret-" + "x" * 40
NEW_PASSWORD = "un tout autre mot de passe solide"
_TOKEN = re.compile(r"/nouvelle-adresse/([\w-]+)")


def _mails(db: Database, kind: str) -> list[OutboxMessage]:
    with db.read() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def _change(db: Database, account_id: int, current: str, new: str = NEW_PASSWORD) -> None:
    change_password(db, account_id, current, new, base=BASE, contact="contact@exemple.fr")


def _ask(db: Database, account_id: int, new: str, current: str = PASSWORD) -> None:
    ask_address_change(db, account_id, new, current, base=BASE, secret=SECRET, client="client-a")


def test_changing_the_password_needs_the_current_one_and_ends_every_session(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    old = sessions.open_session(db, account.id, timedelta(days=1))
    with pytest.raises(ValidationError, match="actuel") as wrong:
        _change(db, account.id, "pas le bon mot de passe")
    assert wrong.value.field == "current"
    with pytest.raises(ValidationError) as weak:
        _change(db, account.id, PASSWORD, "court")
    assert weak.value.field == "password"
    _change(db, account.id, PASSWORD)
    assert sessions.identify(db, sessions.hash_token(old)) is None
    with pytest.raises(AuthenticationError):
        credentials.authenticate(db, "camille@exemple.fr", PASSWORD)
    assert credentials.authenticate(db, "camille@exemple.fr", NEW_PASSWORD).id == account.id
    [notice] = _mails(db, "password_changed")
    assert notice.to_address == "camille@exemple.fr"


def test_guessing_the_current_password_is_throttled(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    for _ in range(3):  # the free failures
        with pytest.raises(ValidationError, match="actuel"):
            _change(db, account.id, "pas le bon mot de passe")
    with pytest.raises(TooManyAttempts):
        _change(db, account.id, PASSWORD)  # even the right one must wait now


def test_a_new_address_is_used_only_once_confirmed_and_the_old_one_is_told(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    with pytest.raises(ValidationError):
        _ask(db, account.id, "nouvelle@exemple.fr", "pas le bon mot de passe")
    _ask(db, account.id, "Nouvelle@Exemple.fr")
    [link] = _mails(db, "new_address")
    assert link.to_address == "nouvelle@exemple.fr"
    with db.read() as session:
        assert session.get_one(Account, account.id).email == "camille@exemple.fr"  # nothing changed yet
    token = _TOKEN.search(link.body).group(1)  # type: ignore[union-attr]
    assert confirm_new_address(db, token, base=BASE, contact="contact@exemple.fr") == account.id
    with db.read() as session:
        moved = session.get_one(Account, account.id)
        assert (moved.email, moved.email_confirmed_at is not None) == ("nouvelle@exemple.fr", True)
    [notice] = _mails(db, "address_changed")
    assert notice.to_address == "camille@exemple.fr"
    assert "nouvelle@exemple.fr" in notice.body
    with pytest.raises(ValidationError, match="plus valable"):
        confirm_new_address(db, token, base=BASE, contact="contact@exemple.fr")
    assert credentials.authenticate(db, "nouvelle@exemple.fr", PASSWORD).id == account.id


def test_a_new_address_taken_meanwhile_by_another_account_is_refused(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _ask(db, account.id, "nouvelle@exemple.fr")
    credentials.sign_up(db, "nouvelle@exemple.fr", PASSWORD)
    token = _TOKEN.search(_mails(db, "new_address")[0].body).group(1)  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="autre compte"):
        confirm_new_address(db, token, base=BASE, contact="contact@exemple.fr", now=utcnow())


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=db.url, cookie_secret=SECRET)
    with TestClient(build_http_app(settings, lambda: db), base_url="http://localhost") as test_client:
        yield test_client


def _signed_up(client: TestClient, db: Database) -> None:
    assert sign_up_and_follow_link(client, db, "camille@exemple.fr", PASSWORD).status_code == 303


def test_the_forms_need_a_session(client: TestClient) -> None:
    for path in ("/compte/mot-de-passe", "/compte/adresse"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/connexion")


def test_the_password_form_keeps_this_browser_logged_in_and_ends_the_others(
    client: TestClient, db: Database
) -> None:
    _signed_up(client, db)
    with db.read() as session:
        account_id = session.scalars(select(Account.id)).one()
    other = sessions.open_session(db, account_id, timedelta(days=1))
    page = client.get("/compte/mot-de-passe")
    assert 'autocomplete="current-password"' in page.text
    wrong = client.post(
        "/compte/mot-de-passe",
        data={"csrf": csrf_token(page.text), "current": "faux", "password": NEW_PASSWORD},
    )
    assert wrong.status_code == 400
    assert "actuel" in wrong.text
    done = client.post(
        "/compte/mot-de-passe",
        data={"csrf": csrf_token(page.text), "current": PASSWORD, "password": NEW_PASSWORD},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/compte"
    assert any(c.startswith(SESSION_COOKIE) for c in done.headers.get_list("set-cookie"))
    assert sessions.identify(db, sessions.hash_token(other)) is None


def test_the_address_form_mails_the_new_address_whose_link_asks_one_tap(
    client: TestClient, db: Database
) -> None:
    _signed_up(client, db)
    page = client.get("/compte/adresse")
    form = {"csrf": csrf_token(page.text), "new_email": "nouvelle@exemple.fr", "current": PASSWORD}
    assert 'id="new-address-sent"' in client.post("/compte/adresse", data=form).text
    path = _TOKEN.search(_mails(db, "new_address")[0].body).group(0)  # type: ignore[union-attr]
    assert 'action="/nouvelle-adresse/' in client.get(path).text  # a GET (a mail scanner) changes nothing
    done = client.post(path, data={"csrf": csrf_token(client.get(path).text)})
    assert 'id="address-changed"' in done.text
    assert [m.to_address for m in _mails(db, "address_changed")] == ["camille@exemple.fr"]
