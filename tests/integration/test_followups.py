""" "Does it last?": follow-ups 3 and 6 months after an edition, on a frozen clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from challenge.core.errors import ValidationError
from challenge.editions.calendar import EditionView
from challenge.households.followups import add_months, due_followup, record_followup
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.mail.followup_invitations import queue_followup_invitations
from challenge.mail.notifications import Preferences, save_preferences, unsubscribe
from challenge.models import FollowupAnswer, OutboxMessage
from tests.conftest import Member, make_member
from tests.integration.engagement_helpers import close_edition, settings_for, switch_services


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@pytest.fixture
def closed(db: Database, edition: EditionView, member: Member) -> EditionView:
    """The member switched Gmail and dropped Facebook, still uses WhatsApp, and asked to be invited
    to the follow-ups; then the edition closed."""
    switch_services(db, edition, member, {"gmail": "switched", "facebook": "dropped", "whatsapp": "still"})
    save_preferences(db, member.account_id, Preferences(followups=True))
    close_edition(db, edition.id)
    return EditionView(edition.id, edition.name, edition.start_date, edition.weeks, "closed", False)


def test_follow_ups_open_at_three_then_six_months_after_the_end(
    db: Database, closed: EditionView, member: Member
) -> None:
    end = closed.end_date
    with db.read() as session:
        assert due_followup(session, member.household_id, add_months(end, 3) - timedelta(days=1)) is None
        at_three = due_followup(session, member.household_id, add_months(end, 3))
        at_six = due_followup(session, member.household_id, add_months(end, 6) + timedelta(days=10))
        assert due_followup(session, member.household_id, add_months(end, 9)) is None
    assert at_three is not None
    assert at_three.months == 3
    assert at_three.services == ["facebook", "gmail"]  # switched or dropped; not WhatsApp
    assert at_six is not None
    assert at_six.months == 6


def test_no_follow_up_while_the_edition_runs(db: Database, edition: EditionView, member: Member) -> None:
    switch_services(db, edition, member, {"gmail": "switched"})
    with db.read() as session:
        assert due_followup(session, member.household_id, add_months(edition.end_date, 3)) is None


def test_answers_are_recorded_for_every_service_and_can_be_corrected(
    db: Database, closed: EditionView, member: Member
) -> None:
    today = add_months(closed.end_date, 3) + timedelta(days=2)
    with pytest.raises(ValidationError):
        record_followup(db, member.household_id, closed.id, 3, {"gmail": "yes"}, today)  # Facebook missing
    with pytest.raises(ValidationError):
        record_followup(db, member.household_id, closed.id, 3, {"gmail": "yes", "facebook": "maybe"}, today)
    with pytest.raises(ValidationError):  # the 6-month follow-up is not open yet
        record_followup(db, member.household_id, closed.id, 6, {"gmail": "yes", "facebook": "no"}, today)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(FollowupAnswer)) == 0
    record_followup(db, member.household_id, closed.id, 3, {"gmail": "yes", "facebook": "no"}, today)
    record_followup(db, member.household_id, closed.id, 3, {"gmail": "partly", "facebook": "no"}, today)
    with db.read() as session:
        followup = due_followup(session, member.household_id, today)
    assert followup is not None
    assert followup.is_complete
    assert followup.answers == {"gmail": "partly", "facebook": "no"}


def test_invitations_are_queued_once_per_household_and_follow_up(
    db: Database, closed: EditionView, member: Member
) -> None:
    idle = make_member(db, "idle@exemple.fr", name="Sans changement")
    save_service_plan(db, idle.household_id, {"gmail": []})  # declared, never switched
    settings = settings_for(db)
    three = _noon(add_months(closed.end_date, 3) + timedelta(days=1))
    assert queue_followup_invitations(db, settings, three - timedelta(days=5)) == 0  # not open yet
    assert queue_followup_invitations(db, settings, three) == 1  # not the household that switched nothing
    assert queue_followup_invitations(db, settings, three + timedelta(days=1)) == 0
    with db.read() as session:
        mail = session.scalars(select(OutboxMessage)).one()
    assert mail.dedupe_key == f"followup:{closed.id}:{member.household_id}:m3"
    assert "3 mois" in mail.subject
    assert "https://defi.exemple.fr/suivi" in mail.body
    assert mail.unsubscribe_url
    assert "/desabonnement/" in mail.unsubscribe_url
    six = _noon(add_months(closed.end_date, 6))
    assert queue_followup_invitations(db, settings, six) == 1


def test_no_invitation_without_asking_for_it(db: Database, edition: EditionView, member: Member) -> None:
    switch_services(db, edition, member, {"gmail": "switched"})
    close_edition(db, edition.id)
    three = _noon(add_months(edition.start_date + timedelta(weeks=edition.weeks), 3) + timedelta(days=2))
    assert queue_followup_invitations(db, settings_for(db), three) == 0  # the box starts unticked
    save_preferences(db, member.account_id, Preferences(followups=True))
    assert queue_followup_invitations(db, settings_for(db), three) == 1


def test_no_invitation_after_answering_or_unsubscribing(
    db: Database, closed: EditionView, member: Member
) -> None:
    settings = settings_for(db)
    three = add_months(closed.end_date, 3)
    record_followup(db, member.household_id, closed.id, 3, {"gmail": "yes", "facebook": "yes"}, three)
    assert queue_followup_invitations(db, settings, _noon(three)) == 0
    unsubscribe(db, member.account_id, "followup")
    assert queue_followup_invitations(db, settings, _noon(add_months(closed.end_date, 6))) == 0
