"""Log-in throttling per account: a growing delay, then a short lock, never a long lock-out.

After `FREE_FAILURES` failures within `WINDOW`, each new attempt must wait twice as long as
the previous one; after `LOCK_AFTER` failures in the window the account is locked until the
oldest of them leaves the window (15 minutes at most). Attempts refused by the throttle are not
checked and not recorded, so an attacker cannot extend the lock; and a browser where the account
logged in before (trusted-device cookie) is never locked out. An address without account follows
the same schedule (failures kept by hashed address), so the answers never tell which addresses
have an account; the budget per client network is in challenge.accounts.budgets.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from challenge.core.errors import TooManyAttempts
from challenge.core.i18n import ngettext
from challenge.models import FailedAttempt, LoginFailure

WINDOW = timedelta(minutes=15)
FREE_FAILURES = 3
LOCK_AFTER = 10
MAX_DELAY = timedelta(seconds=60)
UNKNOWN_ADDRESS = "login_unknown_address"  # FailedAttempt.budget of addresses without account


def delay_after(failures: int) -> timedelta:
    """How long to wait after `failures` recent failures before the next attempt."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - FREE_FAILURES)), MAX_DELAY)


def check_allowed(session: Session, account_id: int, now: datetime, trusted_device: bool) -> None:
    """Raise TooManyAttempts (in French, with the wait) if this attempt must not be checked."""
    if trusted_device:
        return
    recent = list(
        session.scalars(
            select(LoginFailure.at)
            .where(LoginFailure.account_id == account_id, LoginFailure.at > now - WINDOW)
            .order_by(LoginFailure.at)
        )
    )
    check_recent(recent, now)


def unknown_address_key(email: str) -> str:
    """The key of the failures on an address that has no account (hashed, kept one WINDOW)."""
    return hashlib.sha256(f"dzg-login:{email}".encode()).hexdigest()[:32]


def check_unknown_address(session: Session, email: str, now: datetime) -> None:
    """The same schedule for an address without account: the answers never tell which exist."""
    recent = list(
        session.scalars(
            select(FailedAttempt.at)
            .where(
                FailedAttempt.budget == UNKNOWN_ADDRESS,
                FailedAttempt.key == unknown_address_key(email),
                FailedAttempt.at > now - WINDOW,
            )
            .order_by(FailedAttempt.at)
        )
    )
    check_recent(recent, now)


def record_unknown_address_failure(session: Session, email: str, now: datetime) -> None:
    session.add(FailedAttempt(budget=UNKNOWN_ADDRESS, key=unknown_address_key(email), at=now))


def check_recent(recent: list[datetime], now: datetime) -> None:
    """Raise TooManyAttempts if failures at these times (oldest first) forbid an attempt now."""
    if len(recent) >= LOCK_AFTER:
        minutes = math.ceil((recent[-LOCK_AFTER] + WINDOW - now).total_seconds() / 60)
        raise TooManyAttempts(
            ngettext(
                "Trop de tentatives : par sécurité, ce compte est verrouillé pendant encore "
                "{minutes} minute. Vous pouvez aussi vous connecter depuis un appareil déjà utilisé.",
                "Trop de tentatives : par sécurité, ce compte est verrouillé pendant encore "
                "{minutes} minutes. Vous pouvez aussi vous connecter depuis un appareil déjà utilisé.",
                minutes,
            ).format(minutes=minutes)
        )
    if recent:
        wait = recent[-1] + delay_after(len(recent)) - now
        if wait > timedelta(0):
            seconds = math.ceil(wait.total_seconds())
            raise TooManyAttempts(
                ngettext(
                    "Trop de tentatives : patientez {seconds} seconde avant de réessayer.",
                    "Trop de tentatives : patientez {seconds} secondes avant de réessayer.",
                    seconds,
                ).format(seconds=seconds)
            )


def record_failure(session: Session, account_id: int, now: datetime) -> None:
    session.add(LoginFailure(account_id=account_id, at=now))


def clear_failures(session: Session, account_id: int) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.account_id == account_id))


def forget_old_failures(session: Session, now: datetime) -> int:
    """Failures older than the window serve no purpose: delete them (data minimisation)."""
    result = session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))
    return int(getattr(result, "rowcount", 0) or 0)
