"""Shared set-up of the engagement tests: mail settings pointing at a loopback SMTP server, clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import update

from challenge.core.weeks import TIMEZONE
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.infra.mail_settings import MailSettings
from challenge.mail.notifications import Preferences, save_preferences
from challenge.models import Edition
from tests.conftest import Member
from tests.support.mailbox import Mailbox

PUBLIC_URL = "https://defi.exemple.fr"
SENDER = "Défi Zéro Gafam <defi@exemple.fr>"


def mail_settings(mailbox: Mailbox | None = None) -> MailSettings:
    return MailSettings(
        smtp_host=mailbox.host if mailbox else None,
        smtp_port=mailbox.port if mailbox else 587,
        smtp_starttls=False,
        sender=SENDER,
        public_url=PUBLIC_URL,
    )


def settings_for(db: Database, mailbox: Mailbox | None = None) -> Settings:
    return Settings(database_url=db.url, cookie_secret="test-secret-" + "x" * 40, mail=mail_settings(mailbox))


def local_moment(edition: EditionView, week: int, weekday: int, hour: int, minute: int = 0) -> datetime:
    """A frozen clock: `weekday` of the edition's `week`, at hour:minute in Paris, as UTC."""
    first = edition.start_date + timedelta(days=7 * (week - 1))
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    return datetime.combine(day, time(hour, minute), tzinfo=TIMEZONE).astimezone(UTC)


def want_reminders(
    db: Database, account_id: int, weekday: int = 2, hour: int = 18, digest: bool = False
) -> None:
    save_preferences(db, account_id, Preferences(True, weekday, hour, digest, True))


def close_edition(db: Database, edition_id: int) -> None:
    with db.write() as session:
        session.execute(update(Edition).where(Edition.id == edition_id).values(status="closed"))


def day_in_week(edition: EditionView, week: int) -> date:
    return edition.start_date + timedelta(days=7 * (week - 1) + 1)


def switch_services(db: Database, edition: EditionView, who: Member, statuses: dict[str, str]) -> None:
    """Declare these services and check them in, in week 3, with these statuses."""
    save_service_plan(db, who.household_id, {service: [] for service in statuses})
    entries = [CheckinEntry(service, status) for service, status in statuses.items()]
    record_checkin(db, who.household_id, 3, entries, day_in_week(edition, 3))
