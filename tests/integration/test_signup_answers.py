"""An attacker who signs up with someone's address learns nothing: the answer is the same page,
byte for byte, as for a new address, with no session cookie, after the same argon2 work; the
owner gets a mail instead (issues 16, item 7, and 17)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from starlette.testclient import TestClient

from challenge.accounts import credentials
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import Account, OutboxMessage, utcnow
from devtools.forms import csrf_token
from tests.conftest import PASSWORD
from tests.support.signup import post_sign_up
from web.application import build_http_app
from web.identity import SESSION_COOKIE
from web.signup_routes import SIGNUP_COOKIE

SECRET = "test-secret-" + "x" * 40
KNOWN = "camille@exemple.fr"
UNKNOWN = "dominic@exemple.fr"  # as long as KNOWN: the page echoes the address typed
_CSRF = re.compile(r'name="csrf" value="[^"]+"')


@pytest.fixture
def app(db: Database):  # type: ignore[no-untyped-def]
    account = credentials.sign_up(db, KNOWN, PASSWORD)
    with db.write() as session:  # a household that has played: its address confirmed
        session.get_one(Account, account.id).email_confirmed_at = utcnow()
    return build_http_app(Settings(database_url=db.url, cookie_secret=SECRET), lambda: db)


@pytest.fixture
def browsers(app) -> Iterator[tuple[TestClient, TestClient]]:  # type: ignore[no-untyped-def]
    with (
        TestClient(app, base_url="http://localhost") as first,
        TestClient(app, base_url="http://localhost") as second,
    ):
        yield first, second


def _comparable(answer: httpx.Response, email: str) -> tuple[int, list[tuple[str, str]], str]:
    """What an attacker compares, less the per-browser tokens (CSRF, sign-up secret) and the date."""
    headers = []
    for name, value in answer.headers.multi_items():
        if name == "set-cookie":
            cookie_name, rest = value.split("=", 1)
            value = f"{cookie_name}=<token>;{rest.split(';', 1)[1]}"
        if name not in {"date", "content-length"}:
            headers.append((name, value))
    return (
        answer.status_code,
        headers,
        _CSRF.sub('name="csrf" value="<token>"', answer.text).replace(email, "<e>"),
    )


def _kinds(db: Database, to: str) -> list[str]:
    with db.read() as session:
        query = select(OutboxMessage.kind).where(OutboxMessage.to_address == to).order_by(OutboxMessage.id)
        return list(session.scalars(query))


def test_a_known_address_gets_the_very_answer_of_a_new_one_and_no_session(
    browsers: tuple[TestClient, TestClient], db: Database
) -> None:
    first, second = browsers
    known = post_sign_up(first, KNOWN, "un autre mot de passe solide")
    new = post_sign_up(second, UNKNOWN, "un autre mot de passe solide")
    assert _comparable(known, KNOWN) == _comparable(new, UNKNOWN)
    assert len(known.content) == len(new.content)
    assert known.status_code == 200
    assert "Vérifiez votre boîte mail" in known.text
    assert "existe" not in known.text
    for answer in (known, new):
        names = {c.split("=", 1)[0] for c in answer.headers.get_list("set-cookie")}
        assert names == {"dzg_csrf", SIGNUP_COOKIE}
        assert SESSION_COOKIE not in names
        assert first.get("/confirmer-adresse", follow_redirects=False).status_code == 303  # no identity
    # The owner is told (with a way in), the new address gets its link.
    assert _kinds(db, KNOWN) == ["signup_attempt"]
    assert _kinds(db, UNKNOWN) == ["confirm_address"]
    with db.read() as session:
        warning = session.scalars(select(OutboxMessage.body).where(OutboxMessage.to_address == KNOWN)).one()
    assert "Quelqu'un vient d'essayer de créer un compte" in warning
    assert "http://localhost/connexion" in warning
    assert "http://localhost/nouveau-mot-de-passe/" in warning


def test_both_answers_hash_the_password_once_and_verify_none(
    browsers: tuple[TestClient, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their time is one argon2 hash each: a known address used to cost a verification on top."""
    calls: list[str] = []
    hash_, verify = PasswordHasher.hash, PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher, "hash", lambda self, *a, **k: calls.append("hash") or hash_(self, *a, **k)
    )
    monkeypatch.setattr(
        PasswordHasher, "verify", lambda self, *a, **k: calls.append("verify") or verify(self, *a, **k)
    )
    first, second = browsers
    for client, email in ((first, KNOWN), (second, UNKNOWN)):
        calls.clear()
        assert post_sign_up(client, email, PASSWORD).status_code == 200
        assert calls == ["hash"], email


def test_send_it_again_answers_alike_and_mails_whoever_the_address_belongs_to(
    browsers: tuple[TestClient, TestClient], db: Database
) -> None:
    first, second = browsers
    answers = []
    for client, email in ((first, KNOWN), (second, UNKNOWN)):
        page = post_sign_up(client, email, PASSWORD)
        form = {"csrf": csrf_token(page.text), "email": email}
        answers.append(client.post("/inscription/renvoyer", data=form))
    assert _comparable(answers[0], KNOWN) == _comparable(answers[1], UNKNOWN)
    assert 'id="check-mail"' in answers[0].text
    assert _kinds(db, KNOWN) == ["signup_attempt", "signup_attempt"]  # the warning, again
    assert _kinds(db, UNKNOWN) == ["confirm_address", "confirm_address"]  # a new link
    with db.read() as session:
        bodies = session.scalars(select(OutboxMessage.body).where(OutboxMessage.to_address == UNKNOWN))
        first_link, second_link = (re.search(r"/confirmer-adresse/[\w-]+", b).group(0) for b in bodies)  # type: ignore[union-attr]
    assert "plus valable" in second.get(first_link).text  # only the latest works
    tapped = second.post(
        second_link, data={"csrf": csrf_token(second.get(second_link).text)}, follow_redirects=False
    )
    assert tapped.status_code == 303
    assert SESSION_COOKIE in tapped.headers.get("set-cookie", "")


def test_an_address_with_no_account_sent_again_gets_the_same_page_and_no_mail(
    browsers: tuple[TestClient, TestClient], db: Database
) -> None:
    client, _ = browsers
    page = client.get("/inscription")
    form = {"csrf": csrf_token(page.text), "email": "personne@exemple.fr"}
    answer = client.post("/inscription/renvoyer", data=form)
    assert answer.status_code == 200
    assert 'id="check-mail"' in answer.text
    assert _kinds(db, "personne@exemple.fr") == []
