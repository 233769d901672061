""" "Does it last?": 3 and 6 months after an edition closes, households say whether their switches held.

A follow-up concerns the services switched (or dropped) at the end of the edition, by the
household's latest check-in. The 3-month follow-up is open from 3 to 6 months after the last day
of the edition, the 6-month one from 6 to 9 months. Answers are upserted on their unique key: a
household may correct them while the follow-up is open.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from challenge.core import scoring
from challenge.core.errors import ValidationError
from challenge.core.i18n import _, lazy_gettext
from challenge.core.vocabulary import EditionStatus
from challenge.core.weeks import TIMEZONE
from challenge.editions.calendar import FOLLOWUP_MONTHS, EditionView
from challenge.infra.db import Database
from challenge.infra.upsert import upsert
from challenge.models import Checkin, Edition, Enrolment, FollowupAnswer, Household, utcnow

WINDOW_MONTHS = 3
ANSWERS = ("yes", "partly", "no")
ANSWER_LABELS = {"yes": lazy_gettext("Oui"), "partly": lazy_gettext("En partie"), "no": lazy_gettext("Non")}


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window(edition: EditionView, months: int) -> tuple[date, date]:
    """First day the follow-up is open, and the first day it is closed again."""
    return add_months(edition.end_date, months), add_months(edition.end_date, months + WINDOW_MONTHS)


def open_milestone(edition: EditionView, today: date) -> int | None:
    """The follow-up (3 or 6 months) open on `today` for a closed edition, if any."""
    if edition.status != EditionStatus.CLOSED:
        return None
    for months in FOLLOWUP_MONTHS:
        opens, closes = window(edition, months)
        if opens <= today < closes:
            return months
    return None


@dataclass(frozen=True)
class Followup:
    """A follow-up a household is invited to: the services switched at the end, its answers so far."""

    edition: EditionView
    months: int
    services: list[str]
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def is_complete(self) -> bool:
        return all(service in self.answers for service in self.services)


def switched_at_end(
    session: Session, edition_id: int, household_ids: list[int] | None = None
) -> dict[int, list[str]]:
    """household → services switched or dropped by its latest check-in of the edition."""
    query = select(Checkin.household_id, Checkin.week, Checkin.service_slug, Checkin.status).where(
        Checkin.edition_id == edition_id
    )
    if household_ids is not None:
        query = query.where(Checkin.household_id.in_(household_ids))
    histories: dict[int, list[tuple[int, str, str]]] = {}
    for household_id, week, service, status in session.execute(query):
        histories.setdefault(household_id, []).append((week, service, status))
    switched = {
        household: sorted(
            s for s, status in scoring.latest_statuses(history).items() if status in scoring.SWITCHED
        )
        for household, history in histories.items()
    }
    return {household: services for household, services in switched.items() if services}


def answers_of(session: Session, household_id: int, edition_id: int, months: int) -> dict[str, str]:
    rows = session.execute(
        select(FollowupAnswer.service_slug, FollowupAnswer.answer).where(
            FollowupAnswer.household_id == household_id,
            FollowupAnswer.edition_id == edition_id,
            FollowupAnswer.months == months,
        )
    )
    return {service: answer for service, answer in rows}


def followup_of(session: Session, household_id: int, edition: EditionView, today: date) -> Followup | None:
    """The follow-up open on `today` for this household and closed edition, if it switched anything."""
    months = open_milestone(edition, today)
    if months is None:
        return None
    services = switched_at_end(session, edition.id, [household_id]).get(household_id, [])
    if not services:
        return None
    return Followup(edition, months, services, answers_of(session, household_id, edition.id, months))


def due_followup(session: Session, household_id: int, today: date) -> Followup | None:
    """The most recent open follow-up of the household (answered or not), or None."""
    consent_withdrawn = session.scalar(
        select(Household.consent_withdrawn_at).where(Household.id == household_id)
    )
    if consent_withdrawn is not None:
        return None
    editions = session.scalars(
        select(Edition)
        .join(Enrolment, Enrolment.edition_id == Edition.id)
        .where(Enrolment.household_id == household_id, Edition.status == EditionStatus.CLOSED)
        .order_by(Edition.start_date.desc())
    )
    for edition in editions:
        found = followup_of(session, household_id, EditionView.of(edition), today)
        if found is not None:
            return found
    return None


def record_followup(
    db: Database, household_id: int, edition_id: int, months: int, answers: Mapping[str, str], today: date
) -> int:
    """Record the household's answers (every switched service, yes/partly/no); re-submitting updates."""

    def work(session: Session) -> int:
        edition = session.get(Edition, edition_id)
        followup = due_followup(session, household_id, today)
        if (
            edition is None
            or followup is None
            or followup.edition.id != edition_id
            or followup.months != months
        ):
            raise ValidationError(_("Ce suivi n'est pas ouvert en ce moment."))
        missing = [s for s in followup.services if answers.get(s) not in ANSWERS]
        if missing:
            raise ValidationError(_("Répondez pour chacun des services, s'il vous plaît."), field="answers")
        _upsert(session, household_id, followup, answers)
        return len(followup.services)

    return db.run_write(work)


def _upsert(session: Session, household_id: int, followup: Followup, answers: Mapping[str, str]) -> None:
    now = utcnow()
    rows = [
        {
            "edition_id": followup.edition.id,
            "household_id": household_id,
            "months": followup.months,
            "service_slug": service,
            "answer": answers[service],
            "answered_at": now,
        }
        for service in followup.services
    ]
    keys = ("edition_id", "household_id", "months", "service_slug")
    upsert(session, FollowupAnswer, rows, keys, replace=("answer", "answered_at"))


def answered_households(session: Session, edition_id: int, months: int) -> set[int]:
    return set(
        session.scalars(
            select(FollowupAnswer.household_id)
            .where(FollowupAnswer.edition_id == edition_id, FollowupAnswer.months == months)
            .group_by(FollowupAnswer.household_id)
            .having(func.count() > 0)
        )
    )


def closed_editions(session: Session) -> list[EditionView]:
    return [
        EditionView.of(e)
        for e in session.scalars(select(Edition).where(Edition.status == EditionStatus.CLOSED))
    ]


def window_end(edition: EditionView, months: int) -> datetime:
    """The local instant the follow-up closes (invitations expire then)."""
    return datetime.combine(window(edition, months)[1], datetime.min.time(), tzinfo=TIMEZONE)
