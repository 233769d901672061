"""Password accounts: create one, sign up (idempotent for tools), authenticate (throttled).

The session opened after a successful log-in is challenge.accounts.sessions'.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from challenge.accounts import budgets, passwords, throttle
from challenge.accounts.sessions import normalize_email
from challenge.core.errors import AuthenticationError, ValidationError
from challenge.core.i18n import _, lazy_gettext
from challenge.infra.db import Database
from challenge.models import Account, utcnow

BAD_CREDENTIALS = lazy_gettext("Adresse e-mail ou mot de passe incorrect.")


class AddressInUse(ValidationError):
    """Sign-up with the address of an existing password account (and not its password). The web
    form never shows this message: it answers "check your mail" and warns the owner by mail."""


def create_account(db: Database, email: str, password: str, locale: str | None = None) -> Account:
    """A new account, or AddressInUse. The password is checked and hashed (one argon2 hash) before
    looking at the address, and nothing more is hashed after: whether the address has an account
    shows neither in the error (the web form answers the same) nor in the time taken. `locale`:
    the language chosen as a visitor, kept in the same write."""
    email = normalize_email(email)
    password_hash = passwords.hash_password(password, user_inputs=[email])
    try:
        with db.write() as session:
            account = Account(email=email, password_hash=password_hash)
            if locale is not None:
                account.locale = locale
            session.add(account)
            session.flush()
            return account
    except IntegrityError:
        raise AddressInUse(
            _("Un compte existe déjà avec cette adresse e-mail. Connectez-vous."), field="email"
        ) from None


def sign_up(db: Database, email: str, password: str) -> Account:
    """Create an account (operators' tools and tests); a retried sign-up with the same password
    logs in instead of failing."""
    try:
        return create_account(db, email, password)
    except AddressInUse as in_use:
        try:
            return authenticate(db, email, password)
        except AuthenticationError:
            raise in_use from None


def authenticate(
    db: Database,
    email: str,
    password: str,
    *,
    trusted_account_id: int | None = None,
    client: str | None = None,
    now: datetime | None = None,
) -> Account:
    """The active account matching these credentials, or AuthenticationError.

    Failures are recorded and throttled alike whether the account exists or not (see
    challenge.accounts.throttle), and charged to the `client` network's budget (spraying one
    password over many accounts); `trusted_account_id` is the account a trusted-device cookie
    vouches for: that browser is exempt from both locks.
    """
    now = now or utcnow()
    try:
        email = normalize_email(email)
    except ValidationError:
        raise AuthenticationError(BAD_CREDENTIALS) from None
    charges = [(budgets.LOGIN_PER_CLIENT, client)]
    with db.read() as session:
        account = session.scalar(
            select(Account).where(Account.email == email, Account.password_hash.is_not(None))
        )
        trusted = account is not None and trusted_account_id == account.id
        if not trusted:
            budgets.check_budgets(session, charges, now)
        if account is not None:
            throttle.check_allowed(session, account.id, now, trusted)
        else:
            throttle.check_unknown_address(session, email, now)
    stored = account.password_hash if account and account.is_active else None
    if not passwords.verify_password(stored, password) or account is None:

        def record(session: Session) -> None:
            if account is not None:
                throttle.record_failure(session, account.id, now)
            else:
                throttle.record_unknown_address_failure(session, email, now)
            budgets.charge(session, charges, now)

        db.run_write(record)
        raise AuthenticationError(BAD_CREDENTIALS)
    with db.write() as session:
        throttle.clear_failures(session, account.id)
        if stored and passwords.needs_rehash(stored):
            session.get_one(Account, account.id).password_hash = passwords.hash_password(password)
    return account
