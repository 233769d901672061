"""Weekly reminders and captains' digests through the outbox, delivered to a real SMTP server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from challenge.cli.commands import main
from challenge.editions.calendar import EditionView
from challenge.households import rights
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.mail_traces import OUTBOX_RETENTION
from challenge.households.profile import save_service_plan
from challenge.households.retention import purge_inactive
from challenge.infra.db import Database
from challenge.mail.notifications import Preferences, save_preferences
from challenge.mail.outbox import deliver_due
from challenge.mail.reminders import queue_weekly_mails
from challenge.mail.transport import SmtpTransport
from challenge.models import Account, OutboxMessage
from challenge.teams.membership import create_team, join_team
from tests.conftest import Member, make_member
from tests.integration.engagement_helpers import (
    PUBLIC_URL,
    SENDER,
    day_in_week,
    local_moment,
    settings_for,
    want_reminders,
)
from tests.support.mailbox import Mailbox, smtp_server


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as server:
        yield server


def _deliver(db: Database, mailbox: Mailbox, now):  # type: ignore[no-untyped-def]
    with SmtpTransport(settings_for(db, mailbox).mail) as transport:
        return deliver_due(db, transport, SENDER, now)


def test_reminder_is_sent_once_with_one_click_unsubscribe_headers(
    db: Database, edition: EditionView, member: Member, mailbox: Mailbox
) -> None:
    want_reminders(db, member.account_id, weekday=2, hour=18)
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5)
    settings = settings_for(db, mailbox)
    assert queue_weekly_mails(db, settings, now) == 1
    assert queue_weekly_mails(db, settings, now + timedelta(hours=1)) == 0  # re-run: nothing new
    assert _deliver(db, mailbox, now).sent == 1
    assert _deliver(db, mailbox, now + timedelta(hours=1)).sent == 0
    [mail] = mailbox.messages
    assert mail["To"] == "colibri@exemple.fr"
    assert mail["From"] == SENDER
    assert "semaine 3" in mail["Subject"]
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail["Auto-Submitted"] == "auto-generated"
    unsubscribe = mail["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{PUBLIC_URL}/desabonnement/")
    assert unsubscribe.endswith(">")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = mail.get_content()
    assert "Bonjour Les Colibris," in body
    assert f"{PUBLIC_URL}/bilan" in body
    assert unsubscribe[1:-1] in body


def test_no_reminder_before_the_chosen_moment_after_a_check_in_or_without_opt_in(
    db: Database, edition: EditionView, member: Member
) -> None:
    settings = settings_for(db)
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5)
    assert queue_weekly_mails(db, settings, now) == 0  # reminders are off by default
    want_reminders(db, member.account_id, weekday=2, hour=19)
    assert queue_weekly_mails(db, settings, now) == 0  # 18:05, the household chose 19:00
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
    record_checkin(db, member.household_id, 3, [CheckinEntry("gmail", "tried")], day_in_week(edition, 3))
    assert queue_weekly_mails(db, settings, now + timedelta(hours=2)) == 0  # already checked in
    assert queue_weekly_mails(db, settings, local_moment(edition, 4, 2, 19, 1)) == 1  # next week


def test_a_late_run_still_reminds_within_the_week_but_never_after(
    db: Database, edition: EditionView, member: Member
) -> None:
    want_reminders(db, member.account_id, weekday=0, hour=9)
    settings = settings_for(db)
    assert queue_weekly_mails(db, settings, local_moment(edition, 3, weekday=4, hour=8)) == 1  # Friday
    with db.read() as session:
        expires = session.scalar(select(OutboxMessage.expires_at))
    assert expires == local_moment(edition, 4, weekday=edition.start_date.weekday(), hour=0)


def test_english_account_gets_its_reminder_in_english(
    db: Database, edition: EditionView, member: Member, mailbox: Mailbox
) -> None:
    with db.write() as session:
        session.execute(update(Account).where(Account.id == member.account_id).values(locale="en"))
    want_reminders(db, member.account_id)
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5)
    queue_weekly_mails(db, settings_for(db, mailbox), now)
    _deliver(db, mailbox, now)
    [mail] = mailbox.messages
    assert "week 3" in mail["Subject"]
    assert "Hello Les Colibris," in mail.get_content()


def test_captain_digest_lists_pseudonyms_of_members_still_to_check_in(
    db: Database, edition: EditionView, member: Member, mailbox: Mailbox
) -> None:
    team = create_team(db, member.household_id, "Les Colibris de Lille")
    other = make_member(db, "mesange@exemple.fr", name="Mésange")
    join_team(db, other.household_id, team.invite_code)
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
    record_checkin(db, member.household_id, 3, [CheckinEntry("gmail", "switched")], day_in_week(edition, 3))
    save_preferences(db, member.account_id, Preferences(False, 2, 18, True, True))
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5)
    assert queue_weekly_mails(db, settings_for(db, mailbox), now) == 1
    _deliver(db, mailbox, now)
    [mail] = mailbox.messages
    body = mail.get_content()
    assert "Les Colibris de Lille" in mail["Subject"]
    assert "1 foyer sur 2 a fait son bilan" in body
    assert "- Mésange" in body
    assert "mesange@exemple.fr" not in body  # pseudonyms only, never an address
    assert "/desabonnement/" in mail["List-Unsubscribe"]


def test_digest_is_not_sent_to_a_member_who_is_not_captain(
    db: Database, edition: EditionView, member: Member
) -> None:
    team = create_team(db, member.household_id, "Les Colibris de Lille")
    other = make_member(db, "mesange@exemple.fr", name="Mésange")
    join_team(db, other.household_id, team.invite_code)
    save_preferences(db, other.account_id, Preferences(False, 2, 18, True, True))
    assert queue_weekly_mails(db, settings_for(db), local_moment(edition, 3, 2, 18, 5)) == 0


def test_send_reminders_command_queues_and_sends_then_does_nothing_more(
    db: Database,
    edition: EditionView,
    member: Member,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in {
        "DZG_SMTP_HOST": mailbox.host,
        "DZG_SMTP_PORT": str(mailbox.port),
        "DZG_SMTP_STARTTLS": "false",
        "DZG_SMTP_FROM": SENDER,
        "DZG_PUBLIC_URL": PUBLIC_URL,
        "DZG_COOKIE_SECRET": "test-secret-" + "x" * 40,
    }.items():
        monkeypatch.setenv(name, value)
    want_reminders(db, member.account_id)
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5).isoformat()
    assert main(["send-reminders", "--now", now]) == 0
    assert main(["send-reminders", "--now", now]) == 0
    assert main(["send-followups", "--now", now]) == 0
    output = capsys.readouterr().out
    assert "Queued 1 reminder(s)" in output
    assert "Outbox: 1 sent" in output
    assert len(mailbox.messages) == 1


def test_send_reminders_without_smtp_settings_keeps_mails_queued_and_says_so(
    db: Database, edition: EditionView, member: Member, capsys: pytest.CaptureFixture[str]
) -> None:
    want_reminders(db, member.account_id)
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5).isoformat()
    assert main(["send-reminders", "--now", now]) == 1
    assert "DZG_SMTP_HOST" in capsys.readouterr().err
    with db.read() as session:
        assert session.scalar(select(OutboxMessage.status)) == "pending"


def test_concurrent_runs_queue_each_reminder_once(db: Database, edition: EditionView, member: Member) -> None:
    others = [make_member(db, f"voisin{i}@exemple.fr", name=f"Voisins {i}") for i in range(3)]
    for who in (member, *others):
        want_reminders(db, who.account_id)
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5)
    settings = settings_for(db)
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda: counts.append(queue_weekly_mails(db, settings, now)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 4
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 4


def test_an_erased_member_leaves_no_trace_in_the_captains_queued_digest(
    db: Database, edition: EditionView, member: Member, mailbox: Mailbox
) -> None:
    team = create_team(db, member.household_id, "Les Colibris de Lille")
    other = make_member(db, "mesange@exemple.fr", name="Mésange Bleue")
    join_team(db, other.household_id, team.invite_code)
    save_preferences(db, member.account_id, Preferences(False, 2, 18, True, True))
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5)
    assert queue_weekly_mails(db, settings_for(db, mailbox), now) == 1
    rights.delete_account(db, other.account_id, "SUPPRIMER")
    with db.read() as session:
        bodies = " ".join(session.scalars(select(OutboxMessage.body)))
    assert "Mésange" not in bodies
    assert "[foyer effacé]" in bodies


def test_settled_mails_are_purged_after_the_retention_period(
    db: Database, edition: EditionView, member: Member, mailbox: Mailbox
) -> None:
    save_preferences(db, member.account_id, Preferences(True, 2, 18, False, True))
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5)
    assert queue_weekly_mails(db, settings_for(db, mailbox), now) == 1
    _deliver(db, mailbox, now)
    assert (
        purge_inactive(db, now + OUTBOX_RETENTION - timedelta(days=1), timedelta(days=180)).mails_dropped == 0
    )
    assert (
        purge_inactive(db, now + OUTBOX_RETENTION + timedelta(days=1), timedelta(days=180)).mails_dropped == 1
    )
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
