"""Identities and server-side sessions: who is behind a browser, open, identify, log out (everywhere).

Password accounts are created and checked in challenge.accounts.credentials; log-ins through an
identity provider (challenge.accounts.oidc) open the same server-side sessions.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, aliased

from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _, lazy_gettext
from challenge.infra.db import Database
from challenge.models import (
    Account,
    Household,
    HouseholdMember,
    LoginSession,
    OidcIdentity,
    RoleGrant,
    utcnow,
)

# The dot-atom form of RFC 5322 (no quoted local parts), with international letters allowed.
_EMAIL = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]{1,64}@(?:[\w-]+\.)+[\w-]{2,}$")


@dataclass(frozen=True)
class Identity:
    """Who is behind a browser session, as every page sees it."""

    account_id: int
    email: str
    session_hash: str
    locale: str = "fr"
    household_id: int | None = None
    household_name: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    provider: str | None = None  # the identity provider this session came through; None: password
    provider_email: str | None = None  # the address that provider asserted at its latest log-in
    # A member's account (an accepted invitation): household_id is the household it belongs to,
    # which it may read and check in for, on its own line only; None: the household's owner.
    member_id: int | None = None

    @property
    def has_household(self) -> bool:
        return self.household_id is not None

    @property
    def owns_household(self) -> bool:
        """The one rule of who may change a household (services, members, team, data, consent,
        deletion): its owner; a member's account may only read it and answer its own line."""
        return self.household_id is not None and self.member_id is None

    @property
    def is_member(self) -> bool:
        return self.member_id is not None

    def has_role(self, role: str) -> bool:
        return role in self.roles


OWNERS_ONLY = lazy_gettext(
    "Cette page est celle de la personne qui a inscrit votre foyer : vous faites votre bilan, "
    "elle gère les services, les personnes et le collectif."
)


@dataclass(frozen=True)
class HouseholdIdentity(Identity):
    """An identity that has a household: what pages reserved to households work with."""

    household_id: int = 0  # always the household's id: built only by `of`

    @classmethod
    def of(cls, identity: Identity, members_too: bool = False) -> HouseholdIdentity:
        """The household's owner (`members_too`: or a member's account, for reading the household
        and answering its own line); NotFound for a member's account otherwise."""
        if identity.household_id is None:
            raise ValueError("this identity has no household")
        if not (identity.owns_household or members_too):
            raise NotFound(OWNERS_ONLY)
        return cls(**{name.name: getattr(identity, name.name) for name in fields(Identity)})


@dataclass(frozen=True)
class Operator:
    """The operator's own tools (command line, demo data, test set-ups): they act with every right
    of the console, through the same rules, and the audit trail records them as the system."""


OPERATOR = Operator()
Actor = Identity | Operator  # who performs a console action


def normalize_email(raw: str) -> str:
    """Trimmed, lower-cased e-mail, or a ValidationError in French."""
    email = (raw or "").strip().lower()
    if not email:
        raise ValidationError(_("Indiquez votre adresse e-mail."), field="email")
    if len(email) > 254 or not _EMAIL.match(email):
        raise ValidationError(
            _("Cette adresse e-mail n'a pas l'air valide (exemple : prenom@exemple.fr)."),
            field="email",
        )
    return email


def hash_token(token: str) -> str:
    """What the database keeps of a session token: a stolen table gives no usable cookie."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: Database, account_id: int, max_age: timedelta) -> str:
    """Start a server-side session; returns the token to put in the signed cookie."""
    now = utcnow()
    with db.write() as session:
        return add_session(session, account_id, now, now + max_age)


def add_session(
    session: Session,
    account_id: int,
    now: datetime,
    expires_at: datetime,
    oidc_identity_id: int | None = None,
) -> str:
    """Add a session row inside the caller's transaction; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            account_id=account_id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=expires_at,
            oidc_identity_id=oidc_identity_id,
        )
    )
    account = session.get_one(Account, account_id)
    account.last_login_at = now
    account.deletion_warned_at = None  # back in time: the retention warning no longer applies
    return token


def identify(db: Database, session_hash: str | None, now: datetime | None = None) -> Identity | None:
    """The identity behind a session hash, or None if it is unknown, expired or revoked."""
    if not session_hash:
        return None
    joined = aliased(Household)  # the household a member's account belongs to
    with db.read() as session:
        row = session.execute(
            select(Account, Household, HouseholdMember.id, joined, OidcIdentity)
            .join(LoginSession, LoginSession.account_id == Account.id)
            .outerjoin(Household, Household.account_id == Account.id)
            .outerjoin(HouseholdMember, HouseholdMember.account_id == Account.id)
            .outerjoin(joined, joined.id == HouseholdMember.household_id)
            .outerjoin(OidcIdentity, OidcIdentity.id == LoginSession.oidc_identity_id)
            .where(*_live_session(session_hash, now or utcnow()))
        ).first()
        if row is None:
            return None
        account, household, member, joined_household, oidc_identity = row
        member_id: int | None = None
        if household is None and joined_household is not None:  # never both: member_access
            household, member_id = joined_household, member
        roles = _roles_of(session, account.id)
    return Identity(
        account_id=account.id,
        email=account.email,
        session_hash=session_hash,
        locale=account.locale,
        household_id=household.id if household else None,
        household_name=household.name if household else None,
        roles=roles,
        provider=oidc_identity.provider if oidc_identity else None,
        provider_email=oidc_identity.last_email if oidc_identity else None,
        member_id=member_id,
    )


def session_locale(db: Database, session_hash: str | None, now: datetime | None = None) -> str | None:
    """The language chosen by the account behind a live session (one indexed lookup), or None."""
    if not session_hash:
        return None
    with db.read() as session:
        return session.scalar(
            select(Account.locale)
            .join(LoginSession, LoginSession.account_id == Account.id)
            .where(*_live_session(session_hash, now or utcnow()))
        )


def _live_session(session_hash: str, now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Conditions for a session that still identifies its account: known, neither revoked nor
    expired, its account active, and not opened before a "log out everywhere"."""
    return (
        LoginSession.token_hash == session_hash,
        LoginSession.revoked_at.is_(None),
        LoginSession.expires_at > now,
        Account.is_active.is_(True),
        or_(Account.sessions_valid_after.is_(None), LoginSession.created_at > Account.sessions_valid_after),
    )


def _roles_of(session: Session, account_id: int) -> frozenset[str]:
    granted = session.scalars(select(RoleGrant.role).where(RoleGrant.account_id == account_id))
    return frozenset(granted)


def close_session(db: Database, session_hash: str) -> None:
    """Log one browser out; idempotent."""
    with db.write() as session:
        session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == session_hash, LoginSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def close_all_sessions(db: Database, account_id: int, now: datetime | None = None) -> int:
    """Log the account out of every browser; returns how many sessions were open.

    Also refuses, from now on, any session or provider log-in authenticated before now: a
    provider's identity cookie copied earlier cannot open a new session either.
    """
    now = now or utcnow()
    with db.write() as session:
        return end_all_sessions(session, account_id, now)


def end_all_sessions(session: Session, account_id: int, now: datetime) -> int:
    """`close_all_sessions` inside the caller's transaction (a password reset, for one)."""
    session.get_one(Account, account_id).sessions_valid_after = now
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.account_id == account_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def deactivate(db: Database, account_id: int, now: datetime | None = None) -> None:
    """Switch an account off: its sessions stop at the next page run and no log-in reopens it."""
    with db.write() as session:
        session.get_one(Account, account_id).is_active = False
    close_all_sessions(db, account_id, now)


def grant_role(db: Database, account_id: int, role: str) -> None:
    """Give a global role (organiser); idempotent."""
    with db.write() as session:
        exists = session.scalar(
            select(RoleGrant.id).where(RoleGrant.account_id == account_id, RoleGrant.role == role)
        )
        if exists is None:
            session.add(RoleGrant(account_id=account_id, role=role))
