"""E-mail confirmation: a one-time link at sign-up, the app usable meanwhile, mails that need a
confirmed address held back until then, and a "send it again" form (both databases)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from challenge.accounts import credentials
from challenge.core.errors import TooManyAttempts, ValidationError
from challenge.editions.calendar import EditionView
from challenge.households.retention import UNCONFIRMED_AFTER, purge_inactive
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.mail.address_confirmation import confirm_address, is_confirmed, send_confirmation
from challenge.mail.notifications import Preferences, save_preferences
from challenge.mail.reminders import queue_weekly_mails
from challenge.models import Account, OutboxMessage
from devtools.forms import csrf_token
from tests.conftest import PASSWORD, Member
from tests.integration.engagement_helpers import local_moment, settings_for
from tests.support.signup import confirmation_path, post_sign_up, sign_up_and_follow_link
from web.application import build_http_app
from web.identity import SESSION_COOKIE
from web.signup_routes import SIGNUP_COOKIE

BASE = "https://defi.exemple.fr"
SECRET = "test-secret-" + "x" * 40
_TOKEN = re.compile(r"/confirmer-adresse/([\w-]+)")


def _send(db: Database, account_id: int, now: datetime | None = None) -> bool:
    return send_confirmation(db, account_id, base=BASE, secret=SECRET, client="client-a", now=now)


def _bodies(db: Database) -> list[str]:
    with db.read() as session:
        query = (
            select(OutboxMessage.body)
            .where(OutboxMessage.kind == "confirm_address")
            .order_by(OutboxMessage.id)
        )
        return list(session.scalars(query))


def _token(body: str) -> str:
    found = _TOKEN.search(body)
    assert found, body
    return found.group(1)


def test_a_new_account_is_unconfirmed_until_its_link_is_used_once(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    assert not is_confirmed(db, account.id)
    assert _send(db, account.id)
    [body] = _bodies(db)
    assert f"{BASE}/confirmer-adresse/" in body
    assert "parce qu" in body
    token = _token(body)
    assert confirm_address(db, token) == account.id
    assert is_confirmed(db, account.id)
    with pytest.raises(ValidationError, match="plus valable"):
        confirm_address(db, token)
    assert not _send(db, account.id)  # confirmed: nothing more to send


def test_only_the_latest_link_confirms_and_an_expired_one_is_refused(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    _send(db, account.id, now)
    _send(db, account.id, now + timedelta(minutes=1))
    first, second = (_token(b) for b in _bodies(db))
    with pytest.raises(ValidationError):
        confirm_address(db, first, now + timedelta(minutes=2))
    with pytest.raises(ValidationError):
        confirm_address(db, second, now + timedelta(days=8))
    assert confirm_address(db, second, now + timedelta(days=6)) == account.id


def test_resending_is_budgeted(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    for _ in range(3):
        _send(db, account.id, now)
    with pytest.raises(TooManyAttempts):
        _send(db, account.id, now)


def test_reminders_go_only_to_confirmed_addresses(db: Database, edition: EditionView, member: Member) -> None:
    settings = settings_for(db)
    save_preferences(db, member.account_id, Preferences(reminders=True, weekday=0, hour=0))
    with db.write() as session:
        session.get_one(Account, member.account_id).email_confirmed_at = None
    moment = local_moment(edition, 3, 0, 12)
    assert queue_weekly_mails(db, settings, moment) == 0
    with db.write() as session:
        session.get_one(Account, member.account_id).email_confirmed_at = moment
    assert queue_weekly_mails(db, settings, moment) == 1


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=db.url, cookie_secret=SECRET)
    with TestClient(build_http_app(settings, lambda: db), base_url="http://localhost") as test_client:
        yield test_client


def test_sign_up_mails_a_link_whose_page_asks_one_tap_and_the_account_page_can_resend(
    client: TestClient, db: Database
) -> None:
    assert post_sign_up(client, "camille@exemple.fr", PASSWORD).status_code == 200
    [body] = _bodies(db)
    path = _TOKEN.search(body).group(0)  # type: ignore[union-attr]
    assert body.count("http://localhost/confirmer-adresse/") == 1
    page = client.get(path)  # what a mail scanner would do: it confirms nothing
    assert 'action="/confirmer-adresse/' in page.text
    with db.read() as session:
        account_id = session.scalars(select(Account.id)).one()
    assert not is_confirmed(db, account_id)
    client.cookies.clear()  # the household logs in with its password elsewhere, unconfirmed
    _log_in(client)
    resend = client.get("/confirmer-adresse")
    assert "Renvoyer le lien" in resend.text
    sent = client.post("/confirmer-adresse", data={"csrf": csrf_token(resend.text)})
    assert 'id="confirmation-sent"' in sent.text
    assert len(_bodies(db)) == 2
    latest = _TOKEN.search(_bodies(db)[-1]).group(0)  # type: ignore[union-attr]
    assert "plus valable" in client.get(path).text  # the first link was retired by the second
    confirmed = client.post(latest, data={"csrf": csrf_token(client.get(latest).text)})
    assert 'id="address-confirmed"' in confirmed.text
    assert is_confirmed(db, account_id)
    assert 'id="address-confirmed"' in client.get("/confirmer-adresse").text


def _log_in(client: TestClient) -> None:
    form = {"csrf": csrf_token(client.get("/connexion").text), "email": "camille@exemple.fr"}
    answer = client.post("/connexion", data={**form, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303


def test_the_sign_up_link_logs_in_only_the_browser_that_signed_up_and_confirms_anywhere(
    client: TestClient, db: Database
) -> None:
    assert post_sign_up(client, "camille@exemple.fr", PASSWORD).status_code == 200
    path = confirmation_path(db, "camille@exemple.fr")
    signup_cookie = client.cookies.get(SIGNUP_COOKIE)
    client.cookies.clear()  # another browser: the mail opened on another device, or forwarded
    tapped = client.post(path, data={"csrf": csrf_token(client.get(path).text)}, follow_redirects=False)
    assert 'id="address-confirmed"' in tapped.text
    assert 'href="/connexion?next=/"' in tapped.text  # confirmed; log in with the password
    assert SESSION_COOKIE not in tapped.headers.get("set-cookie", "")
    with db.read() as session:
        account_id = session.scalars(select(Account.id)).one()
    assert is_confirmed(db, account_id)
    client.cookies.clear()
    client.cookies.set(SIGNUP_COOKIE, signup_cookie)  # the browser that signed up, later on
    again = client.post(path, data={"csrf": csrf_token(client.get(path).text)}, follow_redirects=False)
    assert again.status_code == 303  # its bound part still opens the session there, once
    assert client.get("/confirmer-adresse").status_code == 200
    client.cookies.delete(SESSION_COOKIE)
    client.cookies.set(SIGNUP_COOKIE, signup_cookie)
    assert "plus valable" in client.get(path).text


def test_the_sign_up_link_is_spent_once_used_where_it_logs_in(client: TestClient, db: Database) -> None:
    answer = sign_up_and_follow_link(client, db, "camille@exemple.fr", PASSWORD)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    path = confirmation_path(db, "camille@exemple.fr")
    client.cookies.delete(SESSION_COOKIE)
    assert "plus valable" in client.get(path).text
    client.cookies.clear()
    assert "plus valable" in client.get(path).text  # its unbound part too


def test_resending_needs_a_session(client: TestClient) -> None:
    response = client.get("/confirmer-adresse", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/connexion")


def test_retention_deletes_unconfirmed_accounts_left_unused_and_keeps_the_others(db: Database) -> None:
    start = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    left = credentials.sign_up(db, "oubliee@exemple.fr", PASSWORD)
    playing = credentials.sign_up(db, "joue@exemple.fr", PASSWORD)
    confirmed = credentials.sign_up(db, "confirmee@exemple.fr", PASSWORD)
    with db.write() as session:
        for account_id in (left.id, playing.id, confirmed.id):
            session.get_one(Account, account_id).created_at = start
        session.get_one(Account, playing.id).last_login_at = start + UNCONFIRMED_AFTER
        session.get_one(Account, confirmed.id).email_confirmed_at = start
    report = purge_inactive(db, start + UNCONFIRMED_AFTER + timedelta(days=1), timedelta(days=180))
    assert report.deleted == 1
    with db.read() as session:
        assert set(session.scalars(select(Account.id))) == {playing.id, confirmed.id}
