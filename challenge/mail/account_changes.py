"""Changes a household makes on its account page: its password (asking the current one) and its
address (confirmed on the new address, the old one told once it moved)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.accounts import passwords, throttle
from challenge.accounts.account_tokens import LIFETIMES, NEW_ADDRESS, find_token, issue_token, redeem_token
from challenge.accounts.sessions import end_all_sessions, hash_token, normalize_email
from challenge.core.errors import ValidationError
from challenge.core.i18n import _, lazy_gettext, use_locale
from challenge.infra.db import Database
from challenge.mail import account_texts
from challenge.mail.outbox import Mail, enqueue
from challenge.mail.password_reset import charge_link_mail
from challenge.models import Account, utcnow

WRONG_PASSWORD = lazy_gettext("Le mot de passe actuel n'est pas le bon.")
INVALID_NEW_ADDRESS = lazy_gettext("Ce lien n'est plus valable : il a déjà servi ou il a expiré.")


def verify_current_password(db: Database, account_id: int, current: str, now: datetime) -> Account:
    """The account if `current` is its password; a wrong one is throttled like a log-in failure
    (a stolen session cannot guess the password through this form)."""
    with db.read() as session:
        throttle.check_allowed(session, account_id, now, trusted_device=False)
        account = session.get_one(Account, account_id)
    if not account.password_hash or not passwords.verify_password(account.password_hash, current):
        db.run_write(lambda session: throttle.record_failure(session, account_id, now))
        raise ValidationError(WRONG_PASSWORD, field="current")
    return account


def change_password(
    db: Database,
    account_id: int,
    current: str,
    new: str,
    *,
    base: str,
    contact: str,
    now: datetime | None = None,
) -> None:
    """Set a new password if `current` is right; every session ends (the caller opens a new one
    for this browser) and the address is told. Slow (argon2 twice): call it off the event loop."""
    now = now or utcnow()
    email = verify_current_password(db, account_id, current, now).email
    new_hash = passwords.hash_password(new, user_inputs=[email])

    def work(session: Session) -> None:
        account = session.get_one(Account, account_id)
        account.password_hash = new_hash
        end_all_sessions(session, account_id, now)
        with use_locale(account.locale):
            subject, body = account_texts.password_changed(base, contact)
        key = f"{account_texts.PASSWORD_CHANGED}:{account_id}:{now.isoformat()}"
        enqueue(
            session, Mail(key, account_texts.PASSWORD_CHANGED, account.email, subject, body, account_id), now
        )

    db.run_write(work)


def ask_address_change(
    db: Database,
    account_id: int,
    new_email: str,
    current: str,
    *,
    base: str,
    secret: str,
    client: str | None,
    now: datetime | None = None,
) -> None:
    """Mail a confirmation link to `new_email`; nothing changes until it is used."""
    now = now or utcnow()
    new_email = normalize_email(new_email)
    verify_current_password(db, account_id, current, now)

    def work(session: Session) -> None:
        account = session.get_one(Account, account_id)
        if new_email == account.email:
            raise ValidationError(_("C'est déjà l'adresse de votre compte."), field="email")
        charge_link_mail(session, new_email, secret, client, now)
        token = issue_token(session, account_id, NEW_ADDRESS, new_email, now)
        hours = int(LIFETIMES[NEW_ADDRESS].total_seconds() // 3600)
        with use_locale(account.locale):
            subject, body = account_texts.new_address(base, token, hours)
        key = f"{account_texts.NEW_ADDRESS}:{account_id}:{hash_token(token)[:16]}"
        expires = now + LIFETIMES[NEW_ADDRESS]
        enqueue(
            session,
            Mail(key, account_texts.NEW_ADDRESS, new_email, subject, body, account_id, None, expires),
            now,
        )

    db.run_write(work)


def is_new_address_link_usable(db: Database, token: str, now: datetime | None = None) -> bool:
    with db.read() as session:
        return find_token(session, token, NEW_ADDRESS, now or utcnow()) is not None


def confirm_new_address(
    db: Database, token: str, *, base: str, contact: str, now: datetime | None = None
) -> int:
    """Move the account to the address its link was sent to (confirmed by this very link), and
    tell the old address; returns the account's id."""
    now = now or utcnow()

    def work(session: Session) -> int:
        used = redeem_token(session, token, NEW_ADDRESS, now)
        account = session.get(Account, used.account_id) if used else None
        if used is None or account is None:
            raise ValidationError(INVALID_NEW_ADDRESS, field="link")
        taken = session.scalar(
            select(Account.id).where(Account.email == used.email, Account.password_hash.is_not(None))
        )
        if taken is not None and taken != account.id:
            raise ValidationError(_("Cette adresse est déjà celle d'un autre compte."), field="email")
        old = account.email
        account.email, account.email_confirmed_at = used.email, now
        with use_locale(account.locale):
            subject, body = account_texts.address_changed(base, used.email, contact)
        key = f"{account_texts.ADDRESS_CHANGED}:{account.id}:{now.isoformat()}"
        enqueue(session, Mail(key, account_texts.ADDRESS_CHANGED, old, subject, body, account.id), now)
        return account.id

    return db.run_write(work)
