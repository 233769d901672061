"""Organisers create editions and move them along; one live edition per territory; closed is read-only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from challenge.core.errors import ChallengeError, ValidationError
from challenge.editions.admin import change_status, create_edition, update_edition
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import shown_edition
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import Edition, Enrolment
from challenge.teams import membership
from challenge.views.console import editions_for
from tests.conftest import AMIENS, make_member
from tests.integration.console_helpers import MEL, audit_count, form, organiser

LAUNCH = date.today() + timedelta(days=60)  # the first day of `form()`'s edition: it may run from then


def _edition_count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count(Edition.id))) or 0)


def test_an_organiser_creates_a_draft_edition_recorded_in_the_audit_trail(db: Database) -> None:
    actor = organiser(db)
    edition = create_edition(db, actor, form(" Défi   2027 "))
    assert (edition.name, edition.status) == ("Défi 2027", "draft")
    assert audit_count(db, "edition.create") == 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (form(territories=(("epci", "999999999"),)), "inconnu"),
        (form(territories=(("canton", "5901"),)), "inconnu"),
        (form(territories=()), "au moins un territoire"),
        (form(name="  "), "nom"),
        (form(weeks=3), "semaines"),
        (form(weeks=20), "semaines"),
        (form(opens=date.today() + timedelta(days=50), closes=date.today() + timedelta(days=40)), "précède"),
        (form(closes=date.today() + timedelta(days=400)), "après la fin"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(db: Database, bad: object, message: str) -> None:
    actor = organiser(db)
    with pytest.raises(ValidationError, match=message):
        create_edition(db, actor, bad)  # type: ignore[arg-type]
    assert _edition_count(db) == 0
    assert audit_count(db) == 0


def test_status_follows_draft_open_running_closed(db: Database) -> None:
    actor = organiser(db)
    edition = create_edition(db, actor, form())
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        change_status(db, actor, edition.id, "running")
    for status in ("open", "running", "closed"):
        assert change_status(db, actor, edition.id, status, today=LAUNCH).status == status
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        change_status(db, actor, edition.id, "open")
    assert audit_count(db, "edition.status") == 3


def test_asking_the_same_status_twice_changes_nothing(db: Database) -> None:
    actor = organiser(db)
    edition = create_edition(db, actor, form())
    change_status(db, actor, edition.id, "open")
    change_status(db, actor, edition.id, "open")
    assert audit_count(db, "edition.status") == 1


@pytest.mark.parametrize(
    "territories",
    [
        (("commune", "59350"),),  # Lille lies inside the Métropole européenne de Lille
        (("departement", "59"),),
        (("region", "32"),),
        (("commune", AMIENS), ("commune", "59350")),
    ],
)
def test_two_live_editions_cannot_cover_the_same_commune(
    db: Database, territories: tuple[tuple[str, str], ...]
) -> None:
    actor = organiser(db)
    running = create_edition(db, actor, form("Métropole"))
    change_status(db, actor, running.id, "open")
    other = create_edition(db, actor, form("Autre", territories))  # a draft may overlap
    with pytest.raises(ValidationError, match="une seule édition à la fois"):
        change_status(db, actor, other.id, "open")
    with db.read() as session:
        assert session.get_one(Edition, other.id).status == "draft"


def test_editions_on_separate_territories_run_together(db: Database) -> None:
    actor = organiser(db)
    for name, territories in (("Lille", (("epci", MEL),)), ("Amiens", (("commune", AMIENS),))):
        edition = create_edition(db, actor, form(name, territories))
        change_status(db, actor, edition.id, "open")
        change_status(db, actor, edition.id, "running", today=LAUNCH)


def test_a_live_edition_cannot_be_extended_over_another(db: Database) -> None:
    actor = organiser(db)
    first = create_edition(db, actor, form("Métropole"))
    change_status(db, actor, first.id, "open")
    second = create_edition(db, actor, form("Amiens", (("commune", AMIENS),)))
    change_status(db, actor, second.id, "open")
    with pytest.raises(ValidationError, match="Métropole"):
        update_edition(db, actor, second.id, form("Amiens", (("commune", AMIENS), ("epci", MEL))))


def test_a_running_edition_keeps_its_start_and_territories(db: Database) -> None:
    actor = organiser(db)
    edition = create_edition(db, actor, form())
    change_status(db, actor, edition.id, "open")
    change_status(db, actor, edition.id, "running", today=LAUNCH)
    with pytest.raises(ValidationError, match="a commencé"):
        update_edition(db, actor, edition.id, form(territories=(("departement", "59"),)))
    renamed = update_edition(db, actor, edition.id, form("Nouveau nom"))
    assert renamed.name == "Nouveau nom"
    entries = [e for e in _entries(db) if e.action == "edition.update"]
    assert entries[0].before["name"] == "Défi 2027"
    assert entries[0].after["name"] == "Nouveau nom"


def _entries(db: Database):  # type: ignore[no-untyped-def]
    from challenge.accounts.audit import list_entries

    return list_entries(db)[0]


def test_saving_an_unchanged_edition_leaves_no_trace(db: Database) -> None:
    actor = organiser(db)
    edition = create_edition(db, actor, form())
    update_edition(db, actor, edition.id, form())
    assert audit_count(db, "edition.update") == 0


def test_a_closed_edition_cannot_be_changed(db: Database) -> None:
    actor = organiser(db)
    edition = create_edition(db, actor, form())
    for status in ("open", "running", "closed"):
        change_status(db, actor, edition.id, status, today=LAUNCH)
    with pytest.raises(ValidationError, match="close"):
        update_edition(db, actor, edition.id, form("Autre nom"))


def test_an_edition_organiser_acts_on_their_edition_only(db: Database) -> None:
    mine = create_edition(db, organiser(db), form("Mienne"))
    other = create_edition(db, organiser(db, "autre@exemple.fr"), form("Autre"))
    local = organiser(db, "local@exemple.fr", edition_id=mine.id)
    change_status(db, local, mine.id, "open")
    with pytest.raises(ChallengeError, match="n'organisez pas"):
        change_status(db, local, other.id, "open")
    with pytest.raises(ChallengeError, match="ensemble du défi"):
        create_edition(db, local, form("Encore une"))
    assert [s.edition.id for s in editions_for(db, local)] == [mine.id]


def _running_with_member(db: Database) -> tuple[EditionView, int]:
    actor = organiser(db)
    start = date.today() - timedelta(days=date.today().weekday() + 14)
    edition = create_edition(db, actor, form(start=start))
    change_status(db, actor, edition.id, "open")
    change_status(db, actor, edition.id, "running")
    member = make_member(db, "colibri@exemple.fr")
    save_service_plan(db, member.household_id, {"google-search": []})
    record_checkin(db, member.household_id, 3, [CheckinEntry("google-search", "tried")], date.today())
    change_status(db, actor, edition.id, "closed")
    return edition, member.household_id


def test_a_closed_edition_refuses_check_ins_and_team_changes_but_keeps_results(db: Database) -> None:
    edition, household_id = _running_with_member(db)
    with pytest.raises(ValidationError, match="close"):
        record_checkin(db, household_id, 3, [CheckinEntry("google-search", "switched")], date.today())
    with pytest.raises(ValidationError, match="close"):
        membership.create_team(db, household_id, "Les Tardifs")
    with db.read() as session:
        shown = shown_edition(session)
    assert shown is not None
    assert (shown.id, shown.status) == (edition.id, "closed")


def test_households_enrol_only_in_a_live_edition_during_its_sign_up_window(db: Database) -> None:
    actor = organiser(db)
    start = date.today() + timedelta(days=30)
    late = create_edition(db, actor, form(start=start, opens=start - timedelta(days=7)))
    change_status(db, actor, late.id, "open")
    member = make_member(db, "tot@exemple.fr", from_the_start=False)
    with db.read() as session:
        assert (
            session.scalar(select(Enrolment.id).where(Enrolment.household_id == member.household_id)) is None
        )
    update_edition(db, actor, late.id, form(start=start, opens=date.today()))
    early = make_member(db, "pile@exemple.fr", from_the_start=False)
    with db.read() as session:
        enrolled = session.scalar(
            select(Enrolment.edition_id).where(Enrolment.household_id == early.household_id)
        )
    assert enrolled == late.id
    with pytest.raises(ValidationError, match="pas ouvert"):  # open for sign-up only: no check-in yet
        record_checkin(db, early.household_id, 1, [CheckinEntry("google-search", "tried")], date.today())


def test_a_retried_creation_does_not_make_a_second_edition(db: Database) -> None:
    actor = organiser(db)
    create_edition(db, actor, form("Défi 2027"))
    with pytest.raises(ValidationError, match="porte déjà ce nom"):
        create_edition(db, actor, form("défi 2027"))
    assert _edition_count(db) == 1


def test_an_edition_is_launched_on_its_first_day_at_the_earliest(db: Database) -> None:
    actor = organiser(db)
    start = date.today() + timedelta(days=30)
    edition = create_edition(db, actor, form(start=start))
    change_status(db, actor, edition.id, "open")
    with pytest.raises(ValidationError, match="ne peut être lancée qu'à partir"):
        change_status(db, actor, edition.id, "running")
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        change_status(db, actor, edition.id, "closed")  # closing needs a launch, hence the start
    assert change_status(db, actor, edition.id, "running", today=start).status == "running"


def test_an_edition_that_is_over_cannot_open_its_sign_up(db: Database) -> None:
    actor = organiser(db)
    start = date.today() - timedelta(weeks=20)
    edition = create_edition(db, actor, form("Défi passé", start=start, opens=start, closes=start))
    with pytest.raises(ValidationError, match="s'est terminée"):
        change_status(db, actor, edition.id, "open")


@pytest.mark.parametrize(
    ("weeks", "opens", "closes"),
    [(3, 0, 10), (53, 0, 10), (8, 10, 0)],
    ids=["too short", "too long", "sign-up window reversed"],
)
def test_the_database_refuses_an_edition_outside_the_rules(
    db: Database, weeks: int, opens: int, closes: int
) -> None:
    day = date(2027, 1, 4)
    row = {
        "day": day,
        "weeks": weeks,
        "opens": day + timedelta(days=opens),
        "closes": day + timedelta(days=closes),
    }
    insert = text(
        "INSERT INTO edition (slug, name, start_date, weeks, signup_opens, signup_closes, status, "
        "is_demo, created_at) VALUES ('x', 'X', :day, :weeks, :opens, :closes, 'draft', false, :day)"
    )
    with pytest.raises(IntegrityError, match=r"weeks_range|signup_window"), db.write() as session:
        session.execute(insert, row)
