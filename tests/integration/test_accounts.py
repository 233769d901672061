"""Sign-up, log-in and server-side sessions against a real database."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from challenge.accounts import credentials, sessions
from challenge.core.errors import AuthenticationError, ValidationError
from challenge.infra.db import Database
from challenge.models import Account
from tests.conftest import PASSWORD


def test_sign_up_stores_a_normalised_email_and_an_argon2id_hash(db: Database) -> None:
    account = credentials.sign_up(db, " Camille@Exemple.fr ", PASSWORD)
    with db.read() as session:
        stored = session.get_one(Account, account.id)
    assert stored.email == "camille@exemple.fr"
    assert stored.password_hash is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


def test_duplicate_account_is_refused_in_french_and_nothing_is_written(db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    with pytest.raises(ValidationError, match="Un compte existe déjà"):
        credentials.sign_up(db, "CAMILLE@exemple.fr", "un autre mot de passe long")
    with db.read() as session:
        assert session.scalar(select(func.count(Account.id))) == 1


def test_retried_sign_up_with_same_password_logs_in_instead_of_failing(db: Database) -> None:
    first = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    again = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    assert again.id == first.id


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("", PASSWORD, "Indiquez votre adresse e-mail"),
        ("pas-une-adresse", PASSWORD, "n'a pas l'air valide"),
        ("camille@exemple.fr", "court", "au moins 12 caractères"),
    ],
)
def test_bad_sign_up_input_writes_nothing(db: Database, email: str, password: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        credentials.sign_up(db, email, password)
    with db.read() as session:
        assert session.scalar(select(func.count(Account.id))) == 0


def test_authenticate_refuses_wrong_password_and_unknown_email_alike(db: Database) -> None:
    credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    for email, password in [("camille@exemple.fr", "mauvais mot de passe"), ("inconnu@exemple.fr", PASSWORD)]:
        with pytest.raises(AuthenticationError) as error:
            credentials.authenticate(db, email, password)
        assert error.value.message == credentials.BAD_CREDENTIALS


def test_session_identifies_the_account_until_closed(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    token = sessions.open_session(db, account.id, timedelta(days=1))
    session_hash = sessions.hash_token(token)
    identity = sessions.identify(db, session_hash)
    assert identity is not None
    assert identity.email == "camille@exemple.fr"
    assert not identity.has_household
    assert sessions.session_locale(db, session_hash) == identity.locale  # what the middleware reads
    sessions.close_session(db, session_hash)
    assert sessions.identify(db, session_hash) is None
    assert sessions.session_locale(db, session_hash) is None


def test_log_out_everywhere_closes_every_session_of_the_account_only(db: Database) -> None:
    camille = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    other = credentials.sign_up(db, "dominique@exemple.fr", PASSWORD)
    phone, laptop, others = (
        sessions.hash_token(sessions.open_session(db, a, timedelta(days=1)))
        for a in (camille.id, camille.id, other.id)
    )
    assert sessions.close_all_sessions(db, camille.id) == 2
    assert sessions.identify(db, phone) is None
    assert sessions.identify(db, laptop) is None
    assert sessions.identify(db, others) is not None


def test_expired_session_is_refused(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    session_hash = sessions.hash_token(sessions.open_session(db, account.id, timedelta(hours=1)))
    later = datetime.now(UTC) + timedelta(hours=2)
    assert sessions.identify(db, session_hash, now=later) is None
    assert sessions.session_locale(db, session_hash, now=later) is None


def test_deactivated_account_can_neither_log_in_nor_use_its_session(db: Database) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    session_hash = sessions.hash_token(sessions.open_session(db, account.id, timedelta(days=1)))
    with db.write() as session:
        session.get_one(Account, account.id).is_active = False
    assert sessions.identify(db, session_hash) is None
    assert sessions.session_locale(db, session_hash) is None
    with pytest.raises(AuthenticationError):
        credentials.authenticate(db, "camille@exemple.fr", PASSWORD)


def test_grant_role_is_idempotent(db: Database) -> None:
    account = credentials.sign_up(db, "orga@exemple.fr", PASSWORD)
    sessions.grant_role(db, account.id, "organiser")
    sessions.grant_role(db, account.id, "organiser")
    session_hash = sessions.hash_token(sessions.open_session(db, account.id, timedelta(days=1)))
    identity = sessions.identify(db, session_hash)
    assert identity is not None
    assert identity.roles == frozenset({"organiser"})
