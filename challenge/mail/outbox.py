"""The mail outbox: any feature enqueues a mail once; `deliver_due` sends each at most once.

A mail is written in the caller's transaction (`enqueue`), keyed by a unique dedupe key: a second
enqueue of the same key (a re-run, a concurrent run) changes nothing. Delivery claims one row at
a time with a conditional UPDATE (pending → sending) in its own transaction, so that two senders
running together never both own a row; a failure puts the row back with a growing delay, a
refusal of the address or the last attempt marks it failed. A row left "sending" by a process
that died mid-send is never retried (the mail may have left): it is marked interrupted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from challenge.infra.db import Database
from challenge.infra.outbox import Mail, enqueue
from challenge.mail.account_texts import LINK_KINDS
from challenge.mail.transport import PermanentFailure, Transport, build_message
from challenge.models import OutboxMessage

__all__ = ["DeliveryReport", "Mail", "deliver_due", "enqueue"]

PENDING, SENDING, SENT, FAILED, EXPIRED, INTERRUPTED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "expired",
    "interrupted",
)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=5)  # then 10, 20, 40, 80 minutes
STALE_CLAIM = timedelta(minutes=15)
LINK_REMOVED = "[lien à usage unique retiré après l'envoi]"
logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    interrupted: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.retried} to retry, {self.failed} failed, "
            f"{self.expired} expired, {self.interrupted} interrupted"
        )


def _changed(session: Session, statement: Any) -> int:
    return cast(
        "CursorResult[Any]", session.execute(statement.execution_options(synchronize_session=False))
    ).rowcount


def _sweep(db: Database, now: datetime, report: DeliveryReport) -> None:
    """Expire mails no longer worth sending; give up on claims of senders that died mid-send."""

    def work(session: Session) -> None:
        report.expired += _changed(
            session,
            update(OutboxMessage)
            .where(OutboxMessage.status == PENDING, OutboxMessage.expires_at <= now)
            .values(status=EXPIRED),
        )
        _changed(
            session,
            update(OutboxMessage)
            .where(
                OutboxMessage.status.in_((EXPIRED, INTERRUPTED)),
                OutboxMessage.kind.in_(LINK_KINDS),
                OutboxMessage.body != LINK_REMOVED,
            )
            .values(body=LINK_REMOVED),
        )
        report.interrupted += _changed(
            session,
            update(OutboxMessage)
            .where(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < now - STALE_CLAIM)
            .values(
                status=INTERRUPTED, last_error="interrupted while sending: not retried, it may have left"
            ),
        )

    db.run_write(work)


def _claim(db: Database, message_id: int, now: datetime) -> OutboxMessage | None:
    """Own this row (pending → sending) or learn that another sender does."""

    def work(session: Session) -> OutboxMessage | None:
        claimed = _changed(
            session,
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == PENDING,
                OutboxMessage.next_attempt_at <= now,
            )
            .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1),
        )
        return session.get(OutboxMessage, message_id, populate_existing=True) if claimed else None

    return db.run_write(work)


def _settle(db: Database, message: OutboxMessage, now: datetime, error: Exception | None) -> str:
    if error is None:
        status, next_at, note = SENT, message.next_attempt_at, None
    elif isinstance(error, PermanentFailure) or message.attempts >= MAX_ATTEMPTS:
        status, next_at, note = FAILED, message.next_attempt_at, str(error)[:500]
    else:
        status, next_at, note = PENDING, now + FIRST_RETRY * 2 ** (message.attempts - 1), str(error)[:500]

    settled = {"body": LINK_REMOVED} if message.kind in LINK_KINDS and status != PENDING else {}

    def work(session: Session) -> None:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id, OutboxMessage.status == SENDING)
            .values(
                status=status,
                next_attempt_at=next_at,
                last_error=note,
                sent_at=now if status == SENT else None,
                **settled,  # a single-use link is not kept once it left (or never will)
            )
        )

    db.run_write(work)
    return status


def deliver_due(
    db: Database, transport: Transport, sender: str, now: datetime, limit: int = 1000
) -> DeliveryReport:
    """Send the mails due at `now` through `transport`, each at most once; safe to run concurrently."""
    report = DeliveryReport()
    _sweep(db, now, report)
    with db.read() as session:
        due = list(
            session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
        )
    for message_id in due:
        message = _claim(db, message_id, now)
        if message is None:
            continue
        error: Exception | None = None
        try:
            transport.send(build_message(message, sender, now))
        except Exception as failure:  # SMTP, network or TLS: the row records it, the run goes on
            logger.warning("mail %s not sent: %s: %s", message.id, type(failure).__name__, failure)
            error = failure
        status = _settle(db, message, now, error)
        report.sent += status == SENT
        report.failed += status == FAILED
        report.retried += status == PENDING
    return report


def statuses(db: Database, dedupe_prefix: str = "") -> dict[str, str]:
    """dedupe key → status, for operators and tests."""
    with db.read() as session:
        rows = session.execute(
            select(OutboxMessage.dedupe_key, OutboxMessage.status).where(
                OutboxMessage.dedupe_key.startswith(dedupe_prefix)
            )
        )
        return {key: status for key, status in rows}
