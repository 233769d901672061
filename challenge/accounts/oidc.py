"""Use cases of logging in through an identity provider (OpenID Connect): find, create or link.

An account is found by the (issuer, subject) pair of the provider's ID token, never by e-mail
alone. An unknown pair opens a new account, or is linked to the account already logged in in
this browser. If its e-mail is that of a password account, nothing is taken over: the person
must log in once with that password (see `PendingLink`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from challenge.accounts.sessions import add_session, normalize_email
from challenge.core.errors import AuthenticationError, ValidationError
from challenge.core.i18n import _, lazy_gettext
from challenge.infra.db import Database
from challenge.infra.identity_providers import IdentityProvider
from challenge.models import Account, LoginSession, OidcIdentity, utcnow

CLOCK_SKEW = timedelta(minutes=5)
REFUSALS = {
    "incomplete": lazy_gettext("{label} a renvoyé une réponse incomplète : la connexion est refusée."),
    "missing_email": lazy_gettext(
        "{label} n'a pas transmis d'adresse e-mail vérifiée : impossible d'ouvrir votre compte. "
        "Connectez-vous avec votre adresse e-mail et votre mot de passe."
    ),
    "acr": lazy_gettext(
        "{label} n'a pas confirmé le niveau d'authentification exigé pour ce fournisseur. "
        "Reconnectez-vous chez {label} avec une authentification plus forte, "
        "ou utilisez votre mot de passe."
    ),
    "too_old": lazy_gettext(
        "Votre connexion chez {label} est trop ancienne : reconnectez-vous chez {label}."
    ),
    "inactive": lazy_gettext("Ce compte est désactivé."),
    "linked_elsewhere": lazy_gettext(
        "Cette identité {label} est déjà associée à un autre compte du défi : "
        "déconnectez-vous d'abord pour vous connecter avec elle."
    ),
    "email_taken": lazy_gettext(
        "Un compte protégé par un mot de passe existe déjà avec cette adresse e-mail. "
        "Saisissez ci-dessous son mot de passe : votre connexion {label} y sera associée."
    ),
}


class ProviderLoginRefused(AuthenticationError):
    """A provider's log-in we do not accept; `code` names it, the message is in French."""

    def __init__(self, code: str, provider: IdentityProvider, pending: PendingLink | None = None) -> None:
        super().__init__(REFUSALS[code].format(label=provider.label))
        self.code = code
        self.pending = pending


@dataclass(frozen=True)
class PendingLink:
    """A provider identity waiting for the owner of a password account to log in with it."""

    provider: str
    issuer: str
    subject: str
    email: str
    account_id: int


@dataclass(frozen=True)
class ProviderLogin:
    account_id: int
    token: str  # of the new server-side session, for the signed cookie
    expires_at: datetime
    created: bool  # a new account was opened: onboarding follows
    linked: bool  # the identity was linked to the account already logged in here


@dataclass(frozen=True)
class VerifiedClaims:
    issuer: str
    subject: str
    email: str
    authenticated_at: datetime


def _moment(value: object) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int | float) and value > 0 else None


def verify_claims(
    provider: IdentityProvider, claims: Mapping[str, Any], now: datetime, max_age: timedelta
) -> VerifiedClaims:
    """What we check in the ID token's claims ourselves (Authlib checked signature, iss, aud, exp)."""
    issuer, subject = claims.get("iss"), claims.get("sub")
    if not (isinstance(issuer, str) and issuer and isinstance(subject, str) and subject):
        raise ProviderLoginRefused("incomplete", provider)
    if not provider.accepts_acr(claims.get("acr")):
        raise ProviderLoginRefused("acr", provider)
    authenticated_at = _moment(claims.get("auth_time")) or _moment(claims.get("iat"))
    if authenticated_at is None or authenticated_at > now + CLOCK_SKEW:
        raise ProviderLoginRefused("incomplete", provider)
    if authenticated_at <= now - max_age:
        raise ProviderLoginRefused("too_old", provider)
    if claims.get("email_verified") is False:
        raise ProviderLoginRefused("missing_email", provider)
    try:
        email = normalize_email(str(claims.get("email") or ""))
    except ValidationError:
        raise ProviderLoginRefused("missing_email", provider) from None
    return VerifiedClaims(issuer, subject, email, authenticated_at)


def log_in_with_provider(
    db: Database,
    provider: IdentityProvider,
    claims: Mapping[str, Any],
    *,
    current_account_id: int | None,
    max_age: timedelta,
    now: datetime | None = None,
) -> ProviderLogin:
    """Open a session for a provider's log-in; all or nothing (no half-created account).

    `current_account_id` is the account whose session this browser already holds, if any.
    """
    now = now or utcnow()
    verified = verify_claims(provider, claims, now, max_age)

    def work(session: Session) -> ProviderLogin:
        return _log_in(session, provider, verified, current_account_id, now, max_age)

    return db.run_write(work, retry_conflicts=True)  # the same new identity twice at once


def _log_in(
    session: Session,
    provider: IdentityProvider,
    verified: VerifiedClaims,
    current_account_id: int | None,
    now: datetime,
    max_age: timedelta,
) -> ProviderLogin:
    identity = session.scalar(
        select(OidcIdentity).where(
            OidcIdentity.issuer == verified.issuer, OidcIdentity.subject == verified.subject
        )
    )
    created = linked = False
    if identity is None:
        account_id = current_account_id
        if account_id is None:
            account_id = _new_account(session, provider, verified)
            created = True
        else:
            linked = True
        identity = _link(
            session, account_id, provider.name, verified.issuer, verified.subject, verified.email
        )
    elif current_account_id not in (None, identity.account_id):
        raise ProviderLoginRefused("linked_elsewhere", provider)  # never switch accounts silently
    account = session.get_one(Account, identity.account_id)
    if not account.is_active:
        raise ProviderLoginRefused("inactive", provider)
    valid_after = account.sessions_valid_after
    if valid_after is not None and verified.authenticated_at <= valid_after:
        raise ProviderLoginRefused("too_old", provider)  # logged out everywhere since
    identity.last_email = verified.email
    identity.last_login_at = now
    expires_at = verified.authenticated_at + max_age
    token = add_session(session, account.id, now, expires_at, oidc_identity_id=identity.id)
    return ProviderLogin(account.id, token, expires_at, created, linked)


def _new_account(session: Session, provider: IdentityProvider, verified: VerifiedClaims) -> int:
    owner = session.scalar(
        select(Account.id).where(Account.email == verified.email, Account.password_hash.is_not(None))
    )
    if owner is not None:
        pending = PendingLink(provider.name, verified.issuer, verified.subject, verified.email, owner)
        raise ProviderLoginRefused("email_taken", provider, pending)
    # The provider vouches for the address (an unverified one is refused above): confirmed.
    account = Account(email=verified.email, password_hash=None, email_confirmed_at=utcnow())
    session.add(account)
    session.flush()
    return account.id


def _link(
    session: Session, account_id: int, provider: str, issuer: str, subject: str, email: str
) -> OidcIdentity:
    identity = OidcIdentity(
        account_id=account_id,
        provider=provider,
        issuer=issuer,
        subject=subject,
        email_at_link=email,
        last_email=email,
    )
    session.add(identity)
    session.flush()
    return identity


def complete_pending_link(db: Database, pending: PendingLink, account_id: int) -> bool:
    """After a password log-in: link the waiting identity if it was waiting for this account."""
    if pending.account_id != account_id:
        return False

    def work(session: Session) -> bool:
        taken = session.scalar(
            select(OidcIdentity.id).where(
                OidcIdentity.issuer == pending.issuer, OidcIdentity.subject == pending.subject
            )
        )
        if taken is not None:
            return False
        _link(session, account_id, pending.provider, pending.issuer, pending.subject, pending.email)
        return True

    return db.run_write(work, retry_conflicts=True)


def linked_providers(db: Database, account_id: int) -> list[OidcIdentity]:
    """The provider identities of an account, oldest first (for the account page)."""
    with db.read() as session:
        rows = session.scalars(
            select(OidcIdentity).where(OidcIdentity.account_id == account_id).order_by(OidcIdentity.id)
        )
        return list(rows)


def unlink_provider(db: Database, account_id: int, identity_id: int, now: datetime | None = None) -> None:
    """Remove one provider identity of the account, only if another way to log in remains (a
    password, or another provider); the sessions opened through it end."""
    now = now or utcnow()

    def work(session: Session) -> None:
        identity = session.get(OidcIdentity, identity_id)
        if identity is None or identity.account_id != account_id:
            raise ValidationError(_("Ce fournisseur n'est pas associé à votre compte."))
        account = session.get_one(Account, account_id)
        others = session.scalar(
            select(func.count(OidcIdentity.id)).where(
                OidcIdentity.account_id == account_id, OidcIdentity.id != identity_id
            )
        )
        if account.password_hash is None and not others:
            raise ValidationError(
                _(
                    "C'est votre seule façon de vous connecter : associez d'abord un autre fournisseur "
                    "d'identité."
                )
            )
        session.execute(
            update(LoginSession)
            .where(LoginSession.oidc_identity_id == identity_id, LoginSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        session.execute(delete(OidcIdentity).where(OidcIdentity.id == identity_id))

    db.run_write(work)
