"""A household's past editions: what it followed and switched in each, kept across editions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core import scoring
from challenge.core.vocabulary import EditionStatus
from challenge.editions.calendar import EditionView
from challenge.models import Checkin, Edition, Enrolment


@dataclass(frozen=True)
class PastEdition:
    edition: EditionView
    followed: int  # services the household checked in on during that edition
    switched: int  # of those, fully switched (or dropped) at the household's last check-in
    weeks_checked: int
    score: float  # 0-100, as on "Mon défi" at the end of that edition


def past_editions(session: Session, household_id: int) -> list[PastEdition]:
    """The closed editions the household took part in, newest first, each with its own figures."""
    editions = session.scalars(
        select(Edition)
        .join(Enrolment, Enrolment.edition_id == Edition.id)
        .where(Enrolment.household_id == household_id, Edition.status == EditionStatus.CLOSED)
        .order_by(Edition.start_date.desc(), Edition.id.desc())
    ).all()
    if not editions:
        return []
    rows = session.execute(
        select(Checkin.edition_id, Checkin.week, Checkin.service_slug, Checkin.status).where(
            Checkin.household_id == household_id, Checkin.edition_id.in_([e.id for e in editions])
        )
    ).all()
    history: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for edition_id, week, service, status in rows:
        history[edition_id].append((week, service, status))
    past = []
    for edition in editions:
        checkins = history[edition.id]
        followed = sorted({service for _, service, _ in checkins})
        latest = scoring.latest_statuses(checkins)
        past.append(
            PastEdition(
                edition=EditionView.of(edition),
                followed=len(followed),
                switched=scoring.switched_count(followed, latest),
                weeks_checked=len({week for week, _, _ in checkins}),
                score=scoring.degafam_score(followed, latest),
            )
        )
    return past
