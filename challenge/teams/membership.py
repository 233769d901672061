"""Collectives (teams): create one, join it by invitation code, leave it; who is a captain.

Every use case takes the acting household and checks what it may do: a household outside a team
gets NotFound (it may not even learn that the team exists), a member who is not a captain gets a
ChallengeError. Each write is one transaction and can be retried: a double tap changes nothing
more than a single one. The captains' tools live in challenge.captains.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, delete, exists, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from challenge.core.errors import ChallengeError, NotFound, ValidationError
from challenge.core.i18n import _, lazy_gettext
from challenge.core.vocabulary import Role
from challenge.counts import upkeep
from challenge.editions.lookup import closed_edition_of, closed_message, enrolment_of, refuse_if_closed
from challenge.infra.db import Database
from challenge.models import (
    Enrolment,
    Household,
    RoleGrant,
    Team,
    utcnow,
)
from challenge.territories.referential import place_of

TEAM_LEVELS = ("commune", "epci", "departement")
# No 0/O, 1/I/L: a code read aloud or copied from paper cannot be misread.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 6
MAX_NAME, MAX_DESCRIPTION = 60, 500

NOT_ENROLLED = lazy_gettext("Votre foyer ne participe à aucune édition en cours du défi.")
NOT_YOUR_TEAM = lazy_gettext("Ce collectif n'existe pas ou votre foyer n'en fait pas partie.")
CAPTAINS_ONLY = lazy_gettext("Seuls les capitaines du collectif peuvent faire cela.")
INVALID_CODE = lazy_gettext(
    "Code d'invitation inconnu ou expiré : le capitaine l'a peut-être désactivé ou remplacé. "
    "Demandez-lui le code à jour."
)


@dataclass(frozen=True)
class TeamSummary:
    id: int
    name: str
    invite_code: str


def normalize_invite_code(raw: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(char for char in (raw or "").upper() if char.isalnum())


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def unused_invite_code(session: Session) -> str:
    for _attempt in range(20):
        code = new_invite_code()
        if session.scalar(select(Team.id).where(Team.invite_code == code)) is None:
            return code
    raise ChallengeError(_("Impossible de créer un code d'invitation pour l'instant : réessayez."))


def check_team_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Donnez un nom à votre collectif."), field="name")
    if len(name) > MAX_NAME:
        raise ValidationError(
            _("Le nom du collectif ne peut dépasser {count} caractères.").format(count=MAX_NAME), field="name"
        )
    return name


def _live_enrolment(session: Session, household_id: int) -> Enrolment:
    found = enrolment_of(session, household_id)
    if found is None:
        closed = closed_edition_of(session, household_id)
        raise ValidationError(closed_message(closed) if closed else NOT_ENROLLED)
    return found[1]


def account_of(session: Session, household_id: int) -> int:
    account_id = session.scalar(select(Household.account_id).where(Household.id == household_id))
    if account_id is None:
        raise NotFound(_("Foyer introuvable."))
    return account_id


def captain_grant(team_id: int, account_id: int) -> ColumnElement[bool]:
    """SQL condition: this account is a captain of this team."""
    return (
        (RoleGrant.role == Role.CAPTAIN)
        & (RoleGrant.team_id == team_id)
        & (RoleGrant.account_id == account_id)
    )


def is_captain(session: Session, household_id: int, team_id: int) -> bool:
    account_id = account_of(session, household_id)
    return session.scalar(select(exists().where(captain_grant(team_id, account_id)))) or False


def captain_count(session: Session, team_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(RoleGrant)
            .where(RoleGrant.role == Role.CAPTAIN, RoleGrant.team_id == team_id)
        )
        or 0
    )


def locked_team(session: Session, team_id: int) -> Team | None:
    """The team row, locked until the end of the transaction on PostgreSQL (SQLite writers are serial)."""
    return session.scalar(select(Team).where(Team.id == team_id).with_for_update())


def member_enrolment(
    session: Session, household_id: int, team_id: int, *, lock: bool = False
) -> tuple[Team, Enrolment]:
    """The team and the household's enrolment in it, or NotFound for anyone outside the team.

    Writers `lock` the team row: on PostgreSQL, changes of one team's captains then run one at a
    time, so that two captains leaving together cannot leave the team without one.
    """
    team = locked_team(session, team_id) if lock else session.get(Team, team_id)
    enrolment = session.scalar(
        select(Enrolment).where(Enrolment.household_id == household_id, Enrolment.team_id == team_id)
    )
    if team is None or enrolment is None:
        raise NotFound(NOT_YOUR_TEAM)
    if lock:  # a change: a closed edition's teams stay as they were
        refuse_if_closed(session, team.edition_id)
    return team, enrolment


def as_captain(session: Session, household_id: int, team_id: int) -> Team:
    team, _ = member_enrolment(session, household_id, team_id, lock=True)
    if not is_captain(session, household_id, team_id):
        raise ChallengeError(CAPTAINS_ONLY)
    return team


def _join(session: Session, enrolment: Enrolment, team: Team) -> None:
    with upkeep.tracking(session, [enrolment.household_id]):  # the team's counts
        enrolment.team_id, enrolment.team_joined_at = team.id, utcnow()


def drop_member(session: Session, enrolment: Enrolment, team_id: int) -> None:
    account_id = account_of(session, enrolment.household_id)
    session.execute(delete(RoleGrant).where(captain_grant(team_id, account_id)))
    with upkeep.tracking(session, [enrolment.household_id]):  # the team's counts
        enrolment.team_id, enrolment.team_joined_at = None, None


def create_team(
    db: Database, household_id: int, name: str, description: str = "", territory_level: str = "commune"
) -> TeamSummary:
    """Create a collective in the household's edition and territory; the household becomes captain.

    A retried creation (double tap) returns the team already created instead of failing.
    """
    name = check_team_name(name)
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(
            _("La description ne peut dépasser {count} caractères.").format(count=MAX_DESCRIPTION)
        )
    if territory_level not in TEAM_LEVELS:
        raise ValidationError(_("Choisissez la commune, l'intercommunalité ou le département du collectif."))

    def work(session: Session) -> TeamSummary:
        enrolment = _live_enrolment(session, household_id)
        if enrolment.team_id is not None:
            return _already_in_team(session, household_id, enrolment.team_id, name)
        taken = session.scalars(select(Team.name).where(Team.edition_id == enrolment.edition_id))
        if name.casefold() in {other.casefold() for other in taken}:
            raise ValidationError(_("Un collectif porte déjà ce nom : choisissez-en un autre."), field="name")
        household = session.get_one(Household, household_id)
        territory = dict(place_of(session, household.commune_code).territories)
        team = Team(
            edition_id=enrolment.edition_id,
            name=name,
            description=description,
            territory_level=territory_level,
            territory_code=territory[territory_level],
            invite_code=unused_invite_code(session),
        )
        session.add(team)
        session.flush()
        _join(session, enrolment, team)
        session.add(RoleGrant(account_id=household.account_id, role=Role.CAPTAIN, team_id=team.id))
        return TeamSummary(team.id, team.name, team.invite_code)

    return db.run_write(work, retry_conflicts=True)


def _already_in_team(session: Session, household_id: int, team_id: int, name: str) -> TeamSummary:
    team = session.get_one(Team, team_id)
    if team.name == name and is_captain(session, household_id, team_id):
        return TeamSummary(team.id, team.name, team.invite_code)
    raise ValidationError(
        _(
            "Votre foyer fait déjà partie du collectif « {team} » : "
            "quittez-le d'abord pour en créer un autre."
        ).format(team=team.name)
    )


def team_by_invite_code(session: Session, code: str, edition_id: int) -> Team:
    """The team this code lets one join in the edition, or ValidationError (unknown or revoked)."""
    code = normalize_invite_code(code)
    if not code:
        raise ValidationError(_("Saisissez le code d'invitation du collectif."), field="invite_code")
    team = session.scalar(select(Team).where(Team.invite_code == code))
    if team is None or not team.invite_active or team.edition_id != edition_id:
        raise ValidationError(INVALID_CODE, field="invite_code")
    return team


def join_with_code(session: Session, enrolment: Enrolment, code: str) -> Team:
    """Put the enrolment in the team of this code; joining the same team again changes nothing.

    The conditional update keeps "at most one team per edition" even when two joins race; the
    team lock keeps a join and the last member's departure (which dissolves the team) apart.
    """
    team = team_by_invite_code(session, code, enrolment.edition_id)
    if enrolment.team_id == team.id:
        return team
    if locked_team(session, team.id) is None:
        raise ValidationError(INVALID_CODE, field="invite_code")
    with upkeep.tracking(session, [enrolment.household_id]):  # the team's counts
        result = session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment.id, Enrolment.team_id.is_(None))
            .values(team_id=team.id, team_joined_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    if not cast("CursorResult[Any]", result).rowcount:
        session.refresh(enrolment)
        if enrolment.team_id == team.id:
            return team
        current = session.get_one(Team, enrolment.team_id)
        raise ValidationError(
            _(
                "Votre foyer fait déjà partie du collectif « {team} » : quittez-le d'abord "
                "pour en rejoindre un autre."
            ).format(team=current.name),
            field="invite_code",
        )
    session.refresh(enrolment)
    return team


def join_team(db: Database, household_id: int, code: str) -> TeamSummary:
    """Join a collective with its invitation code (the household agreed to share its check-ins)."""

    def work(session: Session) -> TeamSummary:
        team = join_with_code(session, _live_enrolment(session, household_id), code)
        return TeamSummary(team.id, team.name, team.invite_code)

    return db.run_write(work)


def leave_team(db: Database, household_id: int) -> bool:
    """Leave the household's collective; the last member leaving dissolves it (returns True then).

    A captain cannot leave members without a captain: they hand the role over first.
    Leaving when already out changes nothing.
    """

    def work(session: Session) -> bool:
        enrolment = _live_enrolment(session, household_id)
        if enrolment.team_id is None:
            return False
        team_id = enrolment.team_id
        locked_team(session, team_id)
        others = session.scalar(
            select(func.count())
            .select_from(Enrolment)
            .where(Enrolment.team_id == team_id, Enrolment.id != enrolment.id)
        )
        captain = is_captain(session, household_id, team_id)
        if captain and others and captain_count(session, team_id) == 1:
            raise ChallengeError(
                _(
                    "Vous êtes le seul capitaine : confiez d'abord ce rôle à un autre membre "
                    "(ou nommez un co-capitaine) avant de quitter le collectif."
                )
            )
        drop_member(session, enrolment, team_id)
        if not others:
            session.execute(delete(Team).where(Team.id == team_id))
        return not others

    return db.run_write(work)


def create_team_for_demo(
    session: Session,
    edition_id: int,
    name: str,
    territory: tuple[str, str],
    captain_household_id: int,
    member_household_ids: list[int],
    invite_code: str,
    joined_at: datetime | None = None,
) -> int:
    """Write a whole team in an open session with a few bulk statements (demo generator).

    The households must be enrolled in the edition and in no other team; no check is made.
    """
    team_id = session.scalar(
        insert(Team)
        .returning(Team.id)
        .values(
            edition_id=edition_id,
            name=check_team_name(name),
            description="",
            territory_level=territory[0],
            territory_code=territory[1],
            invite_code=normalize_invite_code(invite_code),
            invite_active=True,
            created_at=utcnow(),
        )
    )
    households = list(dict.fromkeys([captain_household_id, *member_household_ids]))
    with upkeep.tracking(session, households):  # the team's counts
        session.execute(
            update(Enrolment)
            .where(Enrolment.edition_id == edition_id, Enrolment.household_id.in_(households))
            .values(team_id=team_id, team_joined_at=joined_at or utcnow())
            .execution_options(synchronize_session=False)
        )
    account_id = session.scalar(select(Household.account_id).where(Household.id == captain_household_id))
    session.execute(
        insert(RoleGrant).values(
            account_id=account_id, role=Role.CAPTAIN, team_id=team_id, granted_at=utcnow()
        )
    )
    assert team_id is not None
    return team_id
