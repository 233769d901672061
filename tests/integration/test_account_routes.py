"""The account forms and the identity middleware, over real HTTP requests (Starlette test client)."""

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from challenge.accounts import sessions
from challenge.infra.config import Settings
from challenge.infra.db import Database
from devtools.forms import csrf_token
from tests.conftest import PASSWORD
from tests.support.signup import confirmation_path, post_sign_up, sign_up_and_follow_link
from web.account_routes import AccountForms
from web.application import build_http_app
from web.identity import IDENTITY_HEADER, SESSION_COOKIE


async def _echo(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.headers.get(IDENTITY_HEADER.decode(), "anonymous"))


async def _echo_ws(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(websocket.headers.get(IDENTITY_HEADER.decode(), "anonymous"))
    await websocket.close()


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=db.url, cookie_secret="test-secret-" + "x" * 40)
    stand_ins = [Route("/whoami", _echo), WebSocketRoute("/ws", _echo_ws)]
    app = build_http_app(settings, lambda: db, extra=stand_ins)
    with TestClient(app, base_url="http://localhost") as test_client:
        yield test_client


def _csrf(client: TestClient, path: str) -> str:
    return csrf_token(client.get(path).text)


def _sign_up(client: TestClient, db: Database, email: str = "camille@exemple.fr") -> httpx.Response:
    """Sign up and use the mailed link in this browser: logged in."""
    return sign_up_and_follow_link(client, db, email, PASSWORD)


def test_login_page_is_a_real_french_form_for_password_managers(client: TestClient) -> None:
    page = client.get("/connexion")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert 'autocomplete="username"' in page.text
    assert 'autocomplete="current-password"' in page.text
    assert page.headers["cache-control"] == "no-store"


def test_the_mailed_sign_up_link_sets_a_signed_httponly_lax_cookie_and_identifies_the_browser(
    client: TestClient, db: Database
) -> None:
    response = _sign_up(client, db)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Max-Age=" in cookie
    identity = sessions.identify(db, client.get("/whoami").text)
    assert identity is not None
    assert identity.email == "camille@exemple.fr"


def test_identity_reaches_websockets_too(client: TestClient, db: Database) -> None:
    _sign_up(client, db)
    cookie = {"Cookie": f"{SESSION_COOKIE}={client.cookies.get(SESSION_COOKIE)}"}
    with client.websocket_connect("/ws", headers=cookie) as websocket:
        assert sessions.identify(db, websocket.receive_text()) is not None


def test_client_sent_identity_header_is_stripped(client: TestClient) -> None:
    forged = {"X-Dzg-Session": "0" * 64}
    assert client.get("/whoami", headers=forged).text == "anonymous"
    with client.websocket_connect("/ws", headers=forged) as websocket:
        assert websocket.receive_text() == "anonymous"


def test_forged_or_tampered_cookie_gives_no_identity(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, "forged.value.signature")
    assert client.get("/whoami").text == "anonymous"


def test_wrong_password_shows_french_error_and_keeps_the_email(client: TestClient, db: Database) -> None:
    _sign_up(client, db)
    client.cookies.delete(SESSION_COOKIE)
    response = client.post(
        "/connexion",
        data={
            "csrf": _csrf(client, "/connexion"),
            "email": "camille@exemple.fr",
            "password": "pas le bon mot",
        },
    )
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in response.text
    assert 'value="camille@exemple.fr"' in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("", PASSWORD, "Indiquez votre adresse e-mail"),
        ("camille@", PASSWORD, "n&#39;a pas l&#39;air valide"),
        ("camille@exemple.fr", "court", "au moins 12 caractères"),
    ],
)
def test_bad_sign_up_shows_french_errors(client: TestClient, email: str, password: str, message: str) -> None:
    response = post_sign_up(client, email, password)
    assert response.status_code == 400
    assert message in response.text


def test_user_text_is_escaped_in_the_form(client: TestClient) -> None:
    response = post_sign_up(client, '"><script>alert(1)</script>@x.fr', PASSWORD)
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_post_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/connexion")
    response = client.post("/connexion", data={"email": "camille@exemple.fr", "password": PASSWORD})
    assert response.status_code == 400
    assert "expiré" in response.text


def test_login_redirects_only_to_local_paths(client: TestClient, db: Database) -> None:
    _sign_up(client, db)
    client.cookies.delete(SESSION_COOKIE)
    for target, expected in [("/bilan", "/bilan"), ("//evil.example", "/"), ("https://evil.example", "/")]:
        response = client.post(
            f"/connexion?next={target}",
            follow_redirects=False,
            data={"csrf": _csrf(client, "/connexion"), "email": "camille@exemple.fr", "password": PASSWORD},
        )
        assert response.headers["location"] == expected


def test_logout_needs_a_post_then_revokes_the_copied_cookie(client: TestClient, db: Database) -> None:
    _sign_up(client, db)
    copied = client.cookies.get(SESSION_COOKIE)
    confirm = client.get("/deconnexion")
    assert "Se déconnecter ?" in confirm.text  # a GET (e.g. a link from another site) logs nobody out
    assert client.get("/whoami").text != "anonymous"
    csrf = csrf_token(confirm.text)
    response = client.post("/deconnexion", data={"csrf": csrf}, follow_redirects=False)
    assert response.headers["location"] == "/connexion?message=bye"
    client.cookies.set(SESSION_COOKIE, copied)  # replay the cookie copied before logging out
    session_hash = client.get("/whoami").text
    assert sessions.identify(db, session_hash) is None


def test_security_log_has_events_but_no_email_and_no_password(
    client: TestClient, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="challenge.security")
    _sign_up(client, db)
    client.cookies.clear()
    client.post(
        "/connexion",
        data={
            "csrf": _csrf(client, "/connexion"),
            "email": "camille@exemple.fr",
            "password": "pas le bon mot de passe",
        },
    )
    client.post(
        "/connexion",
        data={"csrf": _csrf(client, "/connexion"), "email": "camille@exemple.fr", "password": PASSWORD},
    )
    text = caplog.text
    assert re.search(r"signed_up account=\d+", text)
    assert re.search(r"login_failed account=- email=[0-9a-f]{16} reason=bad_credentials", text)
    assert re.search(r"login_succeeded account=\d+", text)
    assert "camille" not in text
    assert "exemple.fr" not in text
    assert PASSWORD not in text
    assert "pas le bon mot de passe" not in text


def test_cookies_are_secure_behind_https(db: Database) -> None:
    settings = Settings(database_url=db.url, cookie_secret="test-secret-" + "x" * 40, cookie_secure=True)
    app = build_http_app(settings, lambda: db)
    with TestClient(app, base_url="https://localhost") as secure:
        response = _sign_up(secure, db)
    cookies = response.headers.get_list("set-cookie")
    assert {c.split("=")[0] for c in cookies} >= {f"__Host-{SESSION_COOKIE}", "__Host-dzg_device"}
    assert all("Secure" in cookie for cookie in cookies)


def test_login_form_says_in_french_when_the_database_is_unreachable(tmp_path: Path) -> None:
    from sqlalchemy.exc import OperationalError

    from web.errors import database_unavailable

    settings = Settings(database_url="sqlite://", cookie_secret="test-secret-" + "x" * 40)
    unreachable = Database(f"sqlite:///{tmp_path}/missing/dir/../../nowhere.sqlite3")
    unreachable.engine.dispose()
    app = Starlette(
        routes=AccountForms(lambda: unreachable, settings).routes(),
        exception_handlers={OperationalError: database_unavailable},
    )
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as client:
        response = client.post(
            "/connexion",
            data={"csrf": _csrf(client, "/connexion"), "email": "camille@exemple.fr", "password": PASSWORD},
        )
    assert response.status_code == 503
    assert "momentanément indisponible" in response.text
    assert "Traceback" not in response.text


def test_over_https_the_cookies_are_host_only_so_a_sibling_origin_cannot_set_them(db: Database) -> None:
    settings = Settings(database_url=db.url, cookie_secret="test-secret-" + "x" * 40, cookie_secure=True)
    app = build_http_app(settings, lambda: db, extra=[Route("/whoami", _echo)])
    with TestClient(app, base_url="https://localhost") as secure:
        page = secure.get("/inscription")
        assert page.headers["set-cookie"].startswith("__Host-dzg_csrf=")
        answer = post_sign_up(secure, "camille@exemple.fr", PASSWORD)
        assert {c.split("=", 1)[0] for c in answer.headers.get_list("set-cookie")} == {
            "__Host-dzg_csrf",
            "__Host-dzg_signup",
        }
        signed_up = sign_up_and_follow_link(secure, db, "camille@exemple.fr", PASSWORD)
        cookies = signed_up.headers.get_list("set-cookie")
        assert {c.split("=", 1)[0] for c in cookies} == {
            "__Host-dzg_session",
            "__Host-dzg_device",
            "__Host-dzg_signup",  # spent: deleted
        }
        assert all("Secure" in c and "Path=/" in c and "Domain" not in c for c in cookies)
        assert secure.get("/whoami").text != "anonymous"
        # The plain name a sibling origin could set is ignored: neither identity nor CSRF token.
        secure.cookies.clear()
        secure.cookies.set(SESSION_COOKIE, signed_up.cookies["__Host-dzg_session"])
        assert secure.get("/whoami").text == "anonymous"


def test_every_state_changing_route_refuses_another_site(client: TestClient) -> None:
    app = client.app
    posts = [
        route.path.replace("{token}", "x")
        for route in app.routes  # type: ignore[attr-defined]
        if "POST" in (getattr(route, "methods", None) or ())
    ]
    assert {"/connexion", "/inscription", "/deconnexion"} <= set(posts)
    for path in posts:
        for headers in ({"Origin": "http://localhost:1"}, {"Sec-Fetch-Site": "cross-site"}):
            assert client.post(path, headers=headers, data={"csrf": "x"}).status_code == 403, (path, headers)


def test_a_team_invitation_link_carries_its_code_through_sign_up_and_the_mailed_link(
    client: TestClient, db: Database
) -> None:
    page = client.get("/inscription?code=k7m2-qx")
    assert 'name="code" value="K7M2QX"' in page.text
    assert "/connexion?next=/collectif%3Fcode%3DK7M2QX" in page.text  # a member: log in, then join
    answer = post_sign_up(client, "lea@exemple.fr", PASSWORD, code="K7M2QX")
    assert 'name="code" value="K7M2QX"' in answer.text  # kept by "send it again"
    assert "/connexion?next=/%3Fcode%3DK7M2QX" in answer.text  # and by a log-in with the password
    assert confirmation_path(db, "lea@exemple.fr").endswith("?code=K7M2QX")
    response = sign_up_and_follow_link(client, db, "lea@exemple.fr", PASSWORD, code="K7M2QX")
    assert response.headers["location"] == "/?code=K7M2QX"  # the onboarding fills it in


@pytest.mark.parametrize("sent", ["<script>", "K7M2Q", "K7M2QXX", "A" * 1000, "IIIIII"])
def test_anything_but_an_invitation_code_is_dropped_from_the_link(client: TestClient, sent: str) -> None:
    page = client.get("/inscription", params={"code": sent})
    assert 'name="code"' not in page.text
