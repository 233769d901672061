"""A private calendar feed per household: the weekly check-in as a recurring event (RFC 5545).

The feed's address holds a random secret; the database keeps only its SHA-256, so a copy of the
database gives no usable address. Regenerating the secret replaces the old address, revoking
it removes the feed. Phones then remind people on their own, without any push service.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event, vDuration
from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.i18n import _, use_locale
from challenge.core.weeks import moment_in_week
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import enrolment_of
from challenge.infra.db import Database
from challenge.infra.mail_settings import MailSettings
from challenge.mail.notifications import preference_row, preferences_of
from challenge.models import Account, Household, NotificationPreference, utcnow

EVENT_MINUTES = 15


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(db: Database, account_id: int) -> str:
    """A new secret for the account's feed; the previous address stops working at once."""
    token = secrets.token_urlsafe(24)

    def work(session: Session) -> None:
        row = preference_row(session, account_id)
        row.calendar_token_hash, row.calendar_created_at = _digest(token), utcnow()

    db.run_write(work, retry_conflicts=True)
    return token


def revoke_calendar_token(db: Database, account_id: int) -> bool:
    """Remove the feed; False if there was none."""

    def work(session: Session) -> bool:
        row = session.get(NotificationPreference, account_id)
        if row is None or row.calendar_token_hash is None:
            return False
        row.calendar_token_hash, row.calendar_created_at = None, None
        return True

    return db.run_write(work)


def calendar_created_at(session: Session, account_id: int) -> datetime | None:
    """When the account's current feed address was made, or None without a feed."""
    return session.scalar(
        select(NotificationPreference.calendar_created_at).where(
            NotificationPreference.account_id == account_id,
            NotificationPreference.calendar_token_hash.is_not(None),
        )
    )


def calendar_url(mail: MailSettings, token: str, seen: str = "") -> str:
    """The feed's address (on the public URL; on `seen`, the browser's, when none is set)."""
    return mail.link(f"/agenda/{token}.ics", seen)


def subscription_url(feed_url: str) -> str:
    """The same address as a calendar subscription (webcal://): phones open their calendar app."""
    scheme, _sep, rest = feed_url.partition("://")
    return f"webcal://{rest}" if scheme in ("http", "https") else feed_url


def calendar_for_token(db: Database, token: str, mail: MailSettings, now: datetime) -> bytes | None:
    """The feed behind this secret, or None (unknown, revoked, or no household)."""
    if not token or len(token) > 100:
        return None
    with db.read() as session:
        row = session.execute(
            select(Account.id, Account.locale, Household.id)
            .join(NotificationPreference, NotificationPreference.account_id == Account.id)
            .join(Household, Household.account_id == Account.id)
            .where(NotificationPreference.calendar_token_hash == _digest(token), Account.is_active.is_(True))
        ).first()
        if row is None:
            return None
        account_id, locale, household_id = row
        enrolment = enrolment_of(session, household_id)
        preferences = preferences_of(session, account_id)
    with use_locale(locale):
        calendar = _calendar(mail)
        if enrolment is not None:
            edition = enrolment[0]
            start = moment_in_week(edition.start_date, 1, preferences.weekday, preferences.hour)
            calendar.add_component(_checkin_event(edition, start, household_id, mail, now))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _calendar(mail: MailSettings) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Défi Zéro Gafam//Bilan hebdomadaire//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Défi Zéro Gafam"))
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(timedelta(hours=12)))
    return calendar


def _checkin_event(
    edition: EditionView, start: datetime, household_id: int, mail: MailSettings, now: datetime
) -> Event:
    link = mail.link("/bilan")
    summary = _("Bilan hebdomadaire du Défi Zéro Gafam")
    event = Event()
    # Stable per household and edition, without revealing the household's number.
    uid = hashlib.sha256(f"{edition.id}:{household_id}".encode()).hexdigest()[:24]
    event.add("uid", f"bilan-{uid}@defi-zero-gafam")
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=EVENT_MINUTES))
    event.add("rrule", {"freq": "weekly", "count": edition.weeks})
    event.add("summary", summary)
    event.add(
        "description", _("Une minute pour dire comment se passent vos changements : {link}").format(link=link)
    )
    event.add("url", link)
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(0))
    alarm.add("description", summary)
    event.add_component(alarm)
    return event


def event_calendar(
    *, uid: str, summary: str, start: datetime, minutes: int, location: str, description: str, now: datetime
) -> bytes:
    """One event as a calendar file to download (a help session), in the feed's calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//Défi Zéro Gafam//Aide pour changer//FR")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{uid}@defi-zero-gafam")
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
