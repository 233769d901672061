"""A member checks in from their own phone: the owner's single-use invitation link (one per
member, only its sha256 kept, 7 days), joining with an account, and taking that access back.

Joining is one conditional UPDATE of the invitation (unused, unexpired → used) in the transaction
that links the account: two taps at once, or a reuse, find nothing to update. An account is one
member at most (unique column) and never both a household's owner and a member.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from challenge.accounts.sessions import hash_token
from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _
from challenge.infra.db import Database
from challenge.models import Household, HouseholdMember, MemberInvitation, utcnow

VALID_FOR = timedelta(days=7)
PATH = "/foyer/rejoindre/"


def invalid_link() -> str:
    """The one answer for an unknown, used, replaced or expired link: it tells nothing more."""
    return _(
        "Ce lien n'est plus valable (déjà utilisé, remplacé ou expiré) : "
        "demandez-en un nouveau à votre foyer."
    )


@dataclass(frozen=True)
class JoinView:
    """What the invitation page shows before the invitee confirms."""

    household: str
    member: str
    expires_at: datetime
    refusal: str | None = None  # why the account asking may not join (it owns a household…)


@dataclass(frozen=True)
class MemberAccess:
    """Whether a member checks in from their own phone, or has a link waiting to be opened."""

    linked: bool
    invited_until: datetime | None = None


def _member_of(session: Session, household_id: int, member_id: int) -> HouseholdMember:
    member = session.scalar(
        select(HouseholdMember)
        .where(HouseholdMember.id == member_id, HouseholdMember.household_id == household_id)
        .with_for_update()
    )
    if member is None:
        raise ValidationError(_("Cette personne ne fait pas partie de votre foyer."), field="member")
    return member


def invite_member(db: Database, household_id: int, member_id: int, now: datetime | None = None) -> str:
    """A new invitation link token for one member of the household (the previous one stops
    working); returns it in clear, to be shown once. The household's owner only (see ui.context)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)

    def work(session: Session) -> None:
        member = _member_of(session, household_id, member_id)
        if member.account_id is not None:
            raise ValidationError(
                _("{name} fait déjà son bilan sur son téléphone : retirez d'abord cet accès.").format(
                    name=member.name
                ),
                field="member",
            )
        session.execute(delete(MemberInvitation).where(MemberInvitation.member_id == member_id))
        session.add(
            MemberInvitation(
                member_id=member_id, token_hash=hash_token(token), created_at=now, expires_at=now + VALID_FOR
            )
        )

    db.run_write(work, retry_conflicts=True)
    return token


def remove_access(db: Database, household_id: int, member_id: int) -> None:
    """Unlink the member's account and cancel any link waiting; idempotent. The account stays (its
    owner's), it only stops seeing this household at its next page."""
    with db.write() as session:
        member = _member_of(session, household_id, member_id)
        member.account_id = None
        session.execute(delete(MemberInvitation).where(MemberInvitation.member_id == member_id))


def access_of(session: Session, household_id: int, now: datetime) -> dict[int, MemberAccess]:
    """member id -> its access, for the members that have one (linked, or a link still valid)."""
    rows = session.execute(
        select(HouseholdMember.id, HouseholdMember.account_id, MemberInvitation)
        .outerjoin(MemberInvitation, MemberInvitation.member_id == HouseholdMember.id)
        .where(HouseholdMember.household_id == household_id)
    )
    access: dict[int, MemberAccess] = {}
    for member_id, account_id, invitation in rows:
        if account_id is not None:
            access[member_id] = MemberAccess(linked=True)
        elif invitation is not None and invitation.used_at is None and invitation.expires_at > now:
            access[member_id] = MemberAccess(linked=False, invited_until=invitation.expires_at)
    return access


def _invitation(session: Session, token: str) -> MemberInvitation | None:
    if not token or len(token) > 100:
        return None
    return session.scalar(select(MemberInvitation).where(MemberInvitation.token_hash == hash_token(token)))


def _usable(session: Session, token: str, now: datetime) -> MemberInvitation:
    invitation = _invitation(session, token)
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        raise NotFound(invalid_link())
    return invitation


def invitation_for(
    db: Database, token: str, account_id: int | None = None, now: datetime | None = None
) -> JoinView:
    """What the invitation page shows (to `account_id`, if logged in), or NotFound (the same for
    unknown, used and expired links)."""
    with db.read() as session:
        invitation = _usable(session, token, now or utcnow())
        member = session.get_one(HouseholdMember, invitation.member_id)
        household = session.get_one(Household, member.household_id)
        refusal = None
        if account_id is not None:
            try:
                check_can_join(session, account_id, household.id)
            except ValidationError as error:
                refusal = error.message
        return JoinView(household.name, member.name, invitation.expires_at, refusal)


def check_can_join(session: Session, account_id: int, household_id: int) -> None:
    """An account joins as a member only if it has no household of its own and belongs to none."""
    owned = session.scalar(select(Household.id).where(Household.account_id == account_id))
    if owned == household_id:
        raise ValidationError(_("C'est votre propre foyer : vous y êtes déjà."))
    if owned is not None:
        raise ValidationError(
            _(
                "Ce compte a déjà son propre foyer : pour rejoindre celui-ci, connectez-vous avec un "
                "autre compte ou créez-en un."
            )
        )
    refuse_a_member(session, account_id)


def refuse_a_member(session: Session, account_id: int) -> None:
    """A member's account cannot join another household, nor set one up of its own."""
    if session.scalar(select(HouseholdMember.id).where(HouseholdMember.account_id == account_id)):
        raise ValidationError(
            _("Ce compte fait déjà partie d'un foyer : il ne peut en rejoindre qu'un seul.")
        )


def join_household(db: Database, account_id: int, token: str, now: datetime | None = None) -> int:
    """Use the link: the account becomes the member it was made for; returns the member's id.
    The same account sending it again once joined gets the same answer (a retried tap)."""
    now = now or utcnow()

    def already(session: Session) -> int | None:
        """This account is this link's member already (its own earlier, or concurrent, tap)."""
        found = _invitation(session, token)
        if found is None:
            return None
        return session.scalar(
            select(HouseholdMember.id).where(
                HouseholdMember.id == found.member_id, HouseholdMember.account_id == account_id
            )
        )

    def link(session: Session) -> int:
        invitation = _usable(session, token, now)
        member = session.get_one(HouseholdMember, invitation.member_id)
        check_can_join(session, account_id, member.household_id)
        result = session.execute(
            update(MemberInvitation)
            .where(
                MemberInvitation.member_id == invitation.member_id,
                MemberInvitation.token_hash == invitation.token_hash,
                MemberInvitation.used_at.is_(None),
                MemberInvitation.expires_at > now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if cast("CursorResult[Any]", result).rowcount != 1:
            raise NotFound(invalid_link())
        session.execute(
            update(HouseholdMember)
            .where(HouseholdMember.id == member.id, HouseholdMember.account_id.is_(None))
            .values(account_id=account_id)
            .execution_options(synchronize_session=False)
        )
        return member.id

    def work(session: Session) -> int:
        if (joined := already(session)) is not None:
            return joined
        try:
            return link(session)
        except (NotFound, ValidationError):
            if (joined := already(session)) is not None:  # its own tap, committed meanwhile
                return joined
            raise

    return db.run_write(work)


def forget_spent_invitations(session: Session, now: datetime) -> int:
    """Used or expired member invitations serve no purpose: delete them (data minimisation)."""
    result = session.execute(
        delete(MemberInvitation).where(
            or_(MemberInvitation.used_at.is_not(None), MemberInvitation.expires_at <= now)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
