"""What the console adds to the audit trail: dashboard exports, and each organiser's view of it."""

from __future__ import annotations

from challenge.accounts import audit
from challenge.editions.admin import create_edition
from challenge.infra.db import Database
from tests.integration.console_helpers import form, organiser


def test_a_dashboard_download_is_recorded_with_its_territory_and_weeks(db: Database) -> None:
    agent = organiser(db, "agent@exemple.fr")
    audit.record_export(db, agent, "dashboard", "epci:200093201", None, format="csv", weeks="1-3")
    entries, total = audit.list_entries(db, audit.AuditFilter(action_prefix="export"))
    assert total == 1
    assert (entries[0].actor_label, entries[0].target_id) == ("agent@exemple.fr", "epci:200093201")
    assert entries[0].after == {"format": "csv", "weeks": "1-3"}


def test_an_edition_organiser_reads_the_entries_of_their_editions_only(db: Database) -> None:
    chief = organiser(db)
    mine = create_edition(db, chief, form("Mienne"))
    create_edition(db, chief, form("Autre"))
    where = audit.AuditFilter(edition_ids=frozenset({mine.id}))
    entries, total = audit.list_entries(db, where)
    assert total == 1
    assert entries[0].after is not None
    assert entries[0].after["name"] == "Mienne"
