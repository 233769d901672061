"""Password reset: ask for a link by e-mail, then choose a new password through it.

The request answers the same whether the address has an account or not (the form always says
"check your mail"), and is charged to a budget per address and per client network either way.
The link is single-use and short-lived (challenge.accounts.account_tokens); using it sets the
new password (sign-up's rules), confirms the address, ends every session of the account and
tells the account's address that the password changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.accounts import budgets, passwords, throttle
from challenge.accounts.account_tokens import (
    LIFETIMES,
    RESET,
    SIGNUP,
    find_token,
    issue_token,
    redeem_token,
)
from challenge.accounts.sessions import end_all_sessions, hash_token, normalize_email
from challenge.core.errors import ValidationError
from challenge.core.i18n import lazy_gettext, use_locale
from challenge.infra.db import Database
from challenge.mail import account_texts
from challenge.mail.outbox import Mail, enqueue
from challenge.models import Account, AccountToken, utcnow

# A sign-up form posted again this soon after it created the account is the same household
# (a double tap, a reload): its sign-up link is on the way, no warning mail on top of it.
RETRIED_SIGNUP = timedelta(minutes=2)

INVALID_LINK = lazy_gettext(
    "Ce lien n'est plus valable : il a déjà servi ou il a expiré. Demandez-en un nouveau ci-dessous."
)


def password_account(session: Session, email: str) -> Account | None:
    """The active account that logs in with this address and a password, if any."""
    return session.scalar(
        select(Account).where(
            Account.email == email, Account.password_hash.is_not(None), Account.is_active.is_(True)
        )
    )


def charge_link_mail(session: Session, email: str, secret: str, client: str | None, now: datetime) -> None:
    """Refuse (TooManyAttempts) past the budgets of link mails, else charge this request."""
    charges = [
        (budgets.LINK_MAIL_PER_ADDRESS, budgets.address_key(email, secret)),
        (budgets.LINK_MAIL_PER_CLIENT, client),
    ]
    budgets.check_budgets(session, charges, now)
    budgets.charge(session, charges, now)


def queue_reset_mail(
    session: Session, account: Account, base: str, now: datetime, kind: str = account_texts.PASSWORD_RESET
) -> None:
    """Issue a reset token for the account and queue its mail (a reset link, or the warning of a
    sign-up with this address, which carries one too), in the caller's transaction."""
    token = issue_token(session, account.id, RESET, account.email, now)
    lifetime = LIFETIMES[RESET]
    write = (
        account_texts.signup_attempt if kind == account_texts.SIGNUP_ATTEMPT else account_texts.password_reset
    )
    with use_locale(account.locale):
        subject, body = write(base, token, int(lifetime.total_seconds() // 60))
    key = f"{kind}:{account.id}:{hash_token(token)[:16]}"
    mail = Mail(key, kind, account.email, subject, body, account.id, None, now + lifetime)
    enqueue(session, mail, now)


def warn_of_signup_attempt(
    db: Database, email: str, *, base: str, secret: str, client: str | None, now: datetime | None = None
) -> None:
    """Someone signed up with the address of an account: tell its owner, with a reset link.
    Charged to the same budgets as reset requests (a page reload must not flood the owner)."""
    now = now or utcnow()
    email = normalize_email(email)

    def work(session: Session) -> None:
        charge_link_mail(session, email, secret, client, now)
        account = password_account(session, email)
        if account is not None and not _just_signed_up(session, account, now):
            queue_reset_mail(session, account, base, now, account_texts.SIGNUP_ATTEMPT)

    db.run_write(work)


def _just_signed_up(session: Session, account: Account, now: datetime) -> bool:
    if account.email_confirmed_at is not None:
        return False
    recent = select(AccountToken.id).where(
        AccountToken.account_id == account.id,
        AccountToken.purpose == SIGNUP,
        AccountToken.used_at.is_(None),
        AccountToken.created_at > now - RETRIED_SIGNUP,
    )
    return session.scalar(recent.limit(1)) is not None


def charge_reset_request(
    db: Database, email: str, *, secret: str, client: str | None, now: datetime | None = None
) -> str:
    """The part of a reset request done before answering, alike for every address: check and
    charge the budgets; returns the normalised address for `send_reset_link`."""
    now = now or utcnow()
    email = normalize_email(email)
    db.run_write(lambda session: charge_link_mail(session, email, secret, client, now))
    return email


def send_reset_link(db: Database, email: str, *, base: str, now: datetime | None = None) -> bool:
    """Queue a reset link if `email` names a password account (done after the answer has left,
    so that its time never tells whether the address has an account); False if not."""
    now = now or utcnow()

    def work(session: Session) -> bool:
        account = password_account(session, email)
        if account is not None:
            queue_reset_mail(session, account, base, now)
        return account is not None

    return db.run_write(work)


def request_password_reset(
    db: Database, email: str, *, base: str, secret: str, client: str | None, now: datetime | None = None
) -> None:
    """Both steps at once (operators' tools and tests): budgets, then the link if any."""
    email = charge_reset_request(db, email, secret=secret, client=client, now=now)
    send_reset_link(db, email, base=base, now=now)


def is_reset_link_usable(db: Database, token: str, now: datetime | None = None) -> bool:
    with db.read() as session:
        return find_token(session, token, RESET, now or utcnow()) is not None


def reset_password(
    db: Database, token: str, password: str, *, base: str, contact: str, now: datetime | None = None
) -> int:
    """Set a new password through a reset link; returns the account's id. Slow (argon2): call it
    off the event loop. A weak password leaves the link usable; a used or expired one is refused."""
    now = now or utcnow()
    with db.read() as session:
        found = find_token(session, token, RESET, now)
        email = found.email if found else None
    if email is None:
        raise ValidationError(INVALID_LINK, field="link")
    password_hash = passwords.hash_password(password, user_inputs=[email])

    def work(session: Session) -> int:
        used = redeem_token(session, token, RESET, now)
        account = session.get(Account, used.account_id) if used else None
        if used is None or account is None or not account.is_active or account.email != used.email:
            raise ValidationError(INVALID_LINK, field="link")
        account.password_hash = password_hash
        account.email_confirmed_at = account.email_confirmed_at or now  # the link proved the address
        throttle.clear_failures(session, account.id)
        end_all_sessions(session, account.id, now)
        with use_locale(account.locale):
            subject, body = account_texts.password_changed(base, contact)
        key = f"{account_texts.PASSWORD_CHANGED}:{account.id}:{now.isoformat()}"
        enqueue(
            session, Mail(key, account_texts.PASSWORD_CHANGED, account.email, subject, body, account.id), now
        )
        return account.id

    return db.run_write(work)
