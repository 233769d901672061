"""Log-in through identity providers (OIDC), end to end, on a phone in headless Chromium.

Two real OpenID providers run on loopback (PyPI `oidc-provider-mock`, a Flask app with a log-in
form), the real server reads its `[auth]` from a secrets file (DZG_SECRETS_FILE), and Streamlit's
native st.login flow runs for real: authorisation, callback, ID-token checks, its cookies.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from challenge.accounts import credentials
from challenge.cli.reference import load_reference
from challenge.infra import migrate
from challenge.infra.db import Database
from challenge.models import Account, LoginSession, OidcIdentity
from devtools.servers import serve_app
from tests.e2e.conftest import (
    _SERVER_LOGS,
    COOKIE_SECRET,
    budget,
    new_phone_context,
    running_edition_start,
    screenshot,
    wait_for_app,
)
from tests.support.editions import make_edition
from tests.support.oidc_mock import use_current_authlib_api

pytestmark = pytest.mark.e2e

PASSWORD = "une phrase de passe bien longue"
WELCOME = "Bienvenue dans le défi !"


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    base: str  # http://localhost:<port>, also the issuer

    def set_user(self, sub: str, **claims: object) -> None:
        """The claims this provider puts in the ID token of `sub` (none given: no e-mail at all)."""
        response = httpx.put(f"{self.base}/users/{quote(sub)}", json=claims, timeout=budget(5_000) / 1000)
        assert response.status_code == 204, response.text


@dataclass(frozen=True)
class OidcApp:
    base: str
    db: Database
    metropole: Provider
    proconnect: Provider


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once the socket is closed


def _secrets(folder: Path, metropole: Provider, proconnect: Provider) -> Path:
    def section(provider: Provider, extra: str) -> str:
        return (
            f'[auth.{provider.name}]\nlabel = "{provider.label}"\nclient_id = "defi-zero-gafam"\n'
            f'client_secret = "e2e-client-secret"\n'
            f'server_metadata_url = "{provider.base}/.well-known/openid-configuration"\n'
            f'client_kwargs = {{ prompt = "login" }}\n{extra}\n'
        )

    path = folder / "secrets.toml"
    path.write_text(
        '[auth]\nredirect_uri = "http://localhost:{port}/oauth2callback"\n\n'
        + section(metropole, "")
        + section(proconnect, 'required_acr = "eidas1"')
        + section(Provider("secours", "Secours", f"http://localhost:{_closed_port()}"), "")
    )
    return path


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcApp]:
    """The real app with three providers: two mock providers and one that is down."""
    folder = tmp_path_factory.mktemp("oidc")
    url = f"sqlite:///{folder / 'oidc.sqlite3'}"
    migrate.upgrade(url)
    db = Database(url)
    load_reference(db)
    make_edition(db, "Défi e2e", running_edition_start(date.today()), 8, [("region", "32")])
    use_current_authlib_api()  # no deprecated Authlib API behind the log-in tests (pytest.ini)
    with run_server_in_thread() as first, run_server_in_thread() as second:
        metropole = Provider("metropole", "Métropole", f"http://localhost:{first.server_port}")
        proconnect = Provider("proconnect", "ProConnect", f"http://localhost:{second.server_port}")
        secrets = _secrets(folder, metropole, proconnect)
        with serve_app(url, folder / "server.log", COOKIE_SECRET, DZG_SECRETS_FILE=str(secrets)) as server:
            _SERVER_LOGS[server.base] = server.log
            yield OidcApp(server.base, db, metropole, proconnect)
    db.dispose()


@pytest.fixture
def phone(browser: Browser, oidc_app: OidcApp, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A phone page; only the app and the two providers may be reached (the mock's CDN is not)."""
    context = new_phone_context(browser, oidc_app.base)
    allowed = (
        oidc_app.base,
        oidc_app.base.replace("http", "ws", 1),
        oidc_app.metropole.base,
        oidc_app.proconnect.base,
    )
    context.route(re.compile(r"^https?://(?!localhost[:/])"), lambda route: route.abort())
    page = context.new_page()
    page.test_name = re.sub(r"[^\w.-]+", "_", request.node.name)  # type: ignore[attr-defined]
    offsite: list[str] = []
    page.on(
        "request",
        lambda req: (
            None
            if req.url.startswith(allowed) or req.url.startswith(("data:", "blob:"))
            else offsite.append(req.url)
        ),
    )
    yield page
    context.close()
    assert [u for u in offsite if "cdn.jsdelivr.net" not in u] == []  # the mock's own style sheet


def _start(page: Page, label: str) -> None:
    page.goto("/connexion")
    page.get_by_role("link", name=f"Se connecter avec {label}").click()


def _authorize(page: Page, provider: Provider, sub: str) -> None:
    expect(page).to_have_url(re.compile("^" + re.escape(provider.base) + "/oauth2/authorize"))
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def _login_error(page: Page) -> str:
    expect(page).to_have_url(re.compile(r"/connexion\?"))
    alert = page.locator(".alert.error")
    expect(alert).to_be_visible()
    return alert.inner_text()


def _accounts_with(db: Database, email: str) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).where(Account.email == email)) or 0)


def test_provider_login_opens_an_account_survives_reload_and_logout_revokes_copied_cookies(
    phone: Page, oidc_app: OidcApp
) -> None:
    oidc_app.metropole.set_user("agent-7", email="agent7@lillemetropole.fr", email_verified=True)
    phone.goto("/connexion")
    expect(phone.get_by_role("link", name="Se connecter avec ProConnect")).to_be_visible()
    screenshot(phone, "login-page")
    _start(phone, "Métropole")
    _authorize(phone, oidc_app.metropole, "agent-7")
    wait_for_app(phone)
    expect(phone.get_by_text(WELCOME)).to_be_visible()  # a new account: onboarding first
    phone.reload()
    wait_for_app(phone)
    expect(phone.get_by_text(WELCOME)).to_be_visible()
    with oidc_app.db.read() as session:
        identity = session.scalars(select(OidcIdentity).where(OidcIdentity.subject == "agent-7")).one()
        assert (identity.issuer, identity.provider) == (oidc_app.metropole.base, "metropole")
    copied = phone.context.cookies()
    assert {"dzg_session", "_streamlit_user"} <= {c["name"] for c in copied}

    phone.goto("/deconnexion")
    phone.get_by_role("button", name="Me déconnecter").click()
    phone.get_by_role("button", name="End session").click()  # the provider's own log-out page
    expect(phone).to_have_url(re.compile(r"/connexion\?message=bye"))
    assert not {"dzg_session", "_streamlit_user"} & {c["name"] for c in phone.context.cookies()}

    phone.context.add_cookies(copied)  # replay every cookie copied while logged in
    phone.goto("/")
    wait_for_app(phone)
    expect(phone.get_by_text(WELCOME)).to_have_count(0)
    expect(phone.locator(".st-key-nav_bar").get_by_role("link", name="Se connecter")).to_be_visible()
    screenshot(phone, "replayed-cookies-refused")


def test_provider_without_the_required_acr_is_refused_and_nothing_is_created(
    phone: Page, oidc_app: OidcApp
) -> None:
    oidc_app.proconnect.set_user("faible", email="faible@exemple.fr")
    _start(phone, "ProConnect")
    _authorize(phone, oidc_app.proconnect, "faible")
    assert "niveau d'authentification" in _login_error(phone)
    assert _accounts_with(oidc_app.db, "faible@exemple.fr") == 0
    assert "_streamlit_user" not in {c["name"] for c in phone.context.cookies()}
    screenshot(phone, "acr-refused")

    oidc_app.proconnect.set_user("fort", email="fort@exemple.fr", acr="eidas1")
    _start(phone, "ProConnect")
    _authorize(phone, oidc_app.proconnect, "fort")
    wait_for_app(phone)
    expect(phone.get_by_text(WELCOME)).to_be_visible()


def test_missing_email_claim_is_refused_and_password_login_still_works(
    phone: Page, oidc_app: OidcApp
) -> None:
    oidc_app.metropole.set_user("sans-adresse", name="Sans Adresse")
    _start(phone, "Métropole")
    _authorize(phone, oidc_app.metropole, "sans-adresse")
    assert "adresse e-mail" in _login_error(phone)
    with oidc_app.db.read() as session:
        assert session.scalar(select(OidcIdentity).where(OidcIdentity.subject == "sans-adresse")) is None
    _password_login_works(phone, oidc_app, "mot-de-passe@exemple.fr")


def test_provider_down_shows_a_french_message_and_password_login_still_works(
    phone: Page, oidc_app: OidcApp
) -> None:
    _start(phone, "Secours")
    assert "indisponible ou mal configuré" in _login_error(phone)
    screenshot(phone, "provider-down")
    _password_login_works(phone, oidc_app, "secours@exemple.fr")


def _password_login_works(page: Page, oidc_app: OidcApp, email: str) -> None:
    credentials.sign_up(oidc_app.db, email, PASSWORD)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    wait_for_app(page)
    expect(page.get_by_text(WELCOME)).to_be_visible()


def test_callback_replayed_from_another_browser_is_refused(
    browser: Browser, phone: Page, oidc_app: OidcApp
) -> None:
    oidc_app.metropole.set_user("rejoue", email="rejoue@exemple.fr")
    callbacks: list[str] = []
    phone.on("request", lambda req: callbacks.append(req.url) if "/oauth2callback?" in req.url else None)
    _start(phone, "Métropole")
    _authorize(phone, oidc_app.metropole, "rejoue")
    wait_for_app(phone)
    other: BrowserContext = new_phone_context(browser, oidc_app.base)
    try:
        thief = other.new_page()
        thief.goto(callbacks[0])
        assert "n'est plus valable" in _login_error(thief)
        assert "dzg_session" not in {c["name"] for c in other.cookies()}
    finally:
        other.close()
    phone.goto(callbacks[0])  # the same browser, a second time
    assert "n'est plus valable" in _login_error(phone)


def test_email_of_a_password_account_is_linked_only_after_the_password(
    phone: Page, oidc_app: OidcApp
) -> None:
    owner = credentials.sign_up(oidc_app.db, "proprio@exemple.fr", PASSWORD)
    oidc_app.metropole.set_user("usurpateur-ou-pas", email="proprio@exemple.fr")
    _start(phone, "Métropole")
    _authorize(phone, oidc_app.metropole, "usurpateur-ou-pas")
    assert "mot de passe" in _login_error(phone)
    expect(phone.locator("#email")).to_have_value("proprio@exemple.fr")
    assert _accounts_with(oidc_app.db, "proprio@exemple.fr") == 1  # nothing taken over, nothing created
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    wait_for_app(phone)
    with oidc_app.db.read() as session:
        linked = session.scalars(
            select(OidcIdentity).where(OidcIdentity.subject == "usurpateur-ou-pas")
        ).one()
        assert linked.account_id == owner.id
    phone.context.clear_cookies()
    _start(phone, "Métropole")  # from now on the provider opens that very account
    _authorize(phone, oidc_app.metropole, "usurpateur-ou-pas")
    wait_for_app(phone)
    expect(phone.get_by_text(WELCOME)).to_be_visible()
    with oidc_app.db.read() as session:
        opened = session.scalars(select(LoginSession).where(LoginSession.oidc_identity_id == linked.id)).all()
        assert [s.account_id for s in opened] == [owner.id]
