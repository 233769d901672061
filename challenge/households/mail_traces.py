"""What the outbox keeps about households: nothing once a household is erased, nothing for ever.

A captain's weekly digest names the members who have not checked in yet; once one of them erases
its account, its pseudonym must not stay in that mail, queued or sent. And a mail, once sent or
given up, is kept only `OUTBOX_RETENTION` (for the organiser to see what left), then deleted.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from challenge.models import OutboxMessage

OUTBOX_RETENTION = timedelta(days=30)
REDACTED = "[foyer effacé]"
_SETTLED = ("sent", "failed", "expired", "interrupted")


def redact_names(session: Session, names: list[str]) -> int:
    """Replace every mention of these household names in any outbox row; returns the rows changed."""
    changed = 0
    for name in {n.strip() for n in names if n and n.strip()}:
        mention = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        rows = session.scalars(
            select(OutboxMessage).where(
                or_(
                    OutboxMessage.body.contains(name, autoescape=True),
                    OutboxMessage.subject.contains(name, autoescape=True),
                )
            )
        )
        for row in rows:
            body, subject = mention.sub(REDACTED, row.body), mention.sub(REDACTED, row.subject)
            if (body, subject) != (row.body, row.subject):
                row.body, row.subject = body, subject
                changed += 1
    return changed


def purge_settled_mail(session: Session, now: datetime) -> int:
    """Delete the mails sent, failed or expired more than OUTBOX_RETENTION ago."""
    settled_at = func.coalesce(OutboxMessage.sent_at, OutboxMessage.next_attempt_at, OutboxMessage.created_at)
    result = session.execute(
        delete(OutboxMessage).where(OutboxMessage.status.in_(_SETTLED), settled_at < now - OUTBOX_RETENTION)
    )
    return int(getattr(result, "rowcount", 0) or 0)
