"""The `[auth]` section: providers are checked before the app starts, Big Tech ones refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from challenge.core.errors import ConfigurationError
from challenge.infra.config import load_settings
from challenge.infra.identity_providers import derived_cookie_secret, parse_auth_section

APP_SECRET = "app-secret-" + "x" * 40


def _provider(**overrides: Any) -> dict[str, Any]:
    section = {
        "label": "ProConnect",
        "client_id": "defi",
        "client_secret": "secret",
        "server_metadata_url": "https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration",
    }
    return {**section, **overrides}


def _auth(**providers: dict[str, Any]) -> dict[str, Any]:
    return {"redirect_uri": "https://defi.exemple.fr/oauth2callback", **providers}


def test_providers_are_read_with_their_rules_and_handed_to_streamlit_without_ours() -> None:
    settings = parse_auth_section(
        _auth(
            proconnect=_provider(required_acr="eidas1", client_kwargs={"prompt": "login"}),
            metropole=_provider(label="Métropole"),
        ),
        APP_SECRET,
    )
    assert settings is not None
    assert [(p.name, p.label) for p in settings.providers] == [
        ("proconnect", "ProConnect"),
        ("metropole", "Métropole"),
    ]
    proconnect, metropole = settings.providers
    assert proconnect.required_acr == {"eidas1"}
    assert metropole.required_acr == frozenset()
    section = settings.streamlit_auth_section()
    assert section["proconnect"]["client_kwargs"] == {"prompt": "login"}
    assert not {"label", "required_acr"} & set(section["metropole"])
    assert section["cookie_secret"] == derived_cookie_secret(APP_SECRET) != APP_SECRET


@pytest.mark.parametrize("section", [None, {}, {"redirect_uri": "https://defi.exemple.fr/oauth2callback"}])
def test_without_a_provider_section_there_is_no_oidc(section: dict[str, Any] | None) -> None:
    assert parse_auth_section(section, APP_SECRET) is None


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("google", "https://sso.exemple.fr/.well-known/openid-configuration"),
        ("mon-apple", "https://sso.exemple.fr/.well-known/openid-configuration"),
        ("facebook", "https://sso.exemple.fr/.well-known/openid-configuration"),
        ("ms", "https://sso.exemple.fr/.well-known/openid-configuration"),
        ("sso", "https://accounts.google.com/.well-known/openid-configuration"),
        ("sso", "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration"),
        ("sso", "https://appleid.apple.com/.well-known/openid-configuration"),
        ("sso", "https://cognito-idp.eu-west-3.amazonaws.com/pool/.well-known/openid-configuration"),
    ],
)
def test_big_tech_providers_are_refused_with_a_clear_message(name: str, url: str) -> None:
    with pytest.raises(ConfigurationError, match="ne propose jamais de connexion par Google, Apple, Meta"):
        parse_auth_section(_auth(**{name: _provider(server_metadata_url=url)}), APP_SECRET)


@pytest.mark.parametrize("name", ["centrale-lille", "olive", "lillemetropole", "keycloak"])
def test_innocent_names_that_contain_big_tech_letters_are_accepted(name: str) -> None:
    assert parse_auth_section(_auth(**{name: _provider()}), APP_SECRET) is not None


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        (_auth(pro_connect=_provider()), "pas de « _ »"),
        (_auth(default=_provider()), "nom invalide"),
        (_auth(proconnect=_provider(label="")), "label"),
        (_auth(proconnect={"label": "X"}), "client_id, client_secret, server_metadata_url"),
        (_auth(proconnect=_provider(server_metadata_url="http://sso.exemple.fr/x")), "https://"),
        (_auth(proconnect=_provider(required_acr=3)), "required_acr"),
        ({**_auth(proconnect=_provider()), "redirect_uri": "https://defi.exemple.fr/"}, "/oauth2callback"),
        ({"redirect_uri": "https://defi.exemple.fr/oauth2callback", "client_id": "x"}, "[auth.<nom>]"),
    ],
)
def test_invalid_provider_settings_name_the_section_and_the_problem(
    auth: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=r"secrets\.toml") as error:
        parse_auth_section(auth, APP_SECRET)
    assert message in str(error.value)


def test_loopback_http_is_allowed_for_a_local_provider() -> None:
    auth = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "local": _provider(server_metadata_url="http://localhost:9400/x"),
    }
    assert parse_auth_section(auth, APP_SECRET) is not None


def test_settings_read_auth_from_the_secrets_file_named_by_the_environment(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[zerogafam]\ncookie_secret = "from-the-file"\n'
        '[auth]\nredirect_uri = "https://defi.exemple.fr/oauth2callback"\ncookie_secret = "explicit"\n'
        '[auth.keycloak]\nlabel = "Métropole"\nclient_id = "a"\nclient_secret = "b"\n'
        'server_metadata_url = "https://sso.exemple.fr/realms/x/.well-known/openid-configuration"\n'
    )
    settings = load_settings({"DZG_SECRETS_FILE": str(secrets)})
    assert settings.cookie_secret == "from-the-file"
    assert settings.oidc is not None
    assert settings.oidc.cookie_secret == "explicit"
    assert settings.oidc_session_max_age_days == 7
    assert (
        load_settings(
            {"DZG_SECRETS_FILE": str(secrets), "DZG_OIDC_SESSION_MAX_AGE_DAYS": "2"}
        ).oidc_session_max_age_days
        == 2
    )
    assert (
        load_settings({"DZG_SECRETS_FILE": str(tmp_path / "none.toml"), "DZG_COOKIE_SECRET": "s"}).oidc
        is None
    )


def test_the_withdrawn_council_domain_key_is_refused_so_nobody_relies_on_it() -> None:
    """`council_email_domains` was documented as a guard on council roles but never applied."""
    with pytest.raises(ConfigurationError, match="council_email_domains"):
        parse_auth_section(
            _auth(metropole=_provider(council_email_domains=["lillemetropole.fr"])), APP_SECRET
        )
