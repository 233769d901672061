"""Invite households to the open follow-ups, once each, through the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from challenge.core.i18n import use_locale
from challenge.core.weeks import local_now
from challenge.editions.calendar import EditionView
from challenge.households.followups import (
    answered_households,
    closed_editions,
    open_milestone,
    switched_at_end,
    window_end,
)
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.mail import texts
from challenge.mail.notifications import FOLLOWUP, unsubscribe_url
from challenge.mail.outbox import Mail, enqueue
from challenge.models import Account, Enrolment, Household, NotificationPreference


def _invitees(session: Session, edition_id: int) -> list[tuple[int, str, str, int, str]]:
    """(account, e-mail, locale, household, name) of the edition's households that accept follow-ups."""
    rows = session.execute(
        select(Account.id, Account.email, Account.locale, Household.id, Household.name)
        .join(Household, Household.account_id == Account.id)
        .join(Enrolment, Enrolment.household_id == Household.id)
        .outerjoin(NotificationPreference, NotificationPreference.account_id == Account.id)
        .where(
            Enrolment.edition_id == edition_id,
            Account.is_active.is_(True),
            Account.email_confirmed_at.is_not(None),  # never to an address nobody proved to read
            Household.consent_withdrawn_at.is_(None),
            func.coalesce(NotificationPreference.followups, False).is_(True),  # opted in only
        )
        .order_by(Household.id)
    )
    return [(a, e, loc, h, n) for a, e, loc, h, n in rows]


def _queue_for(session: Session, settings: Settings, edition: EditionView, months: int, now: datetime) -> int:
    switched = switched_at_end(session, edition.id)
    answered = answered_households(session, edition.id, months)
    queued = 0
    for account_id, email, locale, household_id, name in _invitees(session, edition.id):
        if household_id not in switched or household_id in answered:
            continue
        link = unsubscribe_url(settings.mail, settings.cookie_secret, account_id, FOLLOWUP)
        with use_locale(locale):
            subject, body = texts.followup_invitation(settings.mail, name, edition.name, months, link)
        mail = Mail(
            f"{FOLLOWUP}:{edition.id}:{household_id}:m{months}",
            FOLLOWUP,
            email,
            subject,
            body,
            account_id,
            link,
            window_end(edition, months),
        )
        queued += enqueue(session, mail, now)
    return queued


def queue_followup_invitations(db: Database, settings: Settings, now: datetime) -> int:
    """Enqueue the invitations to every follow-up open at `now`; re-running adds nothing."""

    def work(session: Session) -> int:
        today = local_now(now).date()
        queued = 0
        for edition in closed_editions(session):
            months = open_milestone(edition, today)
            if months is not None:
                queued += _queue_for(session, settings, edition, months, now)
        return queued

    return db.run_write(work)
