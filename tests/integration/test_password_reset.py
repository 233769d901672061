"""Password reset as a service: one answer for every address, single-use short-lived links,
budgets per address and per client, every session ended, the owner told (both databases)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from challenge.accounts import credentials, preferences, sessions
from challenge.accounts.account_tokens import LIFETIMES, RESET
from challenge.core.errors import AuthenticationError, TooManyAttempts, ValidationError
from challenge.households.retention import purge_inactive
from challenge.infra.db import Database
from challenge.mail.outbox import LINK_REMOVED, deliver_due
from challenge.mail.password_reset import (
    is_reset_link_usable,
    request_password_reset,
    reset_password,
    warn_of_signup_attempt,
)
from challenge.mail.transport import SmtpTransport
from challenge.models import AccountToken, OutboxMessage, utcnow
from tests.conftest import PASSWORD
from tests.integration.engagement_helpers import SENDER, mail_settings
from tests.support.mailbox import Mailbox, smtp_server

BASE = "https://defi.exemple.fr"
SECRET = "test-secret-" + "x" * 40
NEW_PASSWORD = "un tout autre mot de passe solide"
_TOKEN = re.compile(r"/nouveau-mot-de-passe/([\w-]+)")


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as server:
        yield server


def _ask(db: Database, email: str, client: str | None = "client-a", now: datetime | None = None) -> None:
    request_password_reset(db, email, base=BASE, secret=SECRET, client=client, now=now)


def _queued(db: Database, kind: str = "password_reset") -> list[OutboxMessage]:
    with db.read() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def _token_of(body: str) -> str:
    found = _TOKEN.search(body)
    assert found, body
    return found.group(1)


def _reset(db: Database, token: str, password: str = NEW_PASSWORD, now: datetime | None = None) -> int:
    return reset_password(db, token, password, base=BASE, contact="contact@exemple.fr", now=now)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db: Database) -> None:
    _ask(db, "personne@exemple.fr")
    assert _queued(db) == []


def test_a_known_address_gets_a_link_built_on_the_public_url_and_stored_hashed(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _ask(db, " Camille@Exemple.fr ")
    [mail] = _queued(db)
    assert mail.to_address == "camille@exemple.fr"
    assert f"{BASE}/nouveau-mot-de-passe/" in mail.body
    assert "30 minutes" in mail.body
    assert "parce que" in mail.body  # it says why it was sent
    token = _token_of(mail.body)
    with db.read() as session:
        row = session.scalars(select(AccountToken)).one()
    assert row.account_id == account.id
    assert row.token_hash == sessions.hash_token(token) != token
    assert row.expires_at - row.created_at == LIFETIMES[RESET] == timedelta(minutes=30)


def test_the_mail_is_in_the_accounts_language(db: Database) -> None:
    account = credentials.sign_up(db, "alex@exemple.fr", PASSWORD)
    preferences.choose_language(db, account.id, "en")
    _ask(db, "alex@exemple.fr")
    [mail] = _queued(db)
    assert "Bonjour" not in mail.body
    assert "password" in mail.subject.lower()


def test_reset_sets_the_password_ends_every_session_and_tells_the_owner(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    old = sessions.open_session(db, account.id, timedelta(days=30))
    _ask(db, "camille@exemple.fr")
    token = _token_of(_queued(db)[0].body)
    assert is_reset_link_usable(db, token)
    assert _reset(db, token) == account.id
    assert sessions.identify(db, sessions.hash_token(old)) is None
    with pytest.raises(AuthenticationError):
        credentials.authenticate(db, "camille@exemple.fr", PASSWORD)
    assert credentials.authenticate(db, "camille@exemple.fr", NEW_PASSWORD).id == account.id
    fresh = sessions.open_session(db, account.id, timedelta(days=30))
    assert sessions.identify(db, sessions.hash_token(fresh)) is not None
    [notice] = _queued(db, "password_changed")
    assert notice.to_address == "camille@exemple.fr"
    assert f"{BASE}/mot-de-passe-oublie" in notice.body


def test_a_link_works_once(db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _ask(db, "camille@exemple.fr")
    token = _token_of(_queued(db)[0].body)
    _reset(db, token)
    assert not is_reset_link_usable(db, token)
    with pytest.raises(ValidationError, match="plus valable"):
        _reset(db, token, "encore un autre mot de passe solide")


def test_an_expired_link_is_refused(db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    asked = utcnow()
    _ask(db, "camille@exemple.fr", now=asked)
    token = _token_of(_queued(db)[0].body)
    later = asked + timedelta(minutes=31)
    assert not is_reset_link_usable(db, token, later)
    with pytest.raises(ValidationError, match="plus valable"):
        _reset(db, token, now=later)


def test_only_the_latest_link_works(db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _ask(db, "camille@exemple.fr")
    _ask(db, "camille@exemple.fr")
    first, second = (_token_of(m.body) for m in sorted(_queued(db), key=lambda m: m.id))
    assert not is_reset_link_usable(db, first)
    assert is_reset_link_usable(db, second)


def test_a_weak_password_is_refused_and_leaves_the_link_usable(db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _ask(db, "camille@exemple.fr")
    token = _token_of(_queued(db)[0].body)
    for weak in ("court", "motdepasse123", "camille@exemple.fr!"):
        with pytest.raises(ValidationError) as refused:
            _reset(db, token, weak)
        assert refused.value.field == "password"
    assert is_reset_link_usable(db, token)


@pytest.mark.parametrize("email", ["camille@exemple.fr", "personne@exemple.fr"])
def test_requests_are_limited_per_address_alike_for_known_and_unknown(db: Database, email: str) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    for minute in range(3):
        _ask(db, email, client=f"client-{minute}", now=now + timedelta(minutes=minute))
    with pytest.raises(TooManyAttempts):
        _ask(db, email, client="client-9", now=now + timedelta(minutes=4))
    _ask(db, email, client="client-9", now=now + timedelta(minutes=16))  # the window has passed


def test_requests_are_limited_per_client_network(db: Database) -> None:
    now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    for n in range(10):
        _ask(db, f"personne{n}@exemple.fr", client="client-a", now=now)
    with pytest.raises(TooManyAttempts):
        _ask(db, "camille@exemple.fr", client="client-a", now=now)
    _ask(db, "camille@exemple.fr", client="client-b", now=now)


def test_sent_mails_are_plain_text_and_html_and_the_link_is_not_kept(db: Database, mailbox: Mailbox) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _ask(db, "camille@exemple.fr")
    with SmtpTransport(mail_settings(mailbox)) as transport:
        assert deliver_due(db, transport, SENDER, utcnow()).sent == 1
    [message] = mailbox.messages
    plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    token = _token_of(plain)
    assert f'<a href="{BASE}/nouveau-mot-de-passe/{token}">' in html
    assert [m.body for m in _queued(db)] == [LINK_REMOVED]
    assert is_reset_link_usable(db, token)


def test_retention_drops_used_and_expired_links_and_keeps_live_ones(db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    credentials.sign_up(db, "dominique@exemple.fr", PASSWORD)
    _ask(db, "camille@exemple.fr")
    _reset(db, _token_of(_queued(db)[0].body))  # used
    _ask(db, "dominique@exemple.fr")  # live
    purge_inactive(db, utcnow(), timedelta(days=180))
    with db.read() as session:
        [left] = session.scalars(select(AccountToken)).all()
    assert left.used_at is None
    purge_inactive(db, utcnow() + timedelta(minutes=31), timedelta(days=180))
    with db.read() as session:
        assert session.scalars(select(AccountToken)).all() == []


def test_a_sign_up_with_a_known_address_warns_its_owner_with_a_working_reset_link(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    with pytest.raises(credentials.AddressInUse):
        credentials.sign_up(db, "camille@exemple.fr", "un autre mot de passe solide")
    warn_of_signup_attempt(db, "camille@exemple.fr", base=BASE, secret=SECRET, client="client-a")
    [mail] = _queued(db, "signup_attempt")
    assert mail.to_address == "camille@exemple.fr"
    assert "créer un compte" in mail.body
    assert f"{BASE}/connexion" in mail.body
    assert _reset(db, _token_of(mail.body)) == account.id


def test_a_sign_up_warning_for_an_unknown_address_sends_nothing_and_is_budgeted_alike(db: Database) -> None:
    now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    for _ in range(3):
        warn_of_signup_attempt(db, "personne@exemple.fr", base=BASE, secret=SECRET, client=None, now=now)
    with pytest.raises(TooManyAttempts):
        warn_of_signup_attempt(db, "personne@exemple.fr", base=BASE, secret=SECRET, client=None, now=now)
    assert _queued(db, "signup_attempt") == []
