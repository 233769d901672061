"""The outbox: each mail once, failures retried with backoff, safe under concurrent senders."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from challenge.infra.db import Database
from challenge.mail.outbox import FIRST_RETRY, MAX_ATTEMPTS, Mail, deliver_due, enqueue, statuses
from challenge.mail.transport import SmtpTransport
from challenge.models import OutboxMessage
from tests.integration.engagement_helpers import SENDER, mail_settings
from tests.support.mailbox import Mailbox, smtp_server

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as server:
        yield server


def _mail(key: str, **changes: object) -> Mail:
    fields: dict[str, object] = {
        "dedupe_key": key,
        "kind": "test",
        "to_address": "camille@exemple.fr",
        "subject": f"Message {key}",
        "body": "Bonjour,\nun message de test.",
    }
    fields.update(changes)
    return Mail(**fields)  # type: ignore[arg-type]


def _queue(db: Database, *mails: Mail, now: datetime = NOW) -> list[bool]:
    with db.write() as session:
        return [enqueue(session, mail, now) for mail in mails]


def _deliver(db: Database, mailbox: Mailbox, now: datetime = NOW):  # type: ignore[no-untyped-def]
    with SmtpTransport(mail_settings(mailbox)) as transport:
        return deliver_due(db, transport, SENDER, now)


def test_enqueue_twice_with_the_same_key_queues_one_mail(db: Database) -> None:
    assert _queue(db, _mail("a"), _mail("a"), _mail("b")) == [True, False, True]
    assert statuses(db) == {"a": "pending", "b": "pending"}


def test_a_mail_from_another_feature_is_sent_as_plain_text_without_unsubscribe_header(
    db: Database, mailbox: Mailbox
) -> None:
    _queue(db, _mail("invitation:1", kind="council_invitation", body="Rejoignez le tableau de bord : é ç"))
    assert _deliver(db, mailbox).sent == 1
    [message] = mailbox.messages
    assert message.get_content().strip() == "Rejoignez le tableau de bord : é ç"
    assert "List-Unsubscribe" not in message
    assert message["Message-ID"].endswith("@exemple.fr>")


def test_a_failed_delivery_is_retried_after_a_growing_delay_then_sent_once(
    db: Database, mailbox: Mailbox
) -> None:
    _queue(db, _mail("a"))
    mailbox.refuse = "451 4.3.0 Try again later"
    assert _deliver(db, mailbox).retried == 1
    with db.read() as session:
        row = session.scalars(select(OutboxMessage)).one()
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, NOW + FIRST_RETRY)
    assert "451" in (row.last_error or "")
    mailbox.refuse = None
    assert _deliver(db, mailbox, NOW + FIRST_RETRY / 2).sent == 0  # not yet due
    assert _deliver(db, mailbox, NOW + FIRST_RETRY).sent == 1
    assert _deliver(db, mailbox, NOW + FIRST_RETRY * 10).sent == 0
    assert len(mailbox.messages) == 1
    assert statuses(db) == {"a": "sent"}


def test_a_mail_failing_every_attempt_is_given_up(db: Database, mailbox: Mailbox) -> None:
    _queue(db, _mail("a"))
    mailbox.refuse = "451 4.3.0 Try again later"
    moment = NOW
    for _ in range(MAX_ATTEMPTS):
        _deliver(db, mailbox, moment)
        moment += timedelta(days=1)
    assert statuses(db) == {"a": "failed"}


def test_a_refused_address_fails_at_once(db: Database, mailbox: Mailbox) -> None:
    _queue(db, _mail("a"))
    mailbox.refuse_recipient = "550 5.1.1 No such user"
    report = _deliver(db, mailbox)
    assert (report.failed, report.retried) == (1, 0)
    assert statuses(db) == {"a": "failed"}


def test_an_unreachable_server_keeps_the_mail_for_later(db: Database) -> None:
    _queue(db, _mail("a"))
    unreachable = Mailbox(port=1)  # nothing listens there
    with SmtpTransport(mail_settings(unreachable)) as transport:
        assert deliver_due(db, transport, SENDER, NOW).retried == 1
    assert statuses(db) == {"a": "pending"}


def test_expired_and_interrupted_mails_are_never_sent(db: Database, mailbox: Mailbox) -> None:
    _queue(db, _mail("old", expires_at=NOW - timedelta(minutes=1)), _mail("crashed"))
    with db.write() as session:  # a sender died after claiming it: the mail may have left
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == "crashed")
            .values(status="sending", claimed_at=NOW - timedelta(hours=1))
        )
    report = _deliver(db, mailbox)
    assert (report.sent, report.expired, report.interrupted) == (0, 1, 1)
    assert statuses(db) == {"old": "expired", "crashed": "interrupted"}
    assert mailbox.messages == []


def test_concurrent_senders_send_each_mail_exactly_once(db: Database, mailbox: Mailbox) -> None:
    _queue(db, *(_mail(f"m{i}") for i in range(24)))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            _deliver(db, mailbox)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    subjects = sorted(str(message["Subject"]) for message in mailbox.messages)
    assert subjects == sorted(f"Message m{i}" for i in range(24))
    assert set(statuses(db).values()) == {"sent"}
