"""Confirming an account's address: a one-time link mailed at sign-up, and again on request.

At sign-up the link also opens the session, in the browser that signed up only (a second row of
the same token, bound to a secret of that browser's cookie, like the log-in link): the sign-up
form gives no session, so that its answer is the same whether the address had an account or not.
Until the address is confirmed the household can log in with its password and use the app, but
reminders, digests and follow-up invitations are not sent to it (a mistyped address must not feed
a stranger). The link's page asks for one tap (a POST): a mail scanner that opens it does nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from challenge.accounts.account_tokens import (
    CONFIRM,
    LIFETIMES,
    SIGNUP,
    find_token,
    issue_token,
    redeem_token,
)
from challenge.accounts.sessions import hash_token
from challenge.core.errors import ValidationError
from challenge.core.i18n import lazy_gettext, use_locale
from challenge.infra.db import Database
from challenge.mail import account_texts
from challenge.mail.outbox import Mail, enqueue
from challenge.mail.password_reset import charge_link_mail, password_account, queue_reset_mail
from challenge.models import Account, utcnow

INVALID_CONFIRMATION = lazy_gettext(
    "Ce lien de confirmation n'est plus valable : il a déjà servi ou il a expiré. "
    "Vous pouvez en demander un nouveau depuis la page « Compte »."
)


def queue_confirmation(
    session: Session, account: Account, base: str, now: datetime, binding: str = "", code: str | None = None
) -> None:
    """Issue a confirmation token for the account's address and queue its mail (caller's
    transaction); with a `binding`, the link also logs in the browser holding it."""
    token = issue_token(session, account.id, CONFIRM, account.email, now)
    if binding:
        issue_token(session, account.id, SIGNUP, account.email, now, binding, token=token)
    lifetime = LIFETIMES[CONFIRM]
    with use_locale(account.locale):
        subject, body = account_texts.confirm_address(
            base, token, lifetime.days, code=code, opens_session=bool(binding)
        )
    key = f"{account_texts.CONFIRM_ADDRESS}:{account.id}:{hash_token(token)[:16]}"
    kind = account_texts.CONFIRM_ADDRESS
    enqueue(session, Mail(key, kind, account.email, subject, body, account.id, None, now + lifetime), now)


def send_confirmation(
    db: Database,
    account_id: int,
    *,
    base: str,
    secret: str,
    client: str | None,
    now: datetime | None = None,
    binding: str = "",
    code: str | None = None,
) -> bool:
    """Mail a (new) confirmation link; False when the address is confirmed already. Budgeted per
    address and per client network, like every mail with a link."""
    now = now or utcnow()

    def work(session: Session) -> bool:
        account = session.get_one(Account, account_id)
        if account.email_confirmed_at is not None:
            return False
        charge_link_mail(session, account.email, secret, client, now)
        queue_confirmation(session, account, base, now, binding, code)
        return True

    return db.run_write(work)


def resend_signup_mail(
    db: Database, email: str, binding: str, *, base: str, code: str | None = None, now: datetime | None = None
) -> bool:
    """ "Send it again" from the page a sign-up answers (after that answer, budgets charged before
    with `charge_reset_request`): a new sign-up link if the account is unconfirmed, else the
    warning its owner got; nothing if the address has no password account."""
    now = now or utcnow()

    def work(session: Session) -> bool:
        account = password_account(session, email)
        if account is None:
            return False
        if account.email_confirmed_at is None:
            queue_confirmation(session, account, base, now, binding, code)
        else:
            queue_reset_mail(session, account, base, now, account_texts.SIGNUP_ATTEMPT)
        return True

    return db.run_write(work)


def is_confirmation_usable(db: Database, token: str, binding: str = "", now: datetime | None = None) -> bool:
    now = now or utcnow()
    with db.read() as session:
        bound = bool(binding) and find_token(session, token, SIGNUP, now, binding) is not None
        return bound or find_token(session, token, CONFIRM, now) is not None


def use_signup_link(db: Database, token: str, binding: str, now: datetime | None = None) -> int | None:
    """Confirm the address and return the account to open a session for, when the link is used
    in the browser that signed up; None elsewhere (then `confirm_address` only confirms)."""
    now = now or utcnow()

    def work(session: Session) -> int | None:
        used = redeem_token(session, token, SIGNUP, now, binding) if binding else None
        account = session.get(Account, used.account_id) if used else None
        if used is None or account is None or not account.is_active or account.email != used.email:
            return None
        redeem_token(session, token, CONFIRM, now)  # the same link: spent too
        account.email_confirmed_at = account.email_confirmed_at or now
        return account.id

    return db.run_write(work)


def confirm_address(db: Database, token: str, now: datetime | None = None) -> int:
    """Mark the address confirmed through its link; returns the account's id."""
    now = now or utcnow()

    def work(session: Session) -> int:
        used = redeem_token(session, token, CONFIRM, now)
        account = session.get(Account, used.account_id) if used else None
        if used is None or account is None or account.email != used.email:  # the address changed since
            raise ValidationError(INVALID_CONFIRMATION, field="link")
        account.email_confirmed_at = account.email_confirmed_at or now
        return account.id

    return db.run_write(work)


def is_confirmed(db: Database, account_id: int) -> bool:
    with db.read() as session:
        return session.get_one(Account, account_id).email_confirmed_at is not None
