"""Accounts, login sessions, roles and households."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from challenge.core.vocabulary import Level, Role, values
from challenge.models.base import Base, Name, Timestamp, one_of

_HAS_PASSWORD = text("password_hash IS NOT NULL")


class Account(Base):
    __tablename__ = "account"
    # A password log-in names its account by e-mail, so that e-mail is unique among password
    # accounts. Accounts opened through an identity provider are named by (issuer, subject)
    # (OidcIdentity) and may share an address: an e-mail alone never identifies them.
    __table_args__ = (
        Index(
            "uq_account_password_email",
            "email",
            unique=True,
            sqlite_where=_HAS_PASSWORD,
            postgresql_where=_HAS_PASSWORD,
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[Timestamp]
    last_login_at: Mapped[datetime | None]
    # Set when the account was told it will be deleted for inactivity (retention policy).
    deletion_warned_at: Mapped[datetime | None]
    # Sessions (and provider log-ins) older than this are refused: "log out everywhere".
    sessions_valid_after: Mapped[datetime | None]
    # When the account proved it reads this address (a confirmation link); None: not yet.
    email_confirmed_at: Mapped[datetime | None]


class AccountToken(Base):
    """A single-use link sent by mail (password reset, address confirmation): only its sha256 is
    kept, it expires, and `used_at` is set by the conditional update that redeems it."""

    __tablename__ = "account_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))  # the address the link was sent to
    created_at: Mapped[Timestamp]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class LoginSession(Base):
    """A server-side session behind a browser cookie: revoking it logs the browser out."""

    __tablename__ = "login_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Timestamp]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # Set when the session was opened by an identity provider's log-in (None: password).
    oidc_identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("oidc_identity.id", ondelete="CASCADE"), index=True
    )


class OidcIdentity(Base):
    """An account's identity at an OpenID Connect provider: (issuer, subject), never an e-mail."""

    __tablename__ = "oidc_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(64))  # the [auth.<name>] it came through
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    email_at_link: Mapped[str | None] = mapped_column(String(254))
    last_email: Mapped[str | None] = mapped_column(String(254))  # as asserted at the latest log-in
    linked_at: Mapped[Timestamp]
    last_login_at: Mapped[datetime | None]


class LoginFailure(Base):
    """A failed log-in attempt on an existing account, kept briefly to throttle guessing."""

    __tablename__ = "login_failure"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    at: Mapped[Timestamp]


class FailedAttempt(Base):
    """A failed guess (a log-in, a team code) charged to a budget key: an account, a household or
    a client network (hashed, never the address itself); kept briefly (challenge.accounts.budgets)."""

    __tablename__ = "failed_attempt"
    __table_args__ = (Index("ix_failed_attempt_budget_key_at", "budget", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    budget: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[Timestamp]


class RoleGrant(Base):
    """A role given to an account; scope columns are filled according to the role."""

    __tablename__ = "role_grant"
    __table_args__ = (
        one_of("role", values(Role)),
        one_of("territory_level", values(Level), nullable=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    territory_level: Mapped[str | None] = mapped_column(String(16))
    territory_code: Mapped[str | None] = mapped_column(String(9))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    granted_at: Mapped[Timestamp]


class Household(Base):
    __tablename__ = "household"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), unique=True)
    name: Mapped[Name]
    commune_code: Mapped[str] = mapped_column(ForeignKey("commune.insee_code"), index=True)
    size: Mapped[int]
    consent_version: Mapped[str] = mapped_column(String(16))
    consent_at: Mapped[datetime]
    # While set, the household's answers are neither used nor counted (GDPR: withdrawn consent).
    consent_withdrawn_at: Mapped[datetime | None]
    created_at: Mapped[Timestamp]
