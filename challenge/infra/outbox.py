"""The transactional outbox's door: any layer queues a mail in its own transaction, once.

Only queuing lives here, so that a domain rule (a team pledge that triggers during a check-in)
can write its notice in the same transaction as the change; sending is challenge.mail.outbox's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from challenge.infra.upsert import insert_once
from challenge.models import OutboxMessage

PENDING = "pending"


@dataclass(frozen=True)
class Mail:
    """A plain-text mail to queue; `dedupe_key` names it uniquely (e.g. "reminder:E:H:w3")."""

    dedupe_key: str
    kind: str
    to_address: str
    subject: str
    body: str
    account_id: int | None = None
    unsubscribe_url: str | None = None
    expires_at: datetime | None = None


def enqueue(session: Session, mail: Mail, now: datetime) -> bool:
    """Queue `mail` in the caller's transaction; False if its dedupe key was already queued."""
    values = {
        "dedupe_key": mail.dedupe_key,
        "kind": mail.kind,
        "account_id": mail.account_id,
        "to_address": mail.to_address,
        "subject": mail.subject[:200],
        "body": mail.body,
        "unsubscribe_url": mail.unsubscribe_url,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "expires_at": mail.expires_at,
        "created_at": now,
    }
    return insert_once(session, OutboxMessage, values, "dedupe_key")  # False: the key was already queued
