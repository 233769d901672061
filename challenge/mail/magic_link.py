"""Log in by e-mail link (no password): single-use, 15 minutes, and bound to the browser that
asked (a secret kept in that browser's cookie is part of the stored digest), so that a link
forwarded, opened by a mail scanner or in another browser logs nobody in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from challenge.accounts.account_tokens import LIFETIMES, MAGIC, digest, find_token, issue_token, redeem_token
from challenge.core.errors import ValidationError
from challenge.core.i18n import lazy_gettext, use_locale
from challenge.infra.db import Database
from challenge.mail import account_texts
from challenge.mail.outbox import Mail, enqueue
from challenge.mail.password_reset import password_account
from challenge.models import Account, utcnow

INVALID_MAGIC_LINK = lazy_gettext(
    "Ce lien ne peut pas vous connecter ici : il a déjà servi, il a expiré, ou il a été ouvert dans un "
    "autre navigateur que celui où vous l'avez demandé. Demandez-en un nouveau depuis ce navigateur."
)


def send_magic_link(
    db: Database, email: str, binding: str, *, base: str, now: datetime | None = None
) -> bool:
    """Queue a log-in link if `email` names a password account (after the answer, like reset
    links; the budgets are charged before, with `charge_reset_request`); False if not."""
    now = now or utcnow()

    def work(session: Session) -> bool:
        account = password_account(session, email)
        if account is None:
            return False
        token = issue_token(session, account.id, MAGIC, account.email, now, binding)
        lifetime = LIFETIMES[MAGIC]
        with use_locale(account.locale):
            subject, body = account_texts.magic_link(base, token, int(lifetime.total_seconds() // 60))
        key = f"{account_texts.MAGIC_LINK}:{account.id}:{digest(token)[:16]}"
        kind = account_texts.MAGIC_LINK
        enqueue(session, Mail(key, kind, account.email, subject, body, account.id, None, now + lifetime), now)
        return True

    return db.run_write(work)


def is_magic_link_usable(db: Database, token: str, binding: str, now: datetime | None = None) -> bool:
    with db.read() as session:
        return bool(binding) and find_token(session, token, MAGIC, now or utcnow(), binding) is not None


def log_in_with_link(db: Database, token: str, binding: str, now: datetime | None = None) -> int:
    """Use the link once from the browser that asked; returns the account to open a session for."""
    now = now or utcnow()

    def work(session: Session) -> int:
        used = redeem_token(session, token, MAGIC, now, binding) if binding else None
        account = session.get(Account, used.account_id) if used else None
        if used is None or account is None or not account.is_active or account.email != used.email:
            raise ValidationError(INVALID_MAGIC_LINK, field="link")
        account.email_confirmed_at = account.email_confirmed_at or now  # the link proved the address
        return account.id

    return db.run_write(work)
