"""Log in by e-mail link: the same answer for every address, one use, 15 minutes, and only in
the browser that asked (a forwarded link or another browser logs nobody in). Both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from challenge.accounts import credentials
from challenge.core.errors import ValidationError
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.mail.magic_link import is_magic_link_usable, log_in_with_link, send_magic_link
from challenge.models import OutboxMessage, utcnow
from devtools.forms import csrf_token
from tests.conftest import PASSWORD
from web.application import build_http_app
from web.identity import SESSION_COOKIE
from web.magic_link_routes import MAGIC_COOKIE

SECRET = "test-secret-" + "x" * 40
_LINK = re.compile(r"https?://[^/\s]+(/lien-de-connexion/[\w-]+)")


def _bodies(db: Database) -> list[str]:
    with db.read() as session:
        query = (
            select(OutboxMessage.body).where(OutboxMessage.kind == "magic_link").order_by(OutboxMessage.id)
        )
        return list(session.scalars(query))


def test_a_link_works_once_within_15_minutes_and_only_with_its_browsers_secret(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    now = utcnow()
    assert send_magic_link(db, "camille@exemple.fr", "secret-du-navigateur", base="https://d.fr", now=now)
    assert not send_magic_link(db, "personne@exemple.fr", "x", base="https://d.fr", now=now)
    token = re.search(r"/lien-de-connexion/([\w-]+)", _bodies(db)[0]).group(1)  # type: ignore[union-attr]
    assert not is_magic_link_usable(db, token, "")  # opened elsewhere (a scanner, another browser)
    assert not is_magic_link_usable(db, token, "un-autre-secret")
    assert not is_magic_link_usable(db, token, "secret-du-navigateur", now + timedelta(minutes=16))
    with pytest.raises(ValidationError):
        log_in_with_link(db, token, "un-autre-secret", now)
    assert log_in_with_link(db, token, "secret-du-navigateur", now) == account.id
    with pytest.raises(ValidationError, match="déjà servi"):
        log_in_with_link(db, token, "secret-du-navigateur", now)


@pytest.fixture
def app(db: Database):  # type: ignore[no-untyped-def]
    return build_http_app(Settings(database_url=db.url, cookie_secret=SECRET), lambda: db)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://localhost") as test_client:
        yield test_client


def _ask(client: TestClient, email: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/lien-de-connexion").text)
    return client.post("/lien-de-connexion", data={"csrf": token, "email": email})


def test_asking_answers_alike_and_the_link_logs_in_the_browser_that_asked(
    client: TestClient, db: Database
) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    assert 'href="/lien-de-connexion"' in client.get("/connexion").text
    unknown, known = (
        _ask(client, "dominique@exemple.fr"),
        _ask(client, "camille@exemple.fr"),
    )  # the latest cookie wins
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("camille", "X") == unknown.text.replace("dominique", "X")
    assert MAGIC_COOKIE in known.headers["set-cookie"]
    path = _LINK.search(_bodies(db)[0]).group(1)  # type: ignore[union-attr]
    page = client.get(path)
    assert "Me connecter" in page.text
    done = client.post(path, data={"csrf": csrf_token(page.text)}, follow_redirects=False)
    assert done.status_code == 303
    assert client.cookies.get(SESSION_COOKIE)
    assert client.get("/confirmer-adresse", follow_redirects=False).status_code == 200  # a session page
    assert "plus" in client.get(path).text or "déjà servi" in client.get(path).text  # used once
    assert account.id


def test_the_link_opened_in_another_browser_logs_nobody_in(app, client: TestClient, db: Database) -> None:  # type: ignore[no-untyped-def]
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _ask(client, "camille@exemple.fr")
    path = _LINK.search(_bodies(db)[0]).group(1)  # type: ignore[union-attr]
    with TestClient(app, base_url="http://localhost") as other:
        page = other.get(path)
        assert "autre navigateur" in page.text
        assert "Me connecter" not in page.text
        refused = other.post(
            path, data={"csrf": csrf_token(other.get("/connexion").text)}, follow_redirects=False
        )
        assert refused.status_code == 400
        assert not other.cookies.get(SESSION_COOKIE)
    assert "Me connecter" in client.get(path).text  # still usable where it was asked
