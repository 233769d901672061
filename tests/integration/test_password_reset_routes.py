"""The lost-password forms over real HTTP requests: same answer for every address, the link from
the mail logs the household in, old sessions and used links refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from challenge.accounts import credentials, sessions
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.infra.mail_settings import MailSettings
from challenge.models import OutboxMessage
from devtools.forms import csrf_token
from tests.conftest import PASSWORD
from tests.support.signup import post_sign_up
from web.application import build_http_app
from web.identity import IDENTITY_HEADER, SESSION_COOKIE
from web.links import link_base

NEW_PASSWORD = "un tout autre mot de passe solide"
_LINK = re.compile(r"https?://[^/\s]+(/nouveau-mot-de-passe/[\w-]+)")


async def _echo(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.headers.get(IDENTITY_HEADER.decode(), "anonymous"))


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=db.url, cookie_secret="test-secret-" + "x" * 40)
    app = build_http_app(settings, lambda: db, extra=[Route("/whoami", _echo)])
    with TestClient(app, base_url="http://localhost") as test_client:
        yield test_client


def _ask(client: TestClient, email: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/mot-de-passe-oublie").text)
    return client.post("/mot-de-passe-oublie", data={"csrf": token, "email": email})


def _link(db: Database) -> str:
    with db.read() as session:
        bodies = session.scalars(select(OutboxMessage.body).where(OutboxMessage.kind == "password_reset"))
        found = _LINK.search(list(bodies)[-1])
    assert found
    return found.group(1)


def _choose(client: TestClient, path: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get(path).text)
    return client.post(path, data={"csrf": token, "password": password}, follow_redirects=False)


def test_the_login_page_offers_a_forgotten_password_link(client: TestClient) -> None:
    assert 'href="/mot-de-passe-oublie"' in client.get("/connexion").text
    page = client.get("/mot-de-passe-oublie")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert 'autocomplete="username"' in page.text


def test_known_and_unknown_addresses_get_the_same_answer(client: TestClient, db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    known = _ask(client, "camille@exemple.fr")
    unknown = _ask(client, "dominique@exemple.fr")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("camille", "X") == unknown.text.replace("dominique", "X")
    assert 'id="reset-sent"' in known.text
    assert _link(db).startswith("/nouveau-mot-de-passe/")


def test_an_invalid_address_is_named_in_french(client: TestClient) -> None:
    response = _ask(client, "pas-une-adresse")
    assert response.status_code == 400
    assert "air valide" in response.text


def test_the_link_sets_the_password_logs_in_and_ends_old_sessions(client: TestClient, db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    old = sessions.open_session(db, account.id, timedelta(days=1))
    _ask(client, "camille@exemple.fr")
    path = _link(db)
    form = client.get(path)
    assert 'autocomplete="new-password"' in form.text
    response = _choose(client, path)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert any(c.startswith(SESSION_COOKIE) for c in response.headers.get_list("set-cookie"))
    identity = sessions.identify(db, client.get("/whoami").text)
    assert identity is not None
    assert identity.account_id == account.id
    assert sessions.identify(db, sessions.hash_token(old)) is None


def test_a_used_link_is_refused(client: TestClient, db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _ask(client, "camille@exemple.fr")
    path = _link(db)
    _choose(client, path)
    client.cookies.delete(SESSION_COOKIE)
    page = client.get(path)
    assert "plus valable" in page.text
    assert 'name="password"' not in page.text
    csrf = csrf_token(client.get("/mot-de-passe-oublie").text)  # the same CSRF cookie for every form
    again = client.post(path, data={"csrf": csrf, "password": "encore un mot de passe solide"})
    assert again.status_code == 400
    assert "plus valable" in again.text
    assert client.get("/whoami").text == "anonymous"


def test_a_weak_password_is_named_and_the_form_stays(client: TestClient, db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _ask(client, "camille@exemple.fr")
    response = _choose(client, _link(db), "court")
    assert response.status_code == 400
    assert "au moins 12 caractères" in response.text
    assert 'name="password"' in response.text


def test_a_post_without_csrf_token_is_refused(client: TestClient, db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    assert client.post("/mot-de-passe-oublie", data={"email": "camille@exemple.fr"}).status_code == 400
    with db.read() as session:
        assert session.scalar(select(OutboxMessage.id)) is None


def _request(host: str) -> Request:
    return Request(
        {
            "type": "http",
            "scheme": "http",
            "server": (host, 80),
            "path": "/",
            "headers": [(b"host", host.encode())],
        }
    )


@pytest.mark.parametrize(
    ("public_url", "host", "allowed", "expected"),
    [
        ("https://defi.exemple.fr/", "evil.example", [], "https://defi.exemple.fr"),
        ("http://localhost:8501", "localhost:8600", [], "http://localhost:8600"),
        ("http://localhost:8501", "defi.exemple.fr", ["defi.exemple.fr"], "http://defi.exemple.fr"),
        ("http://localhost:8501", "evil.example", [], None),
        ("http://localhost:8501", "evil.example", ["*"], None),
        ("http://localhost:8501", "evil.exemple.fr", ["*.exemple.fr"], None),
    ],
)
def test_links_come_from_the_public_url_never_from_an_untrusted_host(
    public_url: str, host: str, allowed: list[str], expected: str | None
) -> None:
    settings = Settings(database_url="sqlite://", cookie_secret="s", mail=MailSettings(public_url=public_url))
    assert link_base(_request(host), settings, allowed) == expected


def test_signing_up_with_a_known_address_says_check_your_mail_and_warns_the_owner(
    client: TestClient, db: Database
) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    response = post_sign_up(client, "camille@exemple.fr", "un autre mot de passe solide")
    assert response.status_code == 200
    assert 'id="check-mail"' in response.text
    assert "existe" not in response.text
    assert not any(c.startswith(SESSION_COOKIE) for c in response.headers.get_list("set-cookie"))
    with db.read() as session:
        [body] = session.scalars(select(OutboxMessage.body).where(OutboxMessage.kind == "signup_attempt"))
    found = _LINK.search(body)
    assert found
    assert _choose(client, found.group(1)).status_code == 303
