"""Retention: inactive accounts are warned, then deleted; old log-in records are dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update

from challenge.accounts import account_tokens, budgets, throttle
from challenge.accounts.security_log import log_event
from challenge.counts import upkeep
from challenge.households import member_access
from challenge.households.mail_traces import purge_settled_mail, redact_names
from challenge.infra.db import Database
from challenge.models import Account, Household, LoginSession

INACTIVE_AFTER = timedelta(days=730)  # two years without logging in
NOTICE = timedelta(days=30)  # between the warning and the deletion
# A password account whose address was never confirmed, and that nobody used for this long, is
# deleted (no warning: no address to warn). One in use is kept, it just gets no mail.
UNCONFIRMED_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class RetentionReport:
    warned: int
    deleted: int
    sessions_dropped: int
    failures_dropped: int
    mails_dropped: int = 0

    def __str__(self) -> str:
        return (
            f"{self.warned} account(s) warned, {self.deleted} deleted, "
            f"{self.sessions_dropped} old session record(s), {self.failures_dropped} failure(s) "
            f"and {self.mails_dropped} settled mail(s) dropped"
        )


def purge_inactive(db: Database, now: datetime, log_retention: timedelta) -> RetentionReport:
    """Apply the retention policy once; safe to schedule daily (idempotent for a given `now`).

    An account idle for two years is warned (the reminder mail goes out with the mailing
    feature; until then the warning is logged and shown at the next log-in); logging in clears
    the warning. Thirty days after the warning, a still idle account is deleted with all its
    household's rows. A password account never confirmed and unused for UNCONFIRMED_AFTER is
    deleted too.
    """
    last_activity = func.coalesce(Account.last_login_at, Account.created_at)
    with db.write() as session:
        to_delete = list(
            session.scalars(
                select(Account.id).where(
                    Account.deletion_warned_at.is_not(None),
                    Account.deletion_warned_at <= now - NOTICE,
                    last_activity < Account.deletion_warned_at,
                )
            )
        )
        unconfirmed = list(
            session.scalars(
                select(Account.id).where(
                    Account.email_confirmed_at.is_(None),
                    Account.password_hash.is_not(None),
                    Account.created_at <= now - UNCONFIRMED_AFTER,
                    last_activity <= now - UNCONFIRMED_AFTER,
                )
            )
        )
        for account_id in unconfirmed:
            log_event("account_deleted_unconfirmed", account_id=account_id)
        to_delete = sorted(set(to_delete) | set(unconfirmed))
        households = session.scalars(select(Household.id).where(Household.account_id.in_(to_delete))).all()
        names = session.scalars(select(Household.name).where(Household.account_id.in_(to_delete))).all()
        redact_names(session, list(names))  # their pseudonyms leave other accounts' mails
        with upkeep.tracking(session, households):  # their counts leave the aggregates
            for account_id in to_delete:
                session.delete(session.get_one(Account, account_id))
        for account_id in to_delete:
            log_event("account_deleted_for_inactivity", account_id=account_id)
        to_warn = list(
            session.scalars(
                select(Account.id).where(
                    Account.deletion_warned_at.is_(None), last_activity < now - INACTIVE_AFTER
                )
            )
        )
        if to_warn:
            session.execute(update(Account).where(Account.id.in_(to_warn)).values(deletion_warned_at=now))
        for account_id in to_warn:
            log_event("account_warned_for_inactivity", account_id=account_id)
        sessions = session.execute(
            delete(LoginSession).where(
                or_(
                    LoginSession.expires_at < now - log_retention,
                    and_(LoginSession.revoked_at.is_not(None), LoginSession.revoked_at < now - log_retention),
                )
            )
        )
        failures = throttle.forget_old_failures(session, now) + budgets.forget_old_attempts(session, now)
        account_tokens.forget_spent_tokens(session, now)
        member_access.forget_spent_invitations(session, now)
        mails = purge_settled_mail(session, now)
        return RetentionReport(
            len(to_warn), len(to_delete), int(getattr(sessions, "rowcount", 0) or 0), failures, mails
        )
