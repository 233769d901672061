"""Sending the outbox right away, for mails a person is waiting for (a password-reset link)."""

from __future__ import annotations

import logging

from challenge.infra.db import Database
from challenge.infra.mail_settings import MailSettings
from challenge.mail.outbox import DeliveryReport, deliver_due
from challenge.mail.transport import SmtpTransport
from challenge.models import utcnow

logger = logging.getLogger(__name__)


def deliver_now(db: Database, mail: MailSettings) -> DeliveryReport | None:
    """Send what is due now; None when no SMTP relay is configured (the cron sends it later).

    Safe next to the cron's run: each row is claimed by one sender only (challenge.mail.outbox).
    """
    if not mail.can_send:
        return None
    try:
        with SmtpTransport(mail) as transport:
            return deliver_due(db, transport, mail.sender, utcnow())
    except Exception as error:  # runs after the answer: log it, the cron retries the row
        logger.warning("immediate delivery failed: %s: %s", type(error).__name__, error)
        return None
