"""Local help sessions: published by organisers (anywhere) and captains (where their members
live), shown to the households of that commune or EPCI next to the services they concern, with
« Je viendrai » (one row per household, however many taps) and a calendar entry (ICS)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import Session

from challenge.accounts.organisers import scope_of
from challenge.core.errors import ChallengeError, NotFound
from challenge.core.i18n import _, lazy_gettext
from challenge.core.vocabulary import Level
from challenge.help.forms import SessionDraft, check_draft
from challenge.infra.db import Database
from challenge.infra.upsert import insert_once
from challenge.mail.calendar_feed import event_calendar
from challenge.models import (
    Commune,
    Enrolment,
    Epci,
    HelpRsvp,
    HelpSession,
    HelpSessionService,
    Household,
    utcnow,
)
from challenge.teams.members import account_of, as_captain

NO_SUCH_SESSION = lazy_gettext("Ce rendez-vous n'existe pas ou n'est pas près de chez vous.")


@dataclass(frozen=True)
class SessionCard:
    id: int
    kind: str
    starts_at: datetime
    duration_minutes: int
    place: str
    topic: str
    territory: str  # the commune's or the EPCI's name
    services: tuple[str, ...]
    coming: int  # households that said they would come
    you_come: bool = False


def publish_as_organiser(
    db: Database, account_id: int, draft: SessionDraft, now: datetime | None = None
) -> int:
    """An organiser publishes a help session for any commune or EPCI."""

    def work(session: Session) -> int:
        if not scope_of(session, account_id).is_organiser:
            raise ChallengeError(_("Cette action est réservée aux organisateurs du défi."))
        return _add(session, check_draft(session, draft, now or utcnow()), account_id, None)

    return db.run_write(work)


def publish_as_captain(
    db: Database, household_id: int, team_id: int, draft: SessionDraft, now: datetime | None = None
) -> int:
    """A captain publishes one for a commune where a member lives, or for that commune's EPCI."""

    def work(session: Session) -> int:
        as_captain(session, household_id, team_id)
        checked = check_draft(session, draft, now or utcnow())
        if (checked.level, checked.code) not in captain_territories(session, team_id):
            raise ChallengeError(
                _("Choisissez la commune d'un membre du collectif, ou son intercommunalité."),
                field="territory",
            )
        return _add(session, checked, account_of(session, household_id), team_id)

    return db.run_write(work)


def captain_territories(session: Session, team_id: int) -> dict[tuple[str, str], str]:
    """(level, code) -> name: the communes of the team's members and their EPCIs."""
    rows = session.execute(
        select(Commune.insee_code, Commune.name, Epci.siren, Epci.name)
        .join(Household, Household.commune_code == Commune.insee_code)
        .join(Enrolment, Enrolment.household_id == Household.id)
        .join(Epci, Epci.siren == Commune.epci_siren)
        .where(Enrolment.team_id == team_id)
        .distinct()
    ).all()
    found: dict[tuple[str, str], str] = {}
    for commune, commune_name, epci, epci_name in sorted(rows, key=lambda r: r[1]):
        found[(Level.COMMUNE, commune)] = commune_name
        found[(Level.EPCI, epci)] = epci_name
    return found


def _add(session: Session, draft: SessionDraft, account_id: int | None, team_id: int | None) -> int:
    assert draft.starts_at is not None  # checked
    row = HelpSession(
        kind=draft.kind,
        territory_level=draft.level,
        territory_code=draft.code,
        starts_at=draft.starts_at,
        duration_minutes=draft.duration_minutes,
        place=draft.place,
        topic=draft.topic,
        created_by=account_id,
        team_id=team_id,
    )
    session.add(row)
    session.flush()
    session.add_all(HelpSessionService(session_id=row.id, service_slug=s) for s in draft.services)
    return row.id


def cancel_session(db: Database, account_id: int, session_id: int) -> bool:
    """An organiser, or whoever published it, withdraws a session; False if already gone."""

    def work(session: Session) -> bool:
        row = session.get(HelpSession, session_id)
        if row is None:
            return False
        if row.created_by != account_id and not scope_of(session, account_id).is_organiser:
            raise NotFound(NO_SUCH_SESSION)
        session.delete(row)
        return True

    return db.run_write(work)


def _near(session: Session, household_id: int) -> ColumnElement[bool]:
    """SQL condition: a session for the household's commune or its EPCI."""
    commune, epci = session.execute(
        select(Commune.insee_code, Commune.epci_siren)
        .join(Household, Household.commune_code == Commune.insee_code)
        .where(Household.id == household_id)
    ).one()
    return or_(
        (HelpSession.territory_level == Level.COMMUNE) & (HelpSession.territory_code == commune),
        (HelpSession.territory_level == Level.EPCI) & (HelpSession.territory_code == epci),
    )


def sessions_near(session: Session, household_id: int, now: datetime) -> list[SessionCard]:
    """Upcoming (or running) sessions for the household's commune or EPCI, soonest first."""
    rows = list(
        session.scalars(
            select(HelpSession)
            .where(_near(session, household_id), HelpSession.starts_at > now - timedelta(hours=12))
            .order_by(HelpSession.starts_at, HelpSession.id)
        )
    )
    rows = [r for r in rows if r.starts_at + timedelta(minutes=r.duration_minutes) > now]
    mine = set(session.scalars(select(HelpRsvp.session_id).where(HelpRsvp.household_id == household_id)))
    return _cards(session, rows, mine)


def upcoming_sessions(session: Session, now: datetime) -> list[SessionCard]:
    """Every session not over yet (the organisers' console)."""
    rows = list(
        session.scalars(
            select(HelpSession)
            .where(HelpSession.starts_at > now - timedelta(hours=12))
            .order_by(HelpSession.starts_at, HelpSession.id)
        )
    )
    return _cards(session, rows, set())


def _cards(session: Session, rows: list[HelpSession], mine: set[int]) -> list[SessionCard]:
    ids = [r.id for r in rows]
    services: dict[int, list[str]] = defaultdict(list)
    for sid, slug in session.execute(
        select(HelpSessionService.session_id, HelpSessionService.service_slug)
        .where(HelpSessionService.session_id.in_(ids))
        .order_by(HelpSessionService.service_slug)
    ):
        services[sid].append(slug)
    coming = {
        sid: n
        for sid, n in session.execute(
            select(HelpRsvp.session_id, func.count())
            .where(HelpRsvp.session_id.in_(ids))
            .group_by(HelpRsvp.session_id)
        )
    }
    names = _territory_names(session, rows)
    return [
        SessionCard(
            r.id,
            r.kind,
            r.starts_at,
            r.duration_minutes,
            r.place,
            r.topic,
            names.get((r.territory_level, r.territory_code), r.territory_code),
            tuple(services[r.id]),
            int(coming.get(r.id, 0)),
            r.id in mine,
        )
        for r in rows
    ]


def _territory_names(session: Session, rows: list[HelpSession]) -> dict[tuple[str, str], str]:
    communes = {r.territory_code for r in rows if r.territory_level == Level.COMMUNE}
    epcis = {r.territory_code for r in rows if r.territory_level == Level.EPCI}
    names = {
        (str(Level.COMMUNE), code): name
        for code, name in session.execute(
            select(Commune.insee_code, Commune.name).where(Commune.insee_code.in_(communes))
        )
    }
    names.update(
        ((str(Level.EPCI), code), name)
        for code, name in session.execute(select(Epci.siren, Epci.name).where(Epci.siren.in_(epcis)))
    )
    return names


def set_coming(
    db: Database, household_id: int, session_id: int, coming: bool, now: datetime | None = None
) -> int:
    """« Je viendrai » (or not any more) to a session near the household; the new count.
    Saying it twice keeps one row; a session elsewhere, or over, is NotFound."""
    moment = now or utcnow()

    def work(session: Session) -> int:
        _visible(session, household_id, session_id, moment)
        if coming:
            insert_once(
                session,
                HelpRsvp,
                {"session_id": session_id, "household_id": household_id, "created_at": moment},
                ("session_id", "household_id"),
            )
        else:
            session.execute(
                delete(HelpRsvp).where(
                    HelpRsvp.session_id == session_id, HelpRsvp.household_id == household_id
                )
            )
        return int(
            session.scalar(
                select(func.count()).select_from(HelpRsvp).where(HelpRsvp.session_id == session_id)
            )
            or 0
        )

    return db.run_write(work, retry_conflicts=True)


def _visible(session: Session, household_id: int, session_id: int, now: datetime) -> HelpSession:
    row = session.scalar(
        select(HelpSession).where(HelpSession.id == session_id, _near(session, household_id))
    )
    if row is None or row.starts_at + timedelta(minutes=row.duration_minutes) <= now:
        raise NotFound(NO_SUCH_SESSION)
    return row


def session_ics(db: Database, household_id: int, session_id: int, service_names: dict[str, str]) -> bytes:
    """The session as a calendar entry (RFC 5545), for a household it is shown to."""
    with db.read() as session:
        row = _visible(session, household_id, session_id, utcnow())
        card = _cards(session, [row], set())[0]
    services = ", ".join(service_names.get(s, s) for s in card.services)
    return event_calendar(
        uid=f"aide-{card.id}",
        summary=_("Aide pour changer : {topic}").format(topic=card.topic),
        start=card.starts_at,
        minutes=card.duration_minutes,
        location=card.place,
        description=_("Services concernés : {services}").format(services=services),
        now=utcnow(),
    )
