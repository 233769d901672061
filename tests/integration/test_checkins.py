"""The weekly check-in: upsert, week rules, validation and concurrency on both databases."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from challenge.core.errors import ValidationError
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, UnusualQuantities, record_checkin
from challenge.households.profile import save_service_plan
from challenge.households.progress import household_progress
from challenge.infra.db import Database
from challenge.models import Checkin
from tests.conftest import Member, make_member


@pytest.fixture
def planned(db: Database, member: Member) -> Member:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "blablacar": ["mobicoop"]})
    return member


def _rows(db: Database) -> list[tuple[int, str, str, float | None]]:
    with db.read() as session:
        return list(
            session.execute(
                select(Checkin.week, Checkin.service_slug, Checkin.status, Checkin.km).order_by(
                    Checkin.week, Checkin.service_slug
                )
            ).all()
        )


def test_check_in_records_one_row_per_service(db: Database, planned: Member, today: date) -> None:
    entries = [CheckinEntry("gmail", "switched"), CheckinEntry("blablacar", "tried", km=42.0)]
    assert record_checkin(db, planned.household_id, 3, entries, today) == 2
    assert _rows(db) == [(3, "blablacar", "tried", 42.0), (3, "gmail", "switched", None)]


def test_checking_in_the_same_week_twice_updates_instead_of_duplicating(
    db: Database, planned: Member, today: date
) -> None:
    record_checkin(db, planned.household_id, 3, [CheckinEntry("gmail", "tried")], today)
    record_checkin(db, planned.household_id, 3, [CheckinEntry("gmail", "switched")], today)
    assert _rows(db) == [(3, "gmail", "switched", None)]


def test_previous_week_is_open_as_a_grace_period(db: Database, planned: Member, today: date) -> None:
    record_checkin(db, planned.household_id, 2, [CheckinEntry("gmail", "tried")], today)
    assert _rows(db) == [(2, "gmail", "tried", None)]


def test_household_joining_during_the_edition_starts_at_its_first_week(
    db: Database, edition: EditionView, today: date
) -> None:
    late = make_member(db, "tardif@exemple.fr", from_the_start=False)
    save_service_plan(db, late.household_id, {"gmail": []})
    with pytest.raises(ValidationError, match="vous pouvez renseigner la semaine 3"):
        record_checkin(db, late.household_id, 2, [CheckinEntry("gmail", "switched")], today)
    record_checkin(db, late.household_id, 3, [CheckinEntry("gmail", "switched")], today)
    with db.read() as session:
        progress = household_progress(session, late.household_id, today)
    assert progress.first_week == 3
    assert [p.week for p in progress.weekly] == [3]


@pytest.mark.parametrize("week", [1, 4, 9, 0, -1])
def test_week_outside_the_open_window_is_refused_and_nothing_is_written(
    db: Database, planned: Member, today: date, week: int
) -> None:
    with pytest.raises(ValidationError, match=f"La semaine {week} n'est pas ouverte"):
        record_checkin(db, planned.household_id, week, [CheckinEntry("gmail", "switched")], today)
    assert _rows(db) == []


def test_check_in_after_the_edition_is_refused(db: Database, planned: Member, edition: EditionView) -> None:
    after = edition.end_date + timedelta(days=8)
    with pytest.raises(ValidationError, match="n'est pas ouvert"):
        record_checkin(db, planned.household_id, 8, [CheckinEntry("gmail", "switched")], after)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (CheckinEntry("youtube", "switched"), "ne fait pas partie"),
        (CheckinEntry("gmail", "bof"), "l'une des réponses proposées pour Gmail"),
        (CheckinEntry("gmail", "x" * 1_000_000), "l'une des réponses proposées pour Gmail"),
        (CheckinEntry("gmail", None), "l'une des réponses proposées pour Gmail"),
        (CheckinEntry("gmail", 3), "l'une des réponses proposées pour Gmail"),  # type: ignore[arg-type]
        (CheckinEntry("gmail", "switched", km=10.0), "ne s'applique pas"),
        (
            CheckinEntry("blablacar", "switched", km=-5.0),
            "Km covoiturés pour BlaBlaCar : indiquez un nombre entre 0 et",
        ),
        (CheckinEntry("blablacar", "switched", km=float("nan")), "Km covoiturés pour BlaBlaCar"),
        (CheckinEntry("blablacar", "switched", km=float("inf")), "Km covoiturés pour BlaBlaCar"),
        (CheckinEntry("blablacar", "switched", km="Infinity"), "Km covoiturés pour BlaBlaCar"),
        (CheckinEntry("blablacar", "switched", km=20_000.5), "entre 0 et 20\u202f000"),
        (CheckinEntry("blablacar", "switched", km="douze"), "Km covoiturés pour BlaBlaCar"),
    ],
)
def test_invalid_entry_refuses_the_whole_check_in(
    db: Database, planned: Member, today: date, entry: CheckinEntry, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        record_checkin(db, planned.household_id, 3, [CheckinEntry("gmail", "switched"), entry], today)
    assert _rows(db) == []


@pytest.mark.parametrize("status", ["still", "dropped"])
def test_quantities_with_an_answer_that_uses_no_alternative_are_refused(
    db: Database, planned: Member, today: date, status: str
) -> None:
    entry = CheckinEntry("blablacar", status, km="35,5")
    with pytest.raises(
        ValidationError, match=r"BlaBlaCar : les quantités .* si vous utilisez une alternative"
    ):
        record_checkin(db, planned.household_id, 3, [CheckinEntry("gmail", "switched"), entry], today)
    assert _rows(db) == []
    # Left empty (what the page sends when it asks nothing), the answer is stored.
    record_checkin(db, planned.household_id, 3, [CheckinEntry("blablacar", status, km="")], today)
    assert _rows(db) == [(3, "blablacar", status, None)]


def test_quantities_are_stored_as_typed_or_refused(db: Database, planned: Member, today: date) -> None:
    record_checkin(db, planned.household_id, 3, [CheckinEntry("blablacar", "switched", km="234,5")], today)
    assert _rows(db) == [(3, "blablacar", "switched", 234.5)]


def test_a_quantity_far_above_the_usual_ones_is_stored_only_once_confirmed(
    db: Database, planned: Member, today: date
) -> None:
    record_checkin(db, planned.household_id, 2, [CheckinEntry("blablacar", "switched", km="35,5")], today)
    jump = [CheckinEntry("blablacar", "switched", km="3550")]
    with pytest.raises(UnusualQuantities, match="Km covoiturés pour BlaBlaCar : 3 550"):
        record_checkin(db, planned.household_id, 3, jump, today)
    assert _rows(db) == [(2, "blablacar", "switched", 35.5)]
    record_checkin(db, planned.household_id, 3, jump, today, confirmed=True)
    assert _rows(db)[-1] == (3, "blablacar", "switched", 3550.0)
    # Correcting the same week later compares with the other weeks, not with itself.
    with pytest.raises(UnusualQuantities):
        record_checkin(db, planned.household_id, 3, jump, today)


def test_household_of_a_closed_edition_cannot_check_in(
    db: Database, planned: Member, today: date, edition: EditionView
) -> None:
    from challenge.models import Edition

    with db.write() as session:
        session.get_one(Edition, edition.id).status = "closed"
    with pytest.raises(ValidationError, match="est close : ses résultats restent consultables"):
        record_checkin(db, planned.household_id, 3, [CheckinEntry("gmail", "switched")], today)


def test_two_concurrent_check_ins_of_the_same_week_leave_one_row(
    db: Database, planned: Member, today: date
) -> None:
    barrier, errors = threading.Barrier(2), []

    def check_in(status: str) -> None:
        barrier.wait()
        try:
            record_checkin(db, planned.household_id, 3, [CheckinEntry("gmail", status)], today)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=check_in, args=(s,)) for s in ("tried", "switched")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = _rows(db)
    assert len(rows) == 1
    assert rows[0][2] in {"tried", "switched"}


def test_many_concurrent_check_ins_lose_nothing(db: Database, planned: Member, today: date) -> None:
    def check_in(week: int, service: str) -> None:
        record_checkin(db, planned.household_id, week, [CheckinEntry(service, "switched")], today)

    jobs = [(w, s) for w in (2, 3) for s in ("gmail", "blablacar")] * 3
    threads = [threading.Thread(target=check_in, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with db.read() as session:
        assert session.scalar(select(func.count(Checkin.id))) == 4
