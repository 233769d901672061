"""Turning an outbox row into a MIME message, and handing it to an SMTP relay."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from types import TracebackType
from typing import Protocol

from challenge.infra.mail_settings import MailSettings
from challenge.mail.account_texts import ACCOUNT_KINDS, plain_to_html
from challenge.models import OutboxMessage

SMTP_TIMEOUT_S = 30


class PermanentFailure(Exception):
    """The relay refused the address for good (5xx): retrying would not help."""


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


def build_message(row: OutboxMessage, sender: str, now: datetime) -> EmailMessage:
    """Plain text, UTF-8, with RFC 8058 one-click unsubscribe headers when the row has a link;
    account mails also carry the same text as HTML (they quote no user text)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(now)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=f"dzg-{row.id}", domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    if row.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(row.body, charset="utf-8")
    if row.kind in ACCOUNT_KINDS:
        message.add_alternative(plain_to_html(row.body), subtype="html", charset="utf-8")
    return message


class SmtpTransport:
    """One SMTP connection for a run, opened on first use and reopened after a failure."""

    def __init__(self, settings: MailSettings) -> None:
        if not settings.smtp_host:
            raise ValueError("no SMTP host configured")
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.settings.smtp_host or "", self.settings.smtp_port, timeout=SMTP_TIMEOUT_S)
        try:
            smtp.ehlo()
            if self.settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if self.settings.smtp_user:
                smtp.login(self.settings.smtp_user, self.settings.smtp_password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            self._reset()
            if all(code >= 500 for code, _ in error.recipients.values()):
                raise PermanentFailure(f"address refused: {error.recipients}") from error
            raise
        except (smtplib.SMTPException, OSError):
            self._reset()
            raise

    def _reset(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
