"""The engagement part of a household's data export (right of access): choices, mails, follow-ups."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.models import FollowupAnswer, NotificationPreference, OutboxMessage

_MAIL_COLUMNS = ("kind", "to_address", "subject", "status", "created_at", "sent_at")


def engagement_records(
    session: Session, account_id: int, household_id: int | None
) -> dict[str, list[dict[str, Any]]]:
    """Reminder choices (never the calendar secret's hash), mails queued or sent, follow-up answers."""
    preference = session.get(NotificationPreference, account_id)
    choices = []
    if preference is not None:
        choices.append(
            {
                c.key: getattr(preference, c.key)
                for c in NotificationPreference.__table__.columns
                if c.key not in ("account_id", "calendar_token_hash")
            }
        )
    mails = [
        dict(zip(_MAIL_COLUMNS, row, strict=True))
        for row in session.execute(
            select(*(getattr(OutboxMessage, name) for name in _MAIL_COLUMNS))
            .where(OutboxMessage.account_id == account_id)
            .order_by(OutboxMessage.id)
        )
    ]
    answers = []
    if household_id is not None:
        answers = [
            {"edition_id": e, "months": m, "service": s, "answer": a, "answered_at": at}
            for e, m, s, a, at in session.execute(
                select(
                    FollowupAnswer.edition_id,
                    FollowupAnswer.months,
                    FollowupAnswer.service_slug,
                    FollowupAnswer.answer,
                    FollowupAnswer.answered_at,
                ).where(FollowupAnswer.household_id == household_id)
            )
        ]
    return {"rappels": choices, "mails": mails, "suivis": answers}
