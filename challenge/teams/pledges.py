"""Threshold pledges: "I'll leave WhatsApp for Signal when 3 members of my team are on it".

A pledge triggers once `threshold` *other* members of the team are on the alternative (by their
check-ins: challenge.teams.usage). The trigger is a conditional UPDATE (triggered_at still NULL),
and its notice is queued in the same transaction under the key "pledge:<id>": a retried or
concurrent recompute never triggers or notifies twice. Pledges of households that left the team
are ignored (kept for the household's GDPR export until it erases its account), and so are those
of households that withdrew their consent, until they give it again. What the team page shows of
them: challenge.teams.pledge_board.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _
from challenge.infra.db import Database
from challenge.infra.upsert import insert_once
from challenge.models import BigTechService, Enrolment, Household, TeamPledge, utcnow
from challenge.teams import pledge_notices
from challenge.teams.members import locked_team, member_enrolment
from challenge.teams.usage import replaces, users_of

MAX_THRESHOLD = 50


def check_threshold(threshold: object) -> int:
    """The threshold as a whole number of other members (1 to 50), else a French message."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= MAX_THRESHOLD:
        raise ValidationError(
            _("Choisissez un nombre de membres entre 1 et {most}.").format(most=MAX_THRESHOLD),
            field="threshold",
        )
    return threshold


def make_pledge(
    db: Database,
    household_id: int,
    team_id: int,
    service_slug: str,
    alternative_slug: str,
    threshold: object,
    now: datetime | None = None,
) -> int:
    """Pledge within one's own team (NotFound outside it); pledging the same switch again only
    changes the threshold of a pledge not triggered yet. It triggers at once if already reached."""
    wanted = check_threshold(threshold)

    def work(session: Session) -> int:
        member_enrolment(session, household_id, team_id)
        if session.get(BigTechService, service_slug) is None or not replaces(
            session, alternative_slug, service_slug
        ):
            raise ValidationError(_("Cette alternative ne remplace pas ce service."), field="alternative")
        key = {
            "team_id": team_id,
            "household_id": household_id,
            "service_slug": service_slug,
            "alternative_slug": alternative_slug,
        }
        values = {**key, "threshold": wanted, "created_at": now or utcnow()}
        insert_once(session, TeamPledge, values, tuple(key))
        _changed(
            session,
            update(TeamPledge)
            .where(*(getattr(TeamPledge, column) == value for column, value in key.items()))
            .where(TeamPledge.triggered_at.is_(None))
            .values(threshold=wanted),
        )
        trigger_due(session, team_id, now or utcnow())
        return int(session.scalar(select(TeamPledge.id).filter_by(**key)) or 0)

    return db.run_write(work, retry_conflicts=True)


def withdraw_pledge(db: Database, household_id: int, pledge_id: int) -> bool:
    """Take back one's own pledge; False if it was already gone (another household's: NotFound)."""

    def work(session: Session) -> bool:
        pledge = session.get(TeamPledge, pledge_id)
        if pledge is None:
            return False
        if pledge.household_id != household_id:
            raise NotFound(_("Cet engagement n'existe pas."))
        session.delete(pledge)
        return True

    return db.run_write(work)


def acknowledge_pledge(db: Database, household_id: int, pledge_id: int, now: datetime | None = None) -> None:
    """Close the in-app notice of one's own triggered pledge."""

    def work(session: Session) -> None:
        _changed(
            session,
            update(TeamPledge)
            .where(
                TeamPledge.id == pledge_id,
                TeamPledge.household_id == household_id,
                TeamPledge.triggered_at.is_not(None),
                TeamPledge.acknowledged_at.is_(None),
            )
            .values(acknowledged_at=now or utcnow()),
        )

    db.run_write(work)


def trigger_due(session: Session, team_id: int, now: datetime) -> list[int]:
    """Trigger the team's pledges whose threshold is reached, in the caller's transaction, and
    queue their notices; the ids this call triggered (none a second time).

    The team row is locked first: a pledge made while a member checks in (or two check-ins) would
    otherwise each read the other as not there yet, and the pledge would never trigger."""
    team = locked_team(session, team_id)
    if team is None:
        return []
    waiting = list(
        session.scalars(
            select(TeamPledge)
            .join(
                Enrolment,
                (Enrolment.household_id == TeamPledge.household_id) & (Enrolment.team_id == team_id),
            )
            .join(Household, Household.id == TeamPledge.household_id)
            .where(
                TeamPledge.team_id == team_id,
                TeamPledge.triggered_at.is_(None),
                Household.consent_withdrawn_at.is_(None),  # paused: waits until consent is given again
            )
            .order_by(TeamPledge.id)
        )
    )
    if not waiting:
        return []
    users = users_of(session, team.edition_id, team_id, {p.alternative_slug for p in waiting})
    triggered = []
    for pledge in waiting:
        others = [h for h, _name in users[pledge.alternative_slug] if h != pledge.household_id]
        if len(others) < pledge.threshold:
            continue
        won = _changed(
            session,
            update(TeamPledge)
            .where(TeamPledge.id == pledge.id, TeamPledge.triggered_at.is_(None))
            .values(triggered_at=now),
        )
        if won:
            pledge_notices.queue_notice(session, pledge.id, now)
            triggered.append(pledge.id)
    return triggered


def erase_pledges(session: Session, household_id: int) -> None:
    """Delete the household's pledges (account erasure; the foreign key cascades too)."""
    session.execute(delete(TeamPledge).where(TeamPledge.household_id == household_id))


def _changed(session: Session, statement: Any) -> int:
    return cast(
        "CursorResult[Any]", session.execute(statement.execution_options(synchronize_session=False))
    ).rowcount
