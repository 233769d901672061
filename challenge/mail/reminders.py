"""Weekly reminders to households that have not checked in, and the captains' weekly digest.

Both are opt-in (challenge.notifications), sent on the day and from the hour each account chose
(in the challenge's time zone), at most once per edition week: the outbox's dedupe key is
"<kind>:<edition>:<household or team>:w<week>". A run may come late (an hourly cron that
skipped): the mail still goes out later in the same week, never after it (it expires).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from challenge.core.i18n import use_locale
from challenge.core.vocabulary import EditionStatus, Role
from challenge.core.weeks import local_now, moment_in_week, week_end
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import first_week_of
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.mail import texts
from challenge.mail.notifications import DIGEST, REMINDER, unsubscribe_url
from challenge.mail.outbox import Mail, enqueue
from challenge.models import (
    Account,
    Checkin,
    Edition,
    Enrolment,
    Household,
    NotificationPreference,
    RoleGrant,
)
from challenge.teams.stats import team_board


@dataclass(frozen=True)
class Recipient:
    account_id: int
    email: str
    locale: str
    household_id: int
    household_name: str
    weekday: int
    hour: int


@dataclass(frozen=True)
class Slot:
    """The edition week a mail is for, and when it stops being worth sending."""

    edition: EditionView
    week: int
    expires_at: datetime


def due_slot(edition: EditionView, weekday: int, hour: int, now: datetime) -> Slot | None:
    """The current week if the recipient's moment in it has come, else None."""
    week = edition.current_week(local_now(now).date())
    if week is None or edition.status != EditionStatus.RUNNING:
        return None
    ends = week_end(edition.start_date, week)
    if not moment_in_week(edition.start_date, week, weekday, hour) <= now < ends:
        return None
    return Slot(edition, week, ends)


def _recipients(session: Session, wanted: ColumnElement[bool]) -> list[tuple[Recipient, Edition, Enrolment]]:
    rows = session.execute(
        select(
            Account.id,
            Account.email,
            Account.locale,
            Household.id,
            Household.name,
            NotificationPreference.reminder_weekday,
            NotificationPreference.reminder_hour,
            Edition,
            Enrolment,
        )
        .join(NotificationPreference, NotificationPreference.account_id == Account.id)
        .join(Household, Household.account_id == Account.id)
        .join(Enrolment, Enrolment.household_id == Household.id)
        .join(Edition, Edition.id == Enrolment.edition_id)
        .where(
            wanted,
            Account.is_active.is_(True),
            Account.email_confirmed_at.is_not(None),  # never to an address nobody proved to read
            Household.consent_withdrawn_at.is_(None),
            Edition.status == EditionStatus.RUNNING,
        )
        .order_by(Account.id)
    )
    return [(Recipient(*row[:7]), row[7], row[8]) for row in rows]


def _checked_in(session: Session, edition_id: int, week: int) -> set[int]:
    return set(
        session.scalars(
            select(Checkin.household_id)
            .where(Checkin.edition_id == edition_id, Checkin.week == week)
            .distinct()
        )
    )


def queue_reminders(session: Session, settings: Settings, now: datetime) -> int:
    """Enqueue the reminders due at `now`; returns how many were new."""
    queued, checked = 0, {}
    for who, edition_row, enrolment in _recipients(session, NotificationPreference.reminders.is_(True)):
        edition = EditionView.of(edition_row)
        slot = due_slot(edition, who.weekday, who.hour, now)
        if slot is None or slot.week < first_week_of(edition, enrolment):
            continue
        key = (edition.id, slot.week)
        if key not in checked:
            checked[key] = _checked_in(session, *key)
        if who.household_id in checked[key]:
            continue
        link = unsubscribe_url(settings.mail, settings.cookie_secret, who.account_id, REMINDER)
        with use_locale(who.locale):
            subject, body = texts.reminder(settings.mail, who.household_name, edition.name, slot.week, link)
        mail = Mail(
            f"{REMINDER}:{edition.id}:{who.household_id}:w{slot.week}",
            REMINDER,
            who.email,
            subject,
            body,
            who.account_id,
            link,
            slot.expires_at,
        )
        queued += enqueue(session, mail, now)
    return queued


def queue_digests(session: Session, settings: Settings, now: datetime) -> int:
    """Enqueue the captains' digests due at `now`; returns how many were new."""
    queued = 0
    for who, edition_row, enrolment in _recipients(session, NotificationPreference.captain_digest.is_(True)):
        if enrolment.team_id is None or not _is_captain(session, who.account_id, enrolment.team_id):
            continue
        edition = EditionView.of(edition_row)
        slot = due_slot(edition, who.weekday, who.hour, now)
        if slot is None:
            continue
        board = team_board(session, who.household_id, enrolment.team_id, local_now(now).date())
        link = unsubscribe_url(settings.mail, settings.cookie_secret, who.account_id, DIGEST)
        with use_locale(who.locale):
            subject, body = texts.digest(settings.mail, board, link)
        key = f"{DIGEST}:{edition.id}:{enrolment.team_id}:{who.household_id}:w{slot.week}"
        mail = Mail(key, DIGEST, who.email, subject, body, who.account_id, link, slot.expires_at)
        queued += enqueue(session, mail, now)
    return queued


def _is_captain(session: Session, account_id: int, team_id: int) -> bool:
    grant = session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.role == Role.CAPTAIN, RoleGrant.team_id == team_id, RoleGrant.account_id == account_id
        )
    )
    return grant is not None


def queue_weekly_mails(db: Database, settings: Settings, now: datetime) -> int:
    """Reminders and digests due at `now`, in one transaction; re-running adds nothing."""
    return db.run_write(
        lambda session: queue_reminders(session, settings, now) + queue_digests(session, settings, now)
    )
