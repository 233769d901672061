"""Which edition applies: the live one of a commune, a household's enrolment, the published ones."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core import clock, weeks
from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import LIVE_STATUSES, EditionStatus
from challenge.editions.calendar import EditionView
from challenge.infra.db import READING
from challenge.models import Edition, EditionTerritory, Enrolment
from challenge.territories.referential import Place


def live_edition_for(session: Session, place: Place | None = None) -> EditionView | None:
    """The running (else open) edition covering `place`, or any live edition when no place."""
    query = (
        select(Edition)
        .where(Edition.status.in_(LIVE_STATUSES))
        .order_by(Edition.status.desc(), Edition.start_date.desc())
    )
    for edition in session.scalars(query):
        if place is None or _covers(session, edition.id, place):
            return EditionView.of(edition)
    return None


def _covers(session: Session, edition_id: int, place: Place) -> bool:
    areas = set(
        session.execute(
            select(EditionTerritory.level, EditionTerritory.code).where(
                EditionTerritory.edition_id == edition_id
            )
        ).all()
    )
    return not areas or bool(areas & set(place.territories))


def enrolment_of(session: Session, household_id: int) -> tuple[EditionView, Enrolment] | None:
    """The household's enrolment in its latest live edition.

    A read session is one snapshot: there, it is read once however many parts of a page ask
    (its progress, its collective's goals…). A write session reads it afresh each time."""
    if not session.info.get(READING):
        return _enrolment_of(session, household_id)
    known: dict[int, tuple[EditionView, Enrolment] | None] = session.info.setdefault(_ENROLMENTS, {})
    if household_id not in known:
        known[household_id] = _enrolment_of(session, household_id)
    return known[household_id]


_ENROLMENTS = "dzg_enrolments"


def _enrolment_of(session: Session, household_id: int) -> tuple[EditionView, Enrolment] | None:
    row = session.execute(
        select(Edition, Enrolment)
        .join(Enrolment, Enrolment.edition_id == Edition.id)
        .where(Enrolment.household_id == household_id, Edition.status.in_(LIVE_STATUSES))
        .order_by(Edition.start_date.desc())
    ).first()
    return (EditionView.of(row[0]), row[1]) if row else None


def first_week_of(edition: EditionView, enrolment: Enrolment) -> int:
    """The first week a household takes part in: week 1, or the week it joined a running edition."""
    return max(1, weeks.last_started_week(edition.start_date, edition.weeks, enrolment.enrolled_at.date()))


def ensure_enrolment(
    session: Session, household_id: int, place: Place, today: date | None = None
) -> EditionView | None:
    """Enrol the household in the live edition of its commune during its sign-up window; idempotent."""
    edition = live_edition_for(session, place)
    if edition is None:
        return None
    found = session.scalar(
        select(Enrolment).where(Enrolment.edition_id == edition.id, Enrolment.household_id == household_id)
    )
    if found is None:
        if not edition.is_signup_open(today or clock.today()):
            return None
        session.add(Enrolment(edition_id=edition.id, household_id=household_id))
        session.flush()
    return edition


def closed_edition_of(session: Session, household_id: int) -> EditionView | None:
    """The closed edition a household last took part in, when it takes part in no live one."""
    if enrolment_of(session, household_id) is not None:
        return None
    edition = session.scalar(
        select(Edition)
        .join(Enrolment, Enrolment.edition_id == Edition.id)
        .where(Enrolment.household_id == household_id, Edition.status == EditionStatus.CLOSED)
        .order_by(Edition.start_date.desc())
    )
    return EditionView.of(edition) if edition else None


def closed_message(edition: EditionView) -> str:
    return _(
        "L'édition « {name} » est close : ses résultats restent consultables, "
        "mais les bilans et les collectifs ne peuvent plus changer."
    ).format(name=edition.name)


def refuse_if_closed(session: Session, edition_id: int) -> None:
    """A ValidationError when the edition is closed: a closed edition is read-only."""
    edition = session.get(Edition, edition_id)
    if edition is not None and edition.status == EditionStatus.CLOSED:
        raise ValidationError(closed_message(EditionView.of(edition)))


def published_editions(session: Session) -> list[EditionView]:
    """Every edition whose results may be shown (all but drafts): the live ones first (running,
    then open), then the closed ones; newest first within each."""
    query = (
        select(Edition)
        .where(Edition.status != EditionStatus.DRAFT)
        .order_by(Edition.start_date.desc(), Edition.id.desc())
    )
    rank: dict[str, int] = {EditionStatus.RUNNING: 0, EditionStatus.OPEN: 1, EditionStatus.CLOSED: 2}
    editions = [EditionView.of(e) for e in session.scalars(query)]
    return sorted(editions, key=lambda e: rank.get(e.status, 3))  # stable: newest first stays


def shown_edition(session: Session) -> EditionView | None:
    """The edition whose results the public pages show: the live one, else the last closed one."""
    return next(iter(published_editions(session)), None)
