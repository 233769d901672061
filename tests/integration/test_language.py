"""The language of each request: saved per account, a cookie for visitors, French by default."""

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from challenge.accounts import credentials, preferences
from challenge.core import i18n
from challenge.core.errors import ValidationError
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import OutboxMessage
from devtools.forms import csrf_token
from tests.conftest import PASSWORD
from tests.support.signup import post_sign_up
from web.application import build_http_app
from web.errors import unavailable_page
from web.language import LANG_COOKIE, LANG_HEADER

SHELL = '<!doctype html><html lang="en"><head></head><body>app</body></html>'


async def _shell(_request: Request) -> Response:
    return HTMLResponse(SHELL)


async def _echo(request: Request) -> Response:
    return PlainTextResponse(request.headers.get(LANG_HEADER.decode(), "none"))


async def _echo_ws(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(websocket.headers.get(LANG_HEADER.decode(), "none"))
    await websocket.close()


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    """The app's own routes and middleware stack, and stand-ins for Streamlit's pages."""
    settings = Settings(database_url=db.url, cookie_secret="test-secret-" + "x" * 40)
    stand_ins = [
        Route("/", _shell),
        Route("/bilan", _shell),
        Route("/lang-header", _echo),
        WebSocketRoute("/ws", _echo_ws),
    ]
    with TestClient(
        build_http_app(settings, lambda: db, extra=stand_ins), base_url="http://localhost"
    ) as test:
        yield test


def _log_in(client: TestClient, db: Database, email: str = "camille@exemple.fr") -> int:
    account = credentials.sign_up(db, email, PASSWORD)
    page = client.get("/connexion").text
    csrf = csrf_token(page)
    form = {"csrf": csrf, "email": email, "password": PASSWORD}
    assert client.post("/connexion", data=form, follow_redirects=False).status_code == 303
    return account.id


def test_choosing_a_language_is_saved_in_the_account(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    assert preferences.language_of(db, account.id) == "fr"
    assert preferences.choose_language(db, account.id, "en") == "en"
    assert preferences.choose_language(db, account.id, "en") == "en"  # again: nothing changes
    assert preferences.language_of(db, account.id) == "en"


def test_an_unknown_language_is_refused_and_nothing_is_written(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    with pytest.raises(ValidationError, match="langue"):
        preferences.choose_language(db, account.id, "de")
    assert preferences.language_of(db, account.id) == "fr"


def test_the_login_form_is_french_by_default(client: TestClient) -> None:
    page = client.get("/connexion").text
    assert '<html lang="fr">' in page
    assert "Mot de passe" in page
    assert 'href="/langue?lang=en&amp;next=%2Fconnexion"' in page


def test_the_login_form_is_english_with_the_cookie(client: TestClient) -> None:
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/connexion").text
    assert '<html lang="en">' in page
    assert "Password" in page
    assert "Log in" in page
    assert "Mot de passe" not in page
    assert 'hreflang="fr"' in page
    assert "Français" in page


def test_form_errors_are_in_the_language_of_the_request(client: TestClient) -> None:
    client.cookies.set(LANG_COOKIE, "en")
    refused = client.post("/inscription", data={"csrf": "forged", "email": "a@b.fr", "password": "x"})
    assert refused.status_code == 400
    assert "The form has expired: please try again." in refused.text


def test_the_document_language_follows_the_locale_of_the_request(client: TestClient) -> None:
    assert '<html lang="fr">' in client.get("/bilan").text
    client.cookies.set(LANG_COOKIE, "en")
    assert '<html lang="en">' in client.get("/bilan").text
    client.cookies.set(LANG_COOKIE, "klingon")  # unsupported: French
    assert '<html lang="fr">' in client.get("/bilan").text


def test_the_switch_sets_the_cookie_and_comes_back(client: TestClient) -> None:
    response = client.get("/langue", params={"lang": "en", "next": "/bilan"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/bilan"
    assert f"{LANG_COOKIE}=en" in response.headers["set-cookie"]
    assert '<html lang="en">' in client.get("/bilan").text


def test_the_switch_never_redirects_to_another_site(client: TestClient) -> None:
    response = client.get("/langue", params={"lang": "en", "next": "//evil.example"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_the_switch_remembers_the_choice_in_the_account(client: TestClient, db: Database) -> None:
    account_id = _log_in(client, db)
    client.get("/langue", params={"lang": "en", "next": "/"}, follow_redirects=False)
    assert preferences.language_of(db, account_id) == "en"
    client.cookies.delete(LANG_COOKIE)  # another browser of the same account
    assert '<html lang="en">' in client.get("/bilan").text


def test_another_site_cannot_change_the_account_language(client: TestClient, db: Database) -> None:
    account_id = _log_in(client, db)
    headers = {"Sec-Fetch-Site": "cross-site"}
    client.get("/langue", params={"lang": "en"}, headers=headers, follow_redirects=False)
    assert preferences.language_of(db, account_id) == "fr"


def test_the_account_language_wins_over_the_cookie(client: TestClient, db: Database) -> None:
    account_id = _log_in(client, db)
    preferences.choose_language(db, account_id, "fr")
    client.cookies.set(LANG_COOKIE, "en")
    assert '<html lang="fr">' in client.get("/bilan").text


def test_a_visitor_who_chose_english_keeps_it_after_signing_up(client: TestClient, db: Database) -> None:
    client.cookies.set(LANG_COOKIE, "en")
    answer = post_sign_up(client, "sam@exemple.fr", PASSWORD)
    assert "Check your mailbox" in answer.text
    account = credentials.authenticate(db, "sam@exemple.fr", PASSWORD)
    assert preferences.language_of(db, account.id) == "en"
    with db.read() as session:  # and the mail with the link is in English too
        subject = session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.kind == "confirm_address")
        )
        assert list(subject) == ["Confirm your e-mail address"]


def test_the_script_gets_the_cookie_language_and_never_a_forged_one(client: TestClient) -> None:
    assert client.get("/lang-header", headers={"X-Dzg-Lang": "en"}).text == "none"
    client.cookies.set(LANG_COOKIE, "en")
    assert client.get("/lang-header").text == "en"
    with client.websocket_connect("/ws") as socket:
        assert socket.receive_text() == "en"


def test_the_outage_page_speaks_the_language_of_the_request() -> None:
    with i18n.use_locale("en"):
        page = unavailable_page()
    assert '<html lang="en">' in page
    assert "Service temporarily unavailable" in page
    assert '<html lang="fr">' in unavailable_page()


def test_a_document_is_never_revalidated_into_another_language(client: TestClient) -> None:
    first = client.get("/bilan")
    assert "etag" not in first.headers
    assert "Cookie" in first.headers["vary"]
    client.cookies.set(LANG_COOKIE, "en")
    again = client.get(
        "/bilan", headers={"If-None-Match": '"whatever"', "If-Modified-Since": "Mon, 1 Jan 2024"}
    )
    assert again.status_code == 200
    assert '<html lang="en">' in again.text
