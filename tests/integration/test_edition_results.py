"""Results across editions: closed results stay published, territories compare editions year to
year, households keep their past editions, and open data can be read per edition."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from challenge.cli import commands
from challenge.counts import upkeep
from challenge.editions.calendar import EditionView
from challenge.editions.history import past_editions
from challenge.editions.lookup import published_editions, shown_edition
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import Checkin, Enrolment, Household
from challenge.statistics.comparison import compare, editions_over, summary
from challenge.statistics.dashboards import build_dashboard
from challenge.statistics.participation import Scope
from challenge.statistics.secrecy import Rules
from challenge.territories.tree import TerritoryTree
from tests.integration.test_dashboards import AMIENS, LILLE, MEL, populate, tree  # noqa: F401 - fixture
from tests.support.editions import make_edition
from web.opendata_routes import OpenData

REGION = [("region", "32")]


def _closed(db: Database, name: str, start: date, territories: list[tuple[str, str]] = REGION) -> EditionView:
    return make_edition(db, name, start, 8, territories, status="closed")


def _board(db: Database, tree: TerritoryTree, edition: EditionView, key: str, today: date):  # type: ignore[no-untyped-def]  # noqa: F811
    with db.read() as session:
        scope = Scope(edition, 1, edition.last_reported_week(today))
        return build_dashboard(session, tree, key, scope, Rules(threshold=11))


def test_published_editions_put_the_live_ones_first_and_leave_drafts_out(db: Database, today: date) -> None:
    old = _closed(db, "Défi 2024", date(2024, 3, 4))
    older = _closed(db, "Défi 2023", date(2023, 3, 6))
    make_edition(db, "Brouillon 2027", date(2027, 3, 1), 8, REGION, status="draft")
    with db.read() as session:
        assert [e.name for e in published_editions(session)] == ["Défi 2024", "Défi 2023"]
        assert shown_edition(session) == old  # no live edition: the last closed one stays shown
    opened = make_edition(
        db, "Défi Amiens", today + timedelta(weeks=3), 8, [("commune", AMIENS)], status="open"
    )
    running = make_edition(db, "Défi MEL", today - timedelta(weeks=1), 8, [("epci", MEL.split(":")[1])])
    with db.read() as session:
        assert published_editions(session) == [running, opened, old, older]
        assert shown_edition(session) == running


def test_a_territory_compares_its_editions_oldest_first(
    db: Database,
    edition: EditionView,
    tree: TerritoryTree,  # noqa: F811
    today: date,
) -> None:
    last_year = _closed(db, "Défi 2025", edition.start_date - timedelta(weeks=52))
    amiens_only = _closed(
        db, "Défi Amiens 2025", edition.start_date - timedelta(weeks=40), [("commune", AMIENS)]
    )
    populate(db, last_year, {LILLE: 20}, status="still")
    populate(db, last_year, {LILLE: 12}, status="switched")
    populate(db, edition, {LILLE: 25}, status="switched")
    populate(db, edition, {LILLE: 15}, status="mostly")
    populate(db, amiens_only, {AMIENS: 14}, status="switched")

    with db.read() as session:
        over_lille = editions_over(session, tree, [edition, amiens_only, last_year], f"commune:{LILLE}")
        over_somme = editions_over(session, tree, [edition, amiens_only, last_year], "departement:80")
    assert over_lille == [edition, last_year]  # Amiens' edition did not cover Lille
    assert over_somme == [edition, amiens_only, last_year]
    figures = compare([_board(db, tree, e, f"commune:{LILLE}", today) for e in over_lille])

    assert [f.name for f in figures] == ["Défi 2025", "Défi test"]
    assert [(f.registered, f.switched) for f in figures] == [(32, 12), (40, 25)]
    assert [f.switch_share for f in figures] == [37.5, 62.5]
    assert summary(figures) == (
        "Défi 2025 : 37,5\u00a0% des foyers inscrits ont remplacé au moins un service ; "
        "Défi test : 62,5\u00a0%."
    )


def test_a_secret_edition_is_listed_but_not_summarised(
    db: Database,
    edition: EditionView,
    tree: TerritoryTree,  # noqa: F811
    today: date,
) -> None:
    last_year = _closed(db, "Défi 2025", edition.start_date - timedelta(weeks=52))
    populate(db, last_year, {LILLE: 4})  # under the threshold of 11: secret
    populate(db, edition, {LILLE: 30})
    figures = compare([_board(db, tree, e, f"commune:{LILLE}", today) for e in (last_year, edition)])
    assert [(f.name, f.registered, f.switch_share) for f in figures] == [
        ("Défi 2025", None, None),
        ("Défi test", 30, 100.0),
    ]
    assert "trop peu de foyers" in summary(figures)
    assert summary(figures[1:]) == ""  # one edition: nothing to compare


def insert_checkin(
    db: Database, household_id: int, edition: EditionView, week: int, service: str, status: str
) -> None:
    """A check-in written directly (any edition, a closed one too), the aggregates rebuilt."""
    now = datetime.now(UTC)
    with db.write() as session:
        session.execute(
            insert(Checkin).values(
                edition_id=edition.id,
                household_id=household_id,
                week=week,
                service_slug=service,
                status=status,
                created_at=now,
                updated_at=now,
            )
        )
        upkeep.rebuild(session, edition.id)


def test_a_household_keeps_its_past_editions_with_their_own_figures(
    db: Database, edition: EditionView
) -> None:
    older = _closed(db, "Défi 2024", date(2024, 3, 4))
    populate(db, older, {LILLE: 1}, status="still")  # one Gmail check-in in week 2
    with db.read() as session:
        household_id = session.scalar(select(Household.id))
    insert_checkin(db, household_id, older, 3, "gmail", "switched")
    insert_checkin(db, household_id, older, 3, "whatsapp", "mostly")
    last = _closed(db, "Défi 2025", date(2025, 3, 3))
    with db.write() as session:
        session.execute(insert(Enrolment).values(edition_id=last.id, household_id=household_id))
    insert_checkin(db, household_id, last, 1, "amazon", "still")
    with db.write() as session:  # the live edition is not history yet
        session.execute(insert(Enrolment).values(edition_id=edition.id, household_id=household_id))
    insert_checkin(db, household_id, edition, 1, "gmail", "switched")

    with db.read() as session:
        past = past_editions(session, household_id)

    assert [p.edition.name for p in past] == ["Défi 2025", "Défi 2024"]
    assert [(p.followed, p.switched, p.weeks_checked) for p in past] == [(1, 0, 1), (2, 1, 2)]
    assert past[0].score == 0.0
    assert 50.0 < past[1].score < 100.0  # Gmail left, WhatsApp mostly
    with db.read() as session:
        assert past_editions(session, household_id + 1000) == []


@pytest.fixture
def client(db: Database) -> TestClient:
    settings = Settings(database_url=db.url, cookie_secret="x" * 40)
    return TestClient(Starlette(routes=OpenData(lambda: db, settings).routes()))


def test_open_data_stays_published_after_an_edition_closes(db: Database, client: TestClient) -> None:
    past = _closed(db, "Défi 2025", date(2025, 3, 3))
    populate(db, past, {LILLE: 20})
    with client:
        response = client.get("/donnees-ouvertes/territoires.csv")
        assert response.status_code == 200
        assert f"commune,{LILLE},Lille,20" in response.text


def test_open_data_serves_any_published_edition_by_its_id(
    db: Database, edition: EditionView, client: TestClient
) -> None:
    past = _closed(db, "Défi 2025", edition.start_date - timedelta(weeks=52))
    draft = make_edition(db, "Brouillon", date(2027, 3, 1), 8, REGION, status="draft")
    populate(db, past, {LILLE: 20})
    populate(db, edition, {LILLE: 30})
    with client:
        assert f"commune,{LILLE},Lille,30" in client.get("/donnees-ouvertes/territoires.csv").text
        older = client.get(f"/donnees-ouvertes/territoires.csv?edition={past.id}")
        assert older.status_code == 200
        assert f"commune,{LILLE},Lille,20" in older.text
        for bad in (str(draft.id), "999999", "abc", "-1"):
            response = client.get(f"/donnees-ouvertes/territoires.csv?edition={bad}")
            assert response.status_code == 404, bad
            assert response.text == "Édition inconnue."


def test_the_export_command_picks_its_edition_as_the_route_does(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db.url)
    past = _closed(db, "Défi 2025", date(2025, 3, 3))
    draft = make_edition(db, "Brouillon", date(2027, 3, 1), 8, REGION, status="draft")
    populate(db, past, {LILLE: 20})
    # No live edition: the last closed one, as /donnees-ouvertes serves it.
    assert commands.main(["export-opendata", "--out", str(tmp_path / "default")]) == 0
    assert f"commune,{LILLE},Lille,20" in (tmp_path / "default" / "territoires.csv").read_text()
    assert (
        commands.main(["export-opendata", "--out", str(tmp_path / "by-id"), "--edition", str(past.id)]) == 0
    )
    assert "Défi 2025" in (tmp_path / "by-id" / "territoires.csv").read_text()
    capsys.readouterr()
    # A draft is not open data, nor is an unknown id: a clear message, no file written.
    for refused in (draft.id, 999999):
        out = tmp_path / f"refused-{refused}"
        assert commands.main(["export-opendata", "--out", str(out), "--edition", str(refused)]) == 1
        assert f"n'a l'identifiant {refused}" in capsys.readouterr().err
        assert not out.exists()
