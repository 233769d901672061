"""The captains' tools: remove a member, share the captain role, manage the code, set shared goals.

Each takes the acting household: NotFound for a household outside the team, ChallengeError for a
member who is not a captain (see challenge.teams for the membership rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from challenge.core.errors import ChallengeError, ValidationError
from challenge.core.i18n import _, ngettext
from challenge.core.vocabulary import Role
from challenge.infra.db import Database
from challenge.models import (
    BigTechService,
    Enrolment,
    RoleGrant,
    Team,
    TeamGoal,
)
from challenge.teams.codes import unused_invite_code
from challenge.teams.members import (
    CAPTAINS_ONLY,
    account_of,
    as_captain,
    captain_count,
    captain_grant,
    drop_member,
    is_captain,
    member_enrolment,
)
from challenge.teams.stats import TeamBoard, TeamMember
from challenge.teams.usage import replaces


def remove_member(db: Database, captain_household_id: int, team_id: int, member_household_id: int) -> bool:
    """A captain removes a member; False if that household had already left."""
    if captain_household_id == member_household_id:
        raise ChallengeError(
            _("Vous ne pouvez pas vous retirer vous-même : utilisez « Quitter le collectif ».")
        )

    def work(session: Session) -> bool:
        as_captain(session, captain_household_id, team_id)
        enrolment = session.scalar(
            select(Enrolment).where(
                Enrolment.household_id == member_household_id, Enrolment.team_id == team_id
            )
        )
        if enrolment is None:
            return False
        drop_member(session, enrolment, team_id)
        return True

    return db.run_write(work)


def appoint_captain(
    db: Database, captain_household_id: int, team_id: int, member_household_id: int, step_down: bool = False
) -> None:
    """Make a member captain too (co-captain), or hand the role over with `step_down`."""
    if step_down and captain_household_id == member_household_id:
        raise ChallengeError(_("Choisissez un autre membre à qui confier le rôle de capitaine."))

    def work(session: Session) -> None:
        as_captain(session, captain_household_id, team_id)
        member_enrolment(session, member_household_id, team_id)
        if not is_captain(session, member_household_id, team_id):
            session.add(
                RoleGrant(
                    account_id=account_of(session, member_household_id), role=Role.CAPTAIN, team_id=team_id
                )
            )
        if step_down:
            own = account_of(session, captain_household_id)
            session.execute(delete(RoleGrant).where(captain_grant(team_id, own)))

    db.run_write(work)


def claim_captaincy(db: Database, household_id: int, team_id: int) -> None:
    """A member takes up the captain role of a team left without one (its captain deleted the account)."""

    def work(session: Session) -> None:
        member_enrolment(session, household_id, team_id, lock=True)
        if is_captain(session, household_id, team_id):
            return
        if captain_count(session, team_id):
            raise ChallengeError(_("Votre collectif a déjà un capitaine."))
        session.add(
            RoleGrant(account_id=account_of(session, household_id), role=Role.CAPTAIN, team_id=team_id)
        )

    db.run_write(work)


def revoke_invite(db: Database, captain_household_id: int, team_id: int) -> None:
    """Switch the invitation code off: nobody can join with it any more."""

    def work(session: Session) -> None:
        as_captain(session, captain_household_id, team_id).invite_active = False

    db.run_write(work)


def regenerate_invite(db: Database, captain_household_id: int, team_id: int) -> str:
    """Replace the invitation code with a new, active one; the old code stops working."""

    def work(session: Session) -> str:
        team = as_captain(session, captain_household_id, team_id)
        team.invite_code, team.invite_active = unused_invite_code(session), True
        return team.invite_code

    return db.run_write(work, retry_conflicts=True)


def set_goal(
    db: Database, captain_household_id: int, team_id: int, service_slug: str, alternative_slug: str | None
) -> None:
    """Set (or change) a shared goal: leave one Big Tech service for one named alternative (goals
    count the members whose check-ins use it; goals set before migration 0016 may name none)."""

    def work(session: Session) -> None:
        as_captain(session, captain_household_id, team_id)
        if session.get(BigTechService, service_slug) is None:
            raise ValidationError(_("Choisissez un service GAFAM du catalogue."), field="service")
        if not alternative_slug:
            raise ValidationError(_("Choisissez l'alternative à adopter ensemble."), field="alternative")
        if not replaces(session, alternative_slug, service_slug):
            raise ValidationError(_("Cette alternative ne remplace pas ce service."), field="alternative")
        goal = session.scalar(
            select(TeamGoal).where(TeamGoal.team_id == team_id, TeamGoal.service_slug == service_slug)
        )
        if goal is None:
            session.add(
                TeamGoal(team_id=team_id, service_slug=service_slug, alternative_slug=alternative_slug)
            )
        else:
            goal.alternative_slug = alternative_slug

    db.run_write(work, retry_conflicts=True)


def remove_goal(db: Database, captain_household_id: int, team_id: int, service_slug: str) -> None:
    """Drop a shared goal; dropping it twice changes nothing."""

    def work(session: Session) -> None:
        as_captain(session, captain_household_id, team_id)
        session.execute(
            delete(TeamGoal).where(TeamGoal.team_id == team_id, TeamGoal.service_slug == service_slug)
        )

    db.run_write(work)


@dataclass(frozen=True)
class CaptainView:
    """What only a captain sees: the code, who has not checked in, a reminder ready to send."""

    invite_code: str
    invite_active: bool
    missing: list[str]
    reminder: str
    others: list[TeamMember]


def captain_view(session: Session, household_id: int, board: TeamBoard, app_url: str = "") -> CaptainView:
    """The captain's tools on a team board; ChallengeError for a member who is not captain."""
    member_enrolment(session, household_id, board.team_id)
    if not is_captain(session, household_id, board.team_id):
        raise ChallengeError(CAPTAINS_ONLY)
    team = session.get_one(Team, board.team_id)
    return CaptainView(
        invite_code=team.invite_code,
        invite_active=team.invite_active,
        missing=[m.name for m in board.members if not m.checked_in],
        reminder=reminder_text(board, app_url),
        others=[m for m in board.members if not m.is_you],
    )


def reminder_text(board: TeamBoard, app_url: str = "") -> str:
    """A friendly reminder for the team's group chat; it names nobody."""
    if app_url:
        where = _(" : {link}").format(link=f"{app_url.rstrip('/')}/bilan")
    else:
        where = _(" (rubrique « Bilan » de l'application)")
    done, total = board.checked_in, len(board.members)
    if done == 0:
        so_far = _("Soyez les premiers cette semaine !")
    else:
        so_far = ngettext(
            "Déjà {done} foyer sur {total} l'a fait.", "Déjà {done} foyers sur {total} l'ont fait.", done
        ).format(done=done, total=total)
    return _(
        "Bonjour à toutes et à tous ! Petit rappel du collectif « {team} » : "
        "le bilan de la semaine {week} du défi Zéro Gafam vous attend, une minute suffit{where}. "
        "{so_far} Merci, chaque pas compte !"
    ).format(team=board.name, week=board.week, where=where, so_far=so_far)
