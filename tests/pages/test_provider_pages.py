"""The account page lists the identity providers linked to the account and offers the others."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from challenge.accounts import oidc
from challenge.infra.config import load_settings
from challenge.infra.db import Database
from challenge.models import utcnow
from tests.conftest import Member
from tests.pages.conftest import texts

SECRETS = """
[auth]
redirect_uri = "https://defi.exemple.fr/oauth2callback"
[auth.metropole]
label = "Métropole"
client_id = "a"
client_secret = "b"
server_metadata_url = "https://sso.lillemetropole.fr/realms/agents/.well-known/openid-configuration"
[auth.proconnect]
label = "ProConnect"
client_id = "a"
client_secret = "b"
server_metadata_url = "https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration"
"""


@pytest.fixture
def with_providers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(SECRETS)
    monkeypatch.setenv("DZG_SECRETS_FILE", str(secrets))


def _html(at: AppTest) -> str:
    return "\n".join(str(element.proto) for element in at.get("html"))


def test_account_page_lists_linked_providers_and_offers_the_others(
    with_providers: None, db: Database, member: Member, open_app: Callable[..., AppTest]
) -> None:
    provider = load_settings().oidc.provider("metropole")  # type: ignore[union-attr]
    assert provider is not None
    claims = {
        "iss": "https://sso.lillemetropole.fr/realms/agents",
        "sub": "agent-1",
        "email": "agent@lillemetropole.fr",
    }
    claims["auth_time"] = int(utcnow().timestamp())
    oidc.log_in_with_provider(
        db, provider, claims, current_account_id=member.account_id, max_age=timedelta(days=7)
    )
    at = open_app(member, "pages/account.py")
    shown = texts(at)
    assert "Fournisseurs d'identité" in shown
    assert "Métropole : agent@lillemetropole.fr" in shown
    assert "/connexion/proconnect?next=/compte" in _html(at)
    assert "/connexion/metropole" not in _html(at)
    [identity] = oidc.linked_providers(db, member.account_id)
    at.button(key=f"account_unlink_{identity.id}").click().run()  # the household also has a password
    assert not at.exception
    assert "Fournisseur dissocié" in texts(at)
    assert oidc.linked_providers(db, member.account_id) == []


def test_account_page_says_nothing_of_providers_when_none_is_configured(
    member: Member, open_app: Callable[..., AppTest], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DZG_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    assert "Fournisseurs d'identité" not in texts(open_app(member, "pages/account.py"))
