"""Log-in through identity providers, at the service level: accounts by (issuer, subject), links,
required acr, maximum age and log-out everywhere, on a frozen clock (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from challenge.accounts import credentials, oidc, sessions
from challenge.accounts.sessions import Identity
from challenge.core.errors import ValidationError
from challenge.households import rights
from challenge.infra.db import Database
from challenge.infra.identity_providers import IdentityProvider, parse_provider
from challenge.models import Account, OidcIdentity
from tests.conftest import PASSWORD

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MAX_AGE = timedelta(days=7)
KEYCLOAK = "https://sso.lillemetropole.fr/realms/agents"
PROCONNECT = "https://auth.agentconnect.gouv.fr/api/v2"


def _provider(name: str, issuer: str, **rules: Any) -> IdentityProvider:
    section = {
        "label": name.capitalize(),
        "client_id": "defi",
        "client_secret": "secret",
        "server_metadata_url": f"{issuer}/.well-known/openid-configuration",
        **rules,
    }
    return parse_provider(name, section)


METROPOLE = _provider("metropole", KEYCLOAK)
PRO = _provider("proconnect", PROCONNECT, required_acr=["eidas1", "eidas2"])


def _claims(issuer: str, sub: str, email: str | None = "camille@exemple.fr", **extra: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": sub,
        "auth_time": int((NOW - timedelta(minutes=1)).timestamp()),
    }
    if email is not None:
        claims["email"] = email
    return {**claims, **extra}


def _log_in(
    db: Database,
    claims: dict[str, Any],
    provider: IdentityProvider = METROPOLE,
    current: int | None = None,
    now: datetime = NOW,
) -> oidc.ProviderLogin:
    return oidc.log_in_with_provider(
        db, provider, claims, current_account_id=current, max_age=MAX_AGE, now=now
    )


def _identify(db: Database, login: oidc.ProviderLogin, now: datetime = NOW) -> Identity | None:
    return sessions.identify(db, sessions.hash_token(login.token), now=now)


def _count(db: Database, model: type[Account] | type[OidcIdentity]) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_first_provider_login_opens_an_account_without_household_and_a_session(db: Database) -> None:
    login = _log_in(db, _claims(KEYCLOAK, "agent-1"))
    identity = _identify(db, login)
    assert login.created
    assert identity is not None
    assert (identity.email, identity.has_household, identity.provider) == (
        "camille@exemple.fr",
        False,
        "metropole",
    )
    assert login.expires_at == NOW - timedelta(minutes=1) + MAX_AGE  # counted from auth_time


def test_the_same_issuer_and_subject_always_open_the_same_account(db: Database) -> None:
    first = _log_in(db, _claims(KEYCLOAK, "agent-1"))
    again = _log_in(db, _claims(KEYCLOAK, "agent-1", email="nouvelle@exemple.fr"))
    assert (again.account_id, again.created) == (first.account_id, False)
    assert _count(db, Account) == 1


def test_two_providers_returning_the_same_email_give_two_distinct_accounts(db: Database) -> None:
    first = _log_in(db, _claims(KEYCLOAK, "42"))
    second = _log_in(db, _claims(PROCONNECT, "42", acr="eidas1"), provider=PRO)
    assert first.account_id != second.account_id
    assert _count(db, Account) == 2


def test_a_browser_already_logged_in_links_a_new_identity_to_its_account(db: Database) -> None:
    first = _log_in(db, _claims(KEYCLOAK, "42"))
    linked = _log_in(db, _claims(PROCONNECT, "pc-42", acr="eidas1"), provider=PRO, current=first.account_id)
    assert (linked.account_id, linked.linked, linked.created) == (first.account_id, True, False)
    later = _log_in(db, _claims(PROCONNECT, "pc-42", acr="eidas1"), provider=PRO)
    assert later.account_id == first.account_id


def test_an_identity_of_another_account_is_refused_while_logged_in(db: Database) -> None:
    other = _log_in(db, _claims(KEYCLOAK, "autre"))
    mine = credentials.sign_up(db, "moi@exemple.fr", PASSWORD)
    with pytest.raises(oidc.ProviderLoginRefused) as refused:
        _log_in(db, _claims(KEYCLOAK, "autre"), current=mine.id)
    assert refused.value.code == "linked_elsewhere"
    assert other.account_id != mine.id


def test_email_of_a_password_account_is_never_taken_over_and_links_after_its_password(db: Database) -> None:
    owner = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    with pytest.raises(oidc.ProviderLoginRefused) as refused:
        _log_in(db, _claims(KEYCLOAK, "agent-1"))
    assert refused.value.code == "email_taken"
    assert "mot de passe" in refused.value.message
    assert (_count(db, Account), _count(db, OidcIdentity)) == (1, 0)
    pending = refused.value.pending
    assert pending is not None
    stranger = credentials.sign_up(db, "autre@exemple.fr", PASSWORD)
    assert not oidc.complete_pending_link(db, pending, stranger.id)  # waiting for the owner only
    assert oidc.complete_pending_link(db, pending, owner.id)
    assert _log_in(db, _claims(KEYCLOAK, "agent-1")).account_id == owner.id


@pytest.mark.parametrize("acr", [None, "eidas0", ["eidas1"], ""])
def test_a_token_without_the_required_acr_is_refused(db: Database, acr: object) -> None:
    claims = _claims(PROCONNECT, "pc-1") if acr is None else _claims(PROCONNECT, "pc-1", acr=acr)
    with pytest.raises(oidc.ProviderLoginRefused) as refused:
        _log_in(db, claims, provider=PRO)
    assert refused.value.code == "acr"
    assert _count(db, Account) == 0


def test_a_token_with_one_of_the_required_acr_values_is_accepted(db: Database) -> None:
    assert _log_in(db, _claims(PROCONNECT, "pc-1", acr="eidas2"), provider=PRO).created


@pytest.mark.parametrize(
    "claims",
    [
        _claims(KEYCLOAK, "sans", email=None),
        _claims(KEYCLOAK, "sans", email="pas-une-adresse"),
        _claims(KEYCLOAK, "sans", email_verified=False),
    ],
    ids=["missing", "malformed", "unverified"],
)
def test_missing_or_unverified_email_is_refused_and_creates_nothing(
    db: Database, claims: dict[str, Any]
) -> None:
    with pytest.raises(oidc.ProviderLoginRefused) as refused:
        _log_in(db, claims)
    assert refused.value.code == "missing_email"
    assert "adresse e-mail" in refused.value.message
    assert (_count(db, Account), _count(db, OidcIdentity)) == (0, 0)


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"auth_time": int((NOW - MAX_AGE - timedelta(seconds=1)).timestamp())}, "too_old"),
        ({"auth_time": None, "iat": int((NOW - timedelta(days=8)).timestamp())}, "too_old"),
        ({"auth_time": int((NOW + timedelta(hours=1)).timestamp())}, "incomplete"),
        ({"sub": ""}, "incomplete"),
    ],
    ids=["auth-time-too-old", "iat-too-old", "from-the-future", "no-subject"],
)
def test_tokens_too_old_or_incomplete_are_refused(db: Database, claims: dict[str, Any], code: str) -> None:
    with pytest.raises(oidc.ProviderLoginRefused) as refused:
        _log_in(db, {**_claims(KEYCLOAK, "agent-1"), **claims})
    assert refused.value.code == code


def test_a_provider_session_ends_at_the_maximum_age_counted_from_authentication(db: Database) -> None:
    login = _log_in(db, _claims(KEYCLOAK, "agent-1"))
    assert _identify(db, login, now=login.expires_at - timedelta(seconds=1)) is not None
    assert _identify(db, login, now=login.expires_at + timedelta(seconds=1)) is None


def test_log_out_everywhere_ends_provider_sessions_and_refuses_older_authentications(db: Database) -> None:
    login = _log_in(db, _claims(KEYCLOAK, "agent-1"))
    assert sessions.close_all_sessions(db, login.account_id, now=NOW + timedelta(minutes=5)) == 1
    later = NOW + timedelta(minutes=10)
    assert _identify(db, login, now=later) is None
    with pytest.raises(oidc.ProviderLoginRefused) as refused:  # a token from before the log-out
        _log_in(db, _claims(KEYCLOAK, "agent-1"), now=later)
    assert refused.value.code == "too_old"
    fresh = _claims(KEYCLOAK, "agent-1", auth_time=int(later.timestamp()))
    assert _identify(db, _log_in(db, fresh, now=later), now=later) is not None


def test_deactivation_ends_sessions_at_once_and_refuses_provider_logins(db: Database) -> None:
    login = _log_in(db, _claims(KEYCLOAK, "agent-1"))
    sessions.deactivate(db, login.account_id, now=NOW)
    assert _identify(db, login) is None
    later = NOW + timedelta(minutes=1)
    with pytest.raises(oidc.ProviderLoginRefused) as refused:
        _log_in(db, _claims(KEYCLOAK, "agent-1", auth_time=int(later.timestamp())), now=later)
    assert refused.value.code == "inactive"


def test_password_log_in_ignores_provider_accounts_sharing_the_email(db: Database) -> None:
    from_provider = _log_in(db, _claims(KEYCLOAK, "agent-1"))
    with_password = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    assert with_password.id != from_provider.account_id
    assert credentials.authenticate(db, "camille@exemple.fr", PASSWORD).id == with_password.id


def test_the_data_export_lists_provider_identities(db: Database) -> None:
    login = _log_in(db, _claims(KEYCLOAK, "agent-1"))
    with db.read() as session:
        records = rights.export_account(session, login.account_id)
    [row] = records["fournisseurs_identite"]
    assert (row["provider"], row["issuer"], row["subject"]) == ("metropole", KEYCLOAK, "agent-1")


def test_the_only_way_to_log_in_cannot_be_unlinked(db: Database) -> None:
    login = _log_in(db, _claims(KEYCLOAK, "agent-1"))
    [identity] = oidc.linked_providers(db, login.account_id)
    with pytest.raises(ValidationError, match="seule façon"):
        oidc.unlink_provider(db, login.account_id, identity.id)
    assert _identify(db, login) is not None


def test_a_second_provider_can_be_unlinked_and_its_sessions_end(db: Database) -> None:
    first = _log_in(db, _claims(KEYCLOAK, "42"))
    linked = _log_in(db, _claims(PROCONNECT, "pc-42", acr="eidas1"), provider=PRO, current=first.account_id)
    pro = next(row for row in oidc.linked_providers(db, first.account_id) if row.provider == "proconnect")
    oidc.unlink_provider(db, first.account_id, pro.id, now=NOW)
    assert _identify(db, linked) is None
    assert _identify(db, first) is not None
    assert [row.provider for row in oidc.linked_providers(db, first.account_id)] == ["metropole"]


def test_a_password_account_may_unlink_its_provider_but_not_anothers(db: Database) -> None:
    owner = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    _log_in(db, _claims(KEYCLOAK, "42"), current=owner.id)
    [identity] = oidc.linked_providers(db, owner.id)
    stranger = credentials.sign_up(db, "dominique@exemple.fr", PASSWORD)
    with pytest.raises(ValidationError):
        oidc.unlink_provider(db, stranger.id, identity.id)
    oidc.unlink_provider(db, owner.id, identity.id)
    assert oidc.linked_providers(db, owner.id) == []
