"""Inviting a council agent: a one-time, expiring link to set a password (or sign in) and get the role.

The console always shows the link for the organiser to send; when an SMTP relay is configured,
the invitation is also queued in the outbox (sent by the next `send-reminders`/`send-followups`
run) to the agent's address. Only the token's hash is stored; the link works once, until it
expires, and the role is granted in the same transaction that uses it up.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from challenge.accounts import audit, credentials, passwords
from challenge.accounts.organisers import require_organiser
from challenge.accounts.sessions import Identity, hash_token, normalize_email
from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import Role
from challenge.infra.db import Database
from challenge.infra.mail_settings import MailSettings
from challenge.mail import outbox
from challenge.mail.outbox import Mail
from challenge.models import Account, CouncilInvitation, RoleGrant, utcnow
from challenge.people.roles import check_council_territory
from challenge.territories.names import territory_name

VALID_FOR = timedelta(days=7)
PATH = "/invitation/"


def invalid_link() -> str:
    return _("Ce lien d'invitation n'est plus valable (déjà utilisé ou expiré) : demandez-en un nouveau.")


@dataclass(frozen=True)
class InvitationView:
    email: str
    territory: str
    expires_at: datetime
    has_account: bool  # a password account exists: the agent signs in instead of choosing a password


def invite_council_agent(
    db: Database,
    actor: Identity,
    email: str,
    territory_key: str,
    now: datetime | None = None,
    mail: MailSettings | None = None,
) -> str:
    """Create an invitation and return its token (the link is PATH + token); mail it if we can."""
    email = normalize_email(email)
    now = now or utcnow()
    token = secrets.token_urlsafe(32)

    def work(session: Session) -> None:
        level, code = check_council_territory(session, require_organiser(session, actor), territory_key)
        invitation = CouncilInvitation(
            email=email,
            token_hash=hash_token(token),
            territory_level=level,
            territory_code=code,
            invited_by=actor.account_id,
            created_at=now,
            expires_at=now + VALID_FOR,
        )
        session.add(invitation)
        session.flush()
        after = {"email": email, "territory": f"{level}:{code}", "expires_at": invitation.expires_at}
        audit.record(session, actor, "role.invite", "invitation", invitation.id, after=after)
        if mail is not None and mail.can_send:
            outbox.enqueue(session, _invitation_mail(mail, invitation, token), now)

    db.run_write(work)
    return token


def _invitation_mail(mail: MailSettings, invitation: CouncilInvitation, token: str) -> Mail:
    body = _(
        "Bonjour,\n\nVous êtes invité(e) à suivre le Défi Zéro Gafam de votre territoire "
        "(tableau de bord agrégé, sans donnée personnelle des foyers).\n\n"
        "Ouvrez ce lien pour choisir votre mot de passe ou vous connecter ; il ne sert qu'une fois "
        "et expire dans 7 jours :\n{link}\n\nSi vous n'attendiez pas cette invitation, ignorez ce message."
    ).format(link=mail.link(PATH + token))
    return Mail(
        dedupe_key=f"invitation:{invitation.id}",
        kind="invitation",
        to_address=invitation.email,
        subject=_("Invitation au tableau de bord du Défi Zéro Gafam"),
        body=body,
        expires_at=invitation.expires_at,
    )


def _usable(session: Session, token: str, now: datetime) -> CouncilInvitation:
    invitation = session.scalar(
        select(CouncilInvitation).where(CouncilInvitation.token_hash == hash_token(token or ""))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        raise NotFound(invalid_link())
    return invitation


def _password_account(session: Session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email == email, Account.password_hash.is_not(None)))


def invitation_for(db: Database, token: str, now: datetime | None = None) -> InvitationView:
    """What the invitation page shows, or NotFound for a used, expired or unknown link."""
    with db.read() as session:
        invitation = _usable(session, token, now or utcnow())
        return InvitationView(
            invitation.email,
            territory_name(session, invitation.territory_level, invitation.territory_code),
            invitation.expires_at,
            _password_account(session, invitation.email) is not None,
        )


def _use_up(session: Session, invitation: CouncilInvitation, account: Account, now: datetime) -> None:
    """Mark the link used (only one request wins a race), grant the role, audit it."""
    result = session.execute(
        update(CouncilInvitation)
        .where(
            CouncilInvitation.id == invitation.id,
            CouncilInvitation.used_at.is_(None),
            CouncilInvitation.expires_at > now,
        )
        .values(used_at=now, used_by=account.id)
        .execution_options(synchronize_session=False)
    )
    if not cast("CursorResult[Any]", result).rowcount:
        raise NotFound(invalid_link())
    level, code = invitation.territory_level, invitation.territory_code
    held = session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.account_id == account.id,
            RoleGrant.role == Role.COUNCIL,
            RoleGrant.territory_level == level,
            RoleGrant.territory_code == code,
        )
    )
    if held is None:
        session.add(
            RoleGrant(account_id=account.id, role=Role.COUNCIL, territory_level=level, territory_code=code)
        )
    invitee = Identity(account_id=account.id, email=account.email, session_hash="")
    after = {"role": Role.COUNCIL, "territory": f"{level}:{code}", "invitation": invitation.id}
    audit.record(session, invitee, "role.grant", "account", account.id, after=after)


def accept_invitation(db: Database, token: str, password: str, now: datetime | None = None) -> int:
    """Use the link: create the account with this password, or check the existing one's password.

    Returns the account id to log in. Nothing is written when the password is refused.
    """
    now = now or utcnow()
    view = invitation_for(db, token, now)
    account_id: int | None = None
    new_hash: str | None = None
    if view.has_account:
        account_id = credentials.authenticate(db, view.email, password).id
    else:
        new_hash = passwords.hash_password(password, user_inputs=[view.email])

    def work(session: Session) -> int:
        invitation = _usable(session, token, now)
        found = session.get(Account, account_id) if account_id is not None else None
        account = found or _password_account(session, view.email)
        if account is None and new_hash is not None:
            # The invitation was mailed to this address and opened from it: confirmed.
            account = Account(email=view.email, password_hash=new_hash, email_confirmed_at=utcnow())
            session.add(account)
            session.flush()
        elif new_hash is not None:
            raise ValidationError(
                _("Un compte existe déjà avec cette adresse : rechargez la page pour vous connecter.")
            )
        assert account is not None
        _use_up(session, invitation, account, now)
        return account.id

    return db.run_write(work)
