"""Budgets of failed guesses per account and per client network.

A budget allows `limit` failures per key within `window`; past that, attempts charged to that key
are refused before being checked (and not recorded, so an attacker cannot extend the wait).
Client keys are the network (IPv4 /24, IPv6 /56), hashed with the app's secret: the addresses
themselves are never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from challenge.core.errors import TooManyAttempts
from challenge.core.i18n import ngettext
from challenge.models import FailedAttempt


@dataclass(frozen=True)
class Budget:
    name: str
    limit: int
    window: timedelta


TEAM_CODE_PER_ACCOUNT = Budget("team_code_account", 10, timedelta(minutes=15))
TEAM_CODE_PER_CLIENT = Budget("team_code_client", 30, timedelta(minutes=15))
LOGIN_PER_CLIENT = Budget("login_client", 30, timedelta(minutes=15))
# Mails with a link (password reset, confirmation, sign-up of a known address): requests, not
# failures, are charged, alike whether the address has an account or not.
LINK_MAIL_PER_ADDRESS = Budget("link_mail_address", 3, timedelta(minutes=15))
LINK_MAIL_PER_CLIENT = Budget("link_mail_client", 10, timedelta(minutes=15))
LONGEST_WINDOW = timedelta(minutes=15)


def client_key(address: str | None, secret: str) -> str | None:
    """The hashed network of a client address (None when unknown or unreadable)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 56
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return hmac.new(secret.encode(), str(network).encode(), hashlib.sha256).hexdigest()[:32]


def address_key(email: str, secret: str) -> str:
    """The keyed digest of an address, for budgets per address (the address is never stored)."""
    return hmac.new(secret.encode(), f"address:{email}".encode(), hashlib.sha256).hexdigest()[:32]


def check_budgets(session: Session, charges: Sequence[tuple[Budget, str | None]], now: datetime) -> None:
    """Raise TooManyAttempts (French, with the wait) if any key has spent its budget."""
    for budget, key in charges:
        if key is None:
            continue
        recent = session.execute(
            select(func.count(), func.min(FailedAttempt.at)).where(
                FailedAttempt.budget == budget.name,
                FailedAttempt.key == key,
                FailedAttempt.at > now - budget.window,
            )
        ).one()
        if recent[0] >= budget.limit:
            minutes = max(1, math.ceil((recent[1] + budget.window - now).total_seconds() / 60))
            raise TooManyAttempts(
                ngettext(
                    "Trop de tentatives : réessayez dans {minutes} minute.",
                    "Trop de tentatives : réessayez dans {minutes} minutes.",
                    minutes,
                ).format(minutes=minutes)
            )


def charge(session: Session, charges: Sequence[tuple[Budget, str | None]], now: datetime) -> None:
    """Record one failure against every known key."""
    session.add_all(FailedAttempt(budget=b.name, key=key, at=now) for b, key in charges if key is not None)


def forget_old_attempts(session: Session, now: datetime) -> int:
    """Failures older than the longest window serve no purpose: delete them."""
    result = session.execute(delete(FailedAttempt).where(FailedAttempt.at <= now - LONGEST_WINDOW))
    return int(getattr(result, "rowcount", 0) or 0)
