"""Commands `send-reminders` and `send-followups`: queue what is due, then deliver the outbox."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from challenge.core.errors import ChallengeError
from challenge.infra.config import Settings, current_settings
from challenge.infra.db import Database
from challenge.mail.followup_invitations import queue_followup_invitations
from challenge.mail.outbox import DeliveryReport, deliver_due
from challenge.mail.reminders import queue_weekly_mails
from challenge.mail.transport import SmtpTransport
from challenge.models import utcnow


def _now(args: argparse.Namespace) -> datetime:
    if not args.now:
        return utcnow()
    moment = datetime.fromisoformat(args.now)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def deliver(db: Database, settings: Settings, now: datetime) -> DeliveryReport:
    """Send every due mail of the outbox (whatever feature queued it) through the SMTP relay."""
    if not settings.mail.can_send:
        raise ChallengeError("DZG_SMTP_HOST n'est pas configuré : les mails restent dans la file d'envoi.")
    with SmtpTransport(settings.mail) as transport:
        return deliver_due(db, transport, settings.mail.sender, now)


def cmd_send_reminders(db: Database, args: argparse.Namespace) -> None:
    settings, now = current_settings(), _now(args)
    print(f"Queued {queue_weekly_mails(db, settings, now)} reminder(s) and digest(s).")
    if not args.queue_only:
        print(f"Outbox: {deliver(db, settings, now)}.")


def cmd_send_followups(db: Database, args: argparse.Namespace) -> None:
    settings, now = current_settings(), _now(args)
    print(f"Queued {queue_followup_invitations(db, settings, now)} follow-up invitation(s).")
    if not args.queue_only:
        print(f"Outbox: {deliver(db, settings, now)}.")


def add_commands(commands: Any) -> None:
    """Register the commands on the CLI's subparsers."""
    for name, run, what in (
        ("send-reminders", cmd_send_reminders, "weekly reminders and captains' digests (run hourly)"),
        ("send-followups", cmd_send_followups, "invitations to the 3- and 6-month follow-ups (run daily)"),
    ):
        command = commands.add_parser(name, help=f"{what}, then send the outbox; idempotent")
        command.add_argument("--now", help="ISO date-time to act as the current time (tests, catch-up)")
        command.add_argument("--queue-only", action="store_true", help="queue the mails, send nothing")
        command.set_defaults(run=run)
