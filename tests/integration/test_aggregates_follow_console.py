"""Console actions that change what the aggregates count keep them equal to a recomputation."""

from __future__ import annotations

from datetime import date

from challenge.counts import upkeep
from challenge.curation.entries import save_service
from challenge.editions.admin import change_status
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.teams.carryover import answer_offer, pending_offer
from tests.conftest import make_member
from tests.integration.console_helpers import organiser
from tests.integration.test_aggregates import _tables
from tests.integration.test_carryover import _start, previous  # noqa: F401 - fixture
from tests.support.catalogue import organiser_identity, pristine_catalogue  # noqa: F401 - fixture


def _rebuilt(db: Database) -> dict[str, object]:
    with db.write() as session:
        upkeep.rebuild_all(session)
    return _tables(db)


def test_a_household_confirming_a_carry_over_is_counted_in_the_new_edition(
    db: Database,
    previous: dict[str, int],  # noqa: F811 - the fixture
) -> None:
    edition_id = _start(db, previous)
    change_status(db, organiser(db, "orga3@exemple.fr"), edition_id, "open")
    with db.read() as session:
        offer = pending_offer(session, previous["member"])
    assert offer is not None
    answer_offer(db, previous["member"], offer.id, accept=True)
    counted = _tables(db)
    assert any(key[0] == edition_id for key in counted["weeks"])
    assert counted == _rebuilt(db)


def test_moving_a_service_to_another_category_moves_its_counts(
    db: Database,
    edition: EditionView,
    pristine_catalogue: None,  # noqa: F811
) -> None:
    household = make_member(db, "colibri@exemple.fr").household_id
    save_service_plan(db, household, {"gmail": ["proton-mail"]})
    record_checkin(db, household, 2, [CheckinEntry("gmail", "switched")], date.today())
    save_service(db, organiser_identity(), "gmail", "Gmail", "Alphabet (Google)", "messaging", creating=False)
    counted = _tables(db)
    assert not any(key[-1] == "email" for key in counted["weeks"] if key[1] == "category")
    assert counted == _rebuilt(db)
