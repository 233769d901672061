"""What a household and a visitor see of the progress, computed from real rows."""

from datetime import date

from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.households.progress import household_progress, public_counters
from challenge.infra.db import Database
from tests.conftest import Member, make_member


def test_progress_reflects_check_ins(db: Database, member: Member, today: date) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    record_checkin(
        db, member.household_id, 2, [CheckinEntry("gmail", "tried"), CheckinEntry("whatsapp", "still")], today
    )
    record_checkin(
        db,
        member.household_id,
        3,
        [CheckinEntry("gmail", "switched"), CheckinEntry("whatsapp", "mostly")],
        today,
    )
    with db.read() as session:
        progress = household_progress(session, member.household_id, today)
    assert progress.score == 87.5
    assert progress.switched == 1
    assert progress.streak == 2
    assert progress.checked_in_this_week
    assert [(p.week, p.score) for p in progress.weekly] == [(1, 0.0), (2, 12.5), (3, 87.5)]
    assert (3, "Messagerie électronique", 1) in progress.by_category


def test_progress_without_check_in_is_zero_with_pending_week(
    db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"gmail": []})
    with db.read() as session:
        progress = household_progress(session, member.household_id, today)
    assert progress.score == 0.0
    assert progress.streak == 0
    assert progress.current_week == 3
    assert not progress.checked_in_this_week


def test_public_counters_count_households_communes_and_current_switches(
    db: Database, member: Member, today: date
) -> None:
    other = make_member(db, "arras@exemple.fr", commune="62041")
    for household in (member, other):
        save_service_plan(db, household.household_id, {"gmail": []})
    record_checkin(db, member.household_id, 2, [CheckinEntry("gmail", "switched")], today)
    record_checkin(db, other.household_id, 2, [CheckinEntry("gmail", "switched")], today)
    record_checkin(db, other.household_id, 3, [CheckinEntry("gmail", "still")], today)  # relapse
    with db.read() as session:
        counters = public_counters(session)
    assert (counters.households, counters.communes, counters.switches) == (2, 2, 1)
