"""Single-use links sent by mail: unguessable, kept as a sha256 only, expiring, used once.

Redeeming is one conditional UPDATE (unused, unexpired → used): two clicks at once, or a reuse,
find nothing to update. Issuing a token of a purpose retires the account's earlier unused ones,
so only the latest mail works.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from challenge.accounts.sessions import hash_token
from challenge.models import AccountToken

RESET = "reset"
CONFIRM = "confirm"
NEW_ADDRESS = "new_address"  # `email` is the address the account asked to move to
MAGIC = "magic"  # log in by e-mail link: bound to the browser that asked (`binding`)
# The sign-up link: a CONFIRM row, plus this row of the same token bound to the browser that
# signed up, where the link opens the session too (challenge.mail.address_confirmation).
SIGNUP = "signup"
LIFETIMES = {
    RESET: timedelta(minutes=30),
    CONFIRM: timedelta(days=7),
    SIGNUP: timedelta(days=7),
    NEW_ADDRESS: timedelta(hours=24),
    MAGIC: timedelta(minutes=15),
}


def digest(token: str, binding: str = "") -> str:
    """What is stored of a token; with a `binding` (a secret the asking browser keeps in a cookie),
    the link alone (forwarded, opened by a mail scanner or in another browser) matches nothing."""
    return hash_token(f"{token}:{binding}" if binding else token)


def issue_token(
    session: Session,
    account_id: int,
    purpose: str,
    email: str,
    now: datetime,
    binding: str = "",
    token: str | None = None,
) -> str:
    """A new link token for `purpose` (the only valid one of the account); returns it in clear.
    `token`: the clear token of a link issued already for another purpose, to store it again."""
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.account_id == account_id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token = token or secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            account_id=account_id,
            purpose=purpose,
            token_hash=digest(token, binding),
            email=email,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return token


def _usable(token: str, purpose: str, now: datetime, binding: str = "") -> tuple[Any, ...]:
    return (
        AccountToken.token_hash == digest(token, binding),
        AccountToken.purpose == purpose,
        AccountToken.used_at.is_(None),
        AccountToken.expires_at > now,
    )


def find_token(
    session: Session, token: str, purpose: str, now: datetime, binding: str = ""
) -> AccountToken | None:
    """The still-usable token row (without using it), or None."""
    if not token or len(token) > 100 or len(binding) > 100:
        return None
    return session.scalar(select(AccountToken).where(*_usable(token, purpose, now, binding)))


def redeem_token(
    session: Session, token: str, purpose: str, now: datetime, binding: str = ""
) -> AccountToken | None:
    """Use the token once, in the caller's transaction; None if unknown, used or expired."""
    row = find_token(session, token, purpose, now, binding)
    if row is None:
        return None
    result = session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, *_usable(token, purpose, now, binding))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return row if cast("CursorResult[Any]", result).rowcount == 1 else None


def forget_spent_tokens(session: Session, now: datetime) -> int:
    """Used or expired tokens serve no purpose: delete them (data minimisation)."""
    result = session.execute(
        delete(AccountToken).where(or_(AccountToken.used_at.is_not(None), AccountToken.expires_at <= now))
    )
    return int(getattr(result, "rowcount", 0) or 0)
