"""People and roles in the console: find an account, grant or revoke a role, deactivate an account.

Scoping: organisers of one edition act on that edition only (its teams, councils inside its
territories); granting the organiser role and deactivating accounts are for global organisers.
Every change is audited in its own transaction; bad input raises before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from challenge.accounts import audit
from challenge.accounts.organisers import (
    OrganiserScope,
    require_edition,
    require_global,
    require_organiser,
)
from challenge.accounts.sessions import Identity
from challenge.core.errors import ChallengeError, NotFound, ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import Level, Role
from challenge.editions.rules import territories_of
from challenge.infra.db import Database
from challenge.models import Account, Edition, Enrolment, Household, LoginSession, RoleGrant, Team, utcnow
from challenge.territories.areas import communes_of, parse_territory
from challenge.territories.names import territory_name

ROLES = tuple(Role)


@dataclass(frozen=True)
class Grant:
    id: int
    role: str
    scope: str  # "toutes les éditions", an edition's name, a territory's name, a team's name


@dataclass(frozen=True)
class Person:
    """What an organiser sees of an account: never a password, only the household's pseudonym."""

    account_id: int
    email: str
    pseudonym: str | None
    is_active: bool
    last_login_at: datetime | None
    grants: list[Grant]


def _scope_label(session: Session, grant: RoleGrant) -> str:
    if grant.team_id is not None:
        return session.get_one(Team, grant.team_id).name
    if grant.territory_level and grant.territory_code:
        return territory_name(session, grant.territory_level, grant.territory_code)
    if grant.edition_id is not None:
        return session.get_one(Edition, grant.edition_id).name
    return _("toutes les éditions")


def _within(scope: OrganiserScope) -> Any:
    """The accounts an organiser of some editions may see: households enrolled in them, and
    accounts holding a role in them (an edition's organisers, its teams' captains)."""
    editions = list(scope.edition_ids)
    enrolled = select(Household.account_id).join(Enrolment, Enrolment.household_id == Household.id)
    in_teams = select(Team.id).where(Team.edition_id.in_(editions))
    granted = select(RoleGrant.account_id).where(
        or_(RoleGrant.edition_id.in_(editions), RoleGrant.team_id.in_(in_teams))
    )
    return or_(
        Account.id.in_(enrolled.where(Enrolment.edition_id.in_(editions))),
        Account.id.in_(granted),
    )


def find_people(db: Database, actor: Identity, query: str, limit: int = 20) -> list[Person]:
    """Accounts whose e-mail or household pseudonym contains `query` (2 characters at least);
    an organiser of some editions finds only the people of those editions."""
    text = " ".join((query or "").split())
    if len(text) < 2:
        raise ValidationError(_("Tapez au moins 2 caractères de l'e-mail ou du pseudonyme."), field="query")
    with db.read() as session:
        scope = require_organiser(session, actor)
        matching = or_(
            Account.email.icontains(text, autoescape=True),
            Household.name.icontains(text, autoescape=True),
        )
        query_rows = select(Account, Household.name).outerjoin(Household, Household.account_id == Account.id)
        if not scope.is_global:
            query_rows = query_rows.where(_within(scope))
        rows = session.execute(query_rows.where(matching).order_by(Account.email).limit(limit)).all()
        return [_person(session, account, pseudonym) for account, pseudonym in rows]


def _person(session: Session, account: Account, pseudonym: str | None) -> Person:
    grants = session.scalars(
        select(RoleGrant).where(RoleGrant.account_id == account.id).order_by(RoleGrant.id)
    )
    return Person(
        account.id,
        account.email,
        pseudonym,
        account.is_active,
        account.last_login_at,
        [Grant(g.id, g.role, _scope_label(session, g)) for g in grants],
    )


def check_council_territory(session: Session, scope: OrganiserScope, key: str) -> tuple[str, str]:
    """The territory of a council role: known to the referential and within the actor's editions."""
    level, code = parse_territory(key)
    if level == Level.REGION or territory_name(session, level, code, default="") == "":
        raise ValidationError(
            _("Territoire inconnu du référentiel : {key}.").format(key=key), field="territory"
        )
    if not scope.is_global:
        wanted = communes_of(session, [(level, code)])
        if not any(wanted <= communes_of(session, territories_of(session, e)) for e in scope.edition_ids):
            raise ChallengeError(_("Ce territoire est en dehors des éditions que vous organisez."))
    return level, code


def _active_account(session: Session, account_id: int, lock: bool = False) -> Account:
    """The account, if it exists and is active; `lock` holds its row until the transaction ends
    (PostgreSQL: two organisers granting the same role one after the other, never both)."""
    query = select(Account).where(Account.id == account_id)
    account = session.scalar(query.with_for_update() if lock else query)
    if account is None or not account.is_active:
        raise NotFound(_("Ce compte n'existe pas ou a été désactivé."))
    return account


def _new_grant(
    session: Session, actor: Identity, account_id: int, role: str, target: str | int | None
) -> RoleGrant:
    if role == Role.ORGANISER:
        require_global(session, actor)
        edition_id = int(str(target)) if str(target or "").isdigit() else None
        given = target not in (None, "")
        if given and (edition_id is None or session.get(Edition, edition_id) is None):
            raise NotFound(_("Cette édition n'existe pas."))
        return RoleGrant(account_id=account_id, role=role, edition_id=edition_id)
    if role == Role.COUNCIL:
        level, code = check_council_territory(session, require_organiser(session, actor), str(target or ""))
        return RoleGrant(account_id=account_id, role=role, territory_level=level, territory_code=code)
    if role == Role.CAPTAIN:
        team = session.get(Team, int(str(target))) if str(target or "").isdigit() else None
        if team is None:
            raise NotFound(_("Ce collectif n'existe pas."), field="team")
        require_edition(session, actor, team.edition_id)
        member = session.scalar(
            select(Enrolment.id)
            .join(Household, Household.id == Enrolment.household_id)
            .where(Enrolment.team_id == team.id, Household.account_id == account_id)
        )
        if member is None:
            raise ValidationError(_("Ce compte ne fait pas partie de ce collectif."), field="team")
        return RoleGrant(account_id=account_id, role=role, team_id=team.id, edition_id=None)
    raise ValidationError(_("Rôle inconnu : {role}.").format(role=role), field="role")


def _describe(grant: RoleGrant) -> dict[str, Any]:
    return {
        "role": grant.role,
        "edition_id": grant.edition_id,
        "territory": f"{grant.territory_level}:{grant.territory_code}" if grant.territory_code else None,
        "team_id": grant.team_id,
    }


def _same(a: RoleGrant, b: RoleGrant) -> bool:
    return _describe(a) == _describe(b)


def grant_role(
    db: Database, actor: Identity, account_id: int, role: str, target: str | int | None = None
) -> bool:
    """Give `role` scoped by `target` (edition id, "level:code" or team id); False if already held."""

    def work(session: Session) -> bool:
        _active_account(session, account_id, lock=True)
        grant = _new_grant(session, actor, account_id, role, target)
        held = session.scalars(
            select(RoleGrant).where(RoleGrant.account_id == account_id, RoleGrant.role == role)
        )
        if any(_same(grant, other) for other in held):
            return False
        session.add(grant)
        session.flush()
        audit.record(
            session, actor, "role.grant", "account", account_id,
            after=_describe(grant), edition_id=_edition_of(session, grant),
        )  # fmt: skip
        return True

    return db.run_write(work)


def _edition_of(session: Session, grant: RoleGrant) -> int | None:
    if grant.team_id is not None:
        return session.scalar(select(Team.edition_id).where(Team.id == grant.team_id))
    return grant.edition_id


def revoke_role(db: Database, actor: Identity, grant_id: int) -> bool:
    """Take a role back (same reach as granting it); False if it was already gone."""

    def work(session: Session) -> bool:
        grant = session.get(RoleGrant, grant_id)
        if grant is None:
            require_organiser(session, actor)
            return False
        if grant.role == Role.ORGANISER:
            require_global(session, actor)
            if grant.account_id == actor.account_id:
                raise ChallengeError(_("Vous ne pouvez pas retirer votre propre rôle d'organisateur."))
        elif grant.role == Role.COUNCIL:
            check_council_territory(
                session, require_organiser(session, actor), f"{grant.territory_level}:{grant.territory_code}"
            )
        else:
            require_edition(session, actor, _edition_of(session, grant))
        before, edition_id = _describe(grant), _edition_of(session, grant)
        session.delete(grant)
        audit.record(
            session, actor, "role.revoke", "account", grant.account_id, before=before, edition_id=edition_id
        )
        return True

    return db.run_write(work)


def deactivate_account(db: Database, actor: Identity, account_id: int) -> bool:
    """Switch an account off and close its sessions at once; False if it was already off."""

    def work(session: Session) -> bool:
        require_global(session, actor)
        if account_id == actor.account_id:
            raise ChallengeError(_("Vous ne pouvez pas désactiver votre propre compte ici."))
        account = session.get(Account, account_id)
        if account is None:
            raise NotFound(_("Ce compte n'existe pas."))
        if not account.is_active:
            return False
        now = utcnow()
        account.is_active, account.sessions_valid_after = False, now
        session.execute(
            update(LoginSession)
            .where(LoginSession.account_id == account_id, LoginSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        audit.record(
            session, actor, "account.deactivate", "account", account_id,
            before={"is_active": True}, after={"is_active": False},
        )  # fmt: skip
        return True

    return db.run_write(work)


def teams_of(db: Database, account_id: int) -> list[tuple[int, str]]:
    """(team id, "team · edition") of the teams this account's household belongs to."""
    with db.read() as session:
        rows = session.execute(
            select(Team.id, Team.name, Edition.name)
            .join(Enrolment, Enrolment.team_id == Team.id)
            .join(Household, Household.id == Enrolment.household_id)
            .join(Edition, Edition.id == Team.edition_id)
            .where(Household.account_id == account_id)
            .order_by(Edition.start_date.desc())
        ).all()
    return [(team_id, f"{team} · {edition}") for team_id, team, edition in rows]
