"""Log-in throttling: growing delay, short lock, trusted devices, nothing recorded when refused."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from challenge.accounts import credentials
from challenge.accounts.budgets import LOGIN_PER_CLIENT, client_key
from challenge.accounts.throttle import LOCK_AFTER, WINDOW, delay_after
from challenge.core.errors import AuthenticationError, TooManyAttempts
from challenge.infra.db import Database
from challenge.models import Account, LoginFailure
from tests.conftest import PASSWORD

T0 = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
WRONG = "pas le bon mot de passe"


@pytest.fixture
def account(db: Database) -> Account:
    return credentials.sign_up(db, "camille@exemple.fr", PASSWORD)


def _fail_until_locked(db: Database) -> datetime:
    """Fail LOCK_AFTER times, each as soon as the throttle allows; returns the time of the last."""
    now = T0
    for failures in range(LOCK_AFTER):
        now += delay_after(failures)
        with pytest.raises(AuthenticationError) as error:
            credentials.authenticate(db, "camille@exemple.fr", WRONG, now=now)
        assert not isinstance(error.value, TooManyAttempts)
    return now


def _failures(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(LoginFailure.id))) or 0


def test_first_failures_are_free_then_the_delay_grows(db: Database, account: Account) -> None:
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            credentials.authenticate(db, "camille@exemple.fr", WRONG, now=T0)
    with pytest.raises(TooManyAttempts, match="patientez 1 seconde"):
        credentials.authenticate(db, "camille@exemple.fr", PASSWORD, now=T0)
    assert _failures(db) == 3  # the refused attempt was neither checked nor recorded
    assert (
        credentials.authenticate(db, "camille@exemple.fr", PASSWORD, now=T0 + timedelta(seconds=1)).id
        == account.id
    )
    assert _failures(db) == 0  # a success clears the slate


def test_ten_failures_lock_the_account_for_at_most_fifteen_minutes(db: Database, account: Account) -> None:
    last = _fail_until_locked(db)
    with pytest.raises(TooManyAttempts, match="verrouillé"):
        credentials.authenticate(db, "camille@exemple.fr", PASSWORD, now=last + timedelta(minutes=1))
    assert credentials.authenticate(
        db, "camille@exemple.fr", PASSWORD, now=T0 + WINDOW + timedelta(seconds=1)
    )


def test_a_trusted_device_is_never_locked_out(db: Database, account: Account) -> None:
    last = _fail_until_locked(db)
    found = credentials.authenticate(
        db, "camille@exemple.fr", PASSWORD, now=last + timedelta(seconds=5), trusted_account_id=account.id
    )
    assert found.id == account.id


def test_unknown_email_records_nothing(db: Database) -> None:
    with pytest.raises(AuthenticationError):
        credentials.authenticate(db, "personne@exemple.fr", WRONG, now=T0)
    assert _failures(db) == 0


def test_an_address_without_account_is_throttled_exactly_like_one_with_an_account(
    db: Database, account: Account
) -> None:
    answers = {}
    for email in ("camille@exemple.fr", "personne@exemple.fr"):
        seen = []
        for _ in range(4):
            try:
                credentials.authenticate(db, email, WRONG, now=T0)
            except AuthenticationError as error:
                seen.append((type(error).__name__, error.message))
        answers[email] = seen
    assert answers["camille@exemple.fr"] == answers["personne@exemple.fr"]
    assert answers["personne@exemple.fr"][-1][0] == "TooManyAttempts"


def test_spraying_one_password_over_many_accounts_is_stopped_per_client(
    db: Database, account: Account
) -> None:
    client = client_key("203.0.113.7", "secret")
    for number in range(LOGIN_PER_CLIENT.limit):
        with pytest.raises(AuthenticationError) as error:
            credentials.authenticate(db, f"cible{number}@exemple.fr", PASSWORD, client=client, now=T0)
        assert not isinstance(error.value, TooManyAttempts)
    neighbour = client_key("203.0.113.99", "secret")  # same /24 network: same budget
    with pytest.raises(TooManyAttempts):
        credentials.authenticate(db, "camille@exemple.fr", PASSWORD, client=neighbour, now=T0)
    # The account's own known device still gets in from there, and another network is not hit.
    assert credentials.authenticate(
        db, "camille@exemple.fr", PASSWORD, client=neighbour, trusted_account_id=account.id, now=T0
    )
    assert credentials.authenticate(
        db, "camille@exemple.fr", PASSWORD, client=client_key("198.51.100.1", "secret"), now=T0
    )
