"""Who may do what in the organiser console: global organisers, and organisers of one edition."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.accounts.sessions import Actor, Operator
from challenge.core.errors import ChallengeError
from challenge.core.i18n import _
from challenge.core.vocabulary import Role
from challenge.models import RoleGrant


@dataclass(frozen=True)
class OrganiserScope:
    """An organiser's reach: everything (`is_global`), or the editions listed."""

    is_global: bool
    edition_ids: frozenset[int]

    def covers(self, edition_id: int | None) -> bool:
        return self.is_global or (edition_id is not None and edition_id in self.edition_ids)

    @property
    def is_organiser(self) -> bool:
        return self.is_global or bool(self.edition_ids)


def scope_of(session: Session, account_id: int) -> OrganiserScope:
    """The editions this account organises (a grant without edition: all of them)."""
    editions = list(
        session.scalars(
            select(RoleGrant.edition_id).where(
                RoleGrant.account_id == account_id, RoleGrant.role == Role.ORGANISER
            )
        )
    )
    return OrganiserScope(None in editions, frozenset(e for e in editions if e is not None))


def require_organiser(session: Session, actor: Actor) -> OrganiserScope:
    if isinstance(actor, Operator):
        return OrganiserScope(True, frozenset())
    scope = scope_of(session, actor.account_id)
    if not scope.is_organiser:
        raise ChallengeError(_("Cette action est réservée aux organisateurs du défi."))
    return scope


def require_global(session: Session, actor: Actor) -> OrganiserScope:
    """Only organisers of the whole challenge create editions, grant organiser roles, deactivate."""
    scope = require_organiser(session, actor)
    if not scope.is_global:
        raise ChallengeError(_("Seuls les organisateurs de l'ensemble du défi peuvent faire cela."))
    return scope


def require_edition(session: Session, actor: Actor, edition_id: int | None) -> OrganiserScope:
    scope = require_organiser(session, actor)
    if not scope.covers(edition_id):
        raise ChallengeError(_("Vous n'organisez pas cette édition : demandez à un organisateur global."))
    return scope
