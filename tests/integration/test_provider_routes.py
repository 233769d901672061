"""The log-in page's provider buttons, the start link and log-out, over HTTP (Starlette test client).

The whole flow with a real provider and Streamlit's own routes runs in tests/e2e/test_provider_login.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from challenge.accounts import credentials
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.infra.identity_providers import parse_auth_section
from devtools.forms import csrf_token
from tests.conftest import PASSWORD
from web.application import build_http_app
from web.identity import SESSION_COOKIE
from web.provider_login import START_COOKIE, ProviderLoginStart

SECRET = "test-secret-" + "x" * 40
AUTH = {
    "redirect_uri": "http://localhost/oauth2callback",
    "proconnect": {
        "label": "ProConnect",
        "client_id": "a",
        "client_secret": "b",
        "server_metadata_url": "https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration",
        "required_acr": "eidas1",
    },
}


def _client(db: Database, settings: Settings) -> TestClient:
    start = ProviderLoginStart(settings, login_url=lambda name: f"/auth/login?provider=token-for-{name}")
    return TestClient(build_http_app(settings, lambda: db, extra=start.routes()), base_url="http://localhost")


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=db.url, cookie_secret=SECRET, oidc=parse_auth_section(AUTH, SECRET))
    with _client(db, settings) as test_client:
        yield test_client


def test_without_providers_the_login_page_shows_nothing_about_them(db: Database) -> None:
    with _client(db, Settings(database_url=db.url, cookie_secret=SECRET)) as plain:
        page = plain.get("/connexion")
        assert "Se connecter avec" not in page.text
        assert plain.get("/connexion/proconnect", follow_redirects=False).headers["location"] == (
            "/connexion?erreur=unknown"
        )


def test_login_page_offers_one_button_per_provider_keeping_the_next_page(client: TestClient) -> None:
    page = client.get("/connexion?next=/bilan")
    assert (
        '<a class="provider" href="/connexion/proconnect?next=/bilan">Se connecter avec ProConnect</a>'
        in page.text
    )
    assert 'autocomplete="current-password"' in page.text  # the password form stays


def test_the_start_link_remembers_the_provider_and_starts_streamlits_login(client: TestClient) -> None:
    response = client.get("/connexion/proconnect?next=//evil.example", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/auth/login?provider=token-for-proconnect"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(START_COOKIE))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("erreur=unavailable&fournisseur=proconnect", "ProConnect n&#39;a pas pu confirmer votre connexion"),
        ("erreur=replayed&fournisseur=proconnect", "Ce retour de connexion n&#39;est plus valable"),
        ("erreur=acr&fournisseur=proconnect", "niveau d&#39;authentification exigé"),
        ("erreur=missing_email&fournisseur=proconnect", "pas transmis d&#39;adresse e-mail vérifiée"),
        (
            "erreur=cancelled&fournisseur=<script>",
            "La connexion avec le fournisseur d&#39;identité a été annulée",
        ),
        ("erreur=unknown", "pas proposé ici"),
    ],
)
def test_provider_failures_show_a_french_message_on_the_login_page(
    client: TestClient, query: str, message: str
) -> None:
    page = client.get(f"/connexion?{query}")
    assert message in page.text
    assert "<script>" not in page.text
    assert 'aria-invalid="true"' not in page.text  # the password fields did nothing wrong


def test_an_unknown_error_code_shows_nothing(client: TestClient) -> None:
    assert 'role="alert"' not in client.get("/connexion?erreur=autre").text


def test_logout_also_ends_streamlits_identity_cookie_through_its_own_route(
    client: TestClient, db: Database
) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    page = client.get("/connexion")
    csrf = csrf_token(page.text)
    client.post("/connexion", data={"csrf": csrf, "email": account.email, "password": PASSWORD})
    client.cookies.set("_streamlit_user", "signed-by-streamlit")
    response = client.post("/deconnexion", data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="0;url=/auth/logout">' in response.text
    assert any(c.startswith(f'{SESSION_COOKIE}=""') for c in response.headers.get_list("set-cookie"))


def test_logout_without_a_provider_cookie_goes_straight_to_the_login_page(
    client: TestClient, db: Database
) -> None:
    settings = Settings(database_url=db.url, cookie_secret=SECRET)
    with _client(db, replace(settings, oidc=None)) as plain:
        response = plain.get("/deconnexion", follow_redirects=False)
    assert response.headers["location"] == "/connexion?message=bye"
