"""Territory dashboards: figures, secrecy, access control, exports and open data on both databases."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import insert

from challenge.accounts import credentials
from challenge.core.errors import NotFound
from challenge.core.i18n import use_locale
from challenge.counts import upkeep
from challenge.editions.calendar import EditionView
from challenge.infra.db import Database
from challenge.models import Account, Checkin, Enrolment, Household, RoleGrant
from challenge.statistics.comparison import EditionFigures
from challenge.statistics.dashboards import build_dashboard, check_access, scopes_of
from challenge.statistics.durability import Durability
from challenge.statistics.exports import (
    dashboard_frame,
    dashboard_sections,
    secrecy_rule,
    to_csv,
    to_csv_zip,
    to_xlsx,
    to_xlsx_book,
)
from challenge.statistics.opendata import opendata_frames
from challenge.statistics.participation import Scope
from challenge.statistics.secrecy import Rules
from challenge.territories.tree import TerritoryTree, build_tree
from tests.conftest import PASSWORD

LILLE, ROUBAIX, TOURCOING, AMIENS = "59350", "59512", "59599", "80021"
MEL, NORD = "epci:200093201", "departement:59"


@pytest.fixture(scope="module")
def tree(database_url: str) -> TerritoryTree:
    from challenge.infra.db import shared_database

    with shared_database(database_url).read() as session:
        return build_tree(session)


def populate(
    db: Database,
    edition: EditionView,
    households: dict[str, int],
    status: str = "switched",
    km: float | None = None,
) -> None:
    """Households in communes, each with one Gmail check-in in week 2 (bulk, for speed)."""
    now = datetime.now(UTC)
    with db.write() as session:
        serial = session.query(Account).count()
        for commune, count in households.items():
            for _ in range(count):
                serial += 1
                account_id = session.scalar(
                    insert(Account)
                    .returning(Account.id)
                    .values(email=f"h{serial}@exemple.fr", password_hash=None, created_at=now)
                )
                household_id = session.scalar(
                    insert(Household)
                    .returning(Household.id)
                    .values(
                        account_id=account_id,
                        name=f"F{serial}",
                        commune_code=commune,
                        size=2,
                        consent_version="t",
                        consent_at=now,
                        created_at=now,
                    )
                )
                session.execute(
                    insert(Enrolment).values(
                        edition_id=edition.id,
                        household_id=household_id,
                        enrolled_at=datetime.combine(
                            edition.start_date - timedelta(days=1), datetime.min.time(), UTC
                        ),
                    )
                )
                session.execute(
                    insert(Checkin).values(
                        edition_id=edition.id,
                        household_id=household_id,
                        week=2,
                        service_slug="gmail",
                        status=status,
                        km=km,
                        created_at=now,
                        updated_at=now,
                    )
                )
        upkeep.rebuild(session, edition.id)  # rows written in bulk, not through the services


def _board(db: Database, tree: TerritoryTree, edition: EditionView, key: str, threshold: int = 11):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return build_dashboard(session, tree, key, Scope(edition, 1, 3), Rules(threshold=threshold))


def test_figures_are_exact_where_published(db: Database, edition: EditionView, tree: TerritoryTree) -> None:
    populate(db, edition, {LILLE: 30, ROUBAIX: 15, TOURCOING: 12})
    board = _board(db, tree, edition, MEL)
    assert (board.territory.registered, board.territory.active, board.territory.switched) == (57, 57, 57)
    rows = {row.name: row for row in board.breakdown}
    assert rows["Lille"].registered == 30
    assert rows["Roubaix"].registered == 15
    assert board.by_category == [("Messagerie électronique", 57)]
    assert board.territory.checkin_rate is None  # nobody (0 < 11) checked in week 3, the last of the range


def test_categories_are_named_in_the_reader_s_language(
    db: Database, edition: EditionView, tree: TerritoryTree
) -> None:
    populate(db, edition, {LILLE: 12})
    with use_locale("en"):
        board = _board(db, tree, edition, MEL)
    assert board.by_category == [("E-mail", 12)]


def test_a_territory_of_ten_households_publishes_no_figure(
    db: Database, edition: EditionView, tree: TerritoryTree
) -> None:
    populate(db, edition, {AMIENS: 10})
    board = _board(db, tree, edition, "commune:80021")
    assert not board.has_figures
    assert board.territory.registered is None
    assert board.by_category == [("Messagerie électronique", None)]


def test_a_small_commune_is_never_the_only_secret_of_its_table(
    db: Database, edition: EditionView, tree: TerritoryTree
) -> None:
    populate(db, edition, {LILLE: 40, ROUBAIX: 15, TOURCOING: 3})
    board = _board(db, tree, edition, MEL)
    rows = {row.name: row.registered for row in board.breakdown}
    assert rows["Tourcoing"] is None
    assert (rows["Lille"], rows["Roubaix"]) == (40, 15)
    # The MEL total (58) minus what is published (55) is spread over every secret commune:
    # the 3 households of Tourcoing cannot be told apart from the communes with none.
    assert board.territory.registered == 58
    assert sum(1 for value in rows.values() if value is None) >= 2


def test_threshold_is_a_setting(db: Database, edition: EditionView, tree: TerritoryTree) -> None:
    populate(db, edition, {AMIENS: 10})
    assert _board(db, tree, edition, "commune:80021", threshold=5).territory.registered == 10


def test_a_dominant_household_hides_the_km_sum(
    db: Database, edition: EditionView, tree: TerritoryTree
) -> None:
    populate(db, edition, {LILLE: 12}, km=10.0)
    populate(db, edition, {LILLE: 1}, km=5000.0)
    assert _board(db, tree, edition, "commune:59350").quantities["km"] is None


def _account_with(
    db: Database, email: str, role: str | None, level: str | None = None, code: str | None = None
) -> int:
    account = credentials.sign_up(db, email, PASSWORD)
    if role:
        with db.write() as session:
            session.add(
                RoleGrant(account_id=account.id, role=role, territory_level=level, territory_code=code)
            )
    return account.id


@pytest.mark.parametrize(
    ("role", "level", "code", "allowed", "refused"),
    [
        ("council", "epci", "200093201", [MEL, "commune:59350"], [NORD, "commune:80021", "region:32"]),
        ("council", "departement", "59", [NORD, MEL, "commune:59350"], ["commune:80021", "departement:62"]),
        ("council", "commune", "59350", ["commune:59350"], [MEL, "commune:59512"]),
        ("organiser", None, None, ["region:32", NORD, "commune:80021"], []),
        (None, None, None, [], ["region:32", MEL, "commune:59350"]),
    ],
)
def test_an_agent_sees_its_territory_and_everything_inside_it_only(
    db: Database,
    tree: TerritoryTree,
    role: str | None,
    level: str | None,
    code: str | None,
    allowed: list[str],
    refused: list[str],
) -> None:
    account_id = _account_with(db, "agent@exemple.fr", role, level, code)
    with db.read() as session:
        for key in allowed:
            check_access(session, account_id, tree, key)
        for key in refused:
            with pytest.raises(NotFound, match="périmètre"):
                check_access(session, account_id, tree, key)
        assert bool(scopes_of(session, account_id, tree)) == bool(role)


def test_exports_carry_exactly_what_is_shown_with_edition_date_and_licence(
    db: Database, edition: EditionView, tree: TerritoryTree
) -> None:
    populate(db, edition, {LILLE: 30, ROUBAIX: 15, TOURCOING: 3})
    board = _board(db, tree, edition, MEL)
    frame = dashboard_frame(board, date(2026, 11, 23))
    csv = pd.read_csv(io.BytesIO(to_csv(frame)), dtype=str, encoding="utf-8-sig")
    assert set(csv["licence"]) == {"Licence Ouverte / Open Licence 2.0 (Etalab)"}
    assert set(csv["edition"]) == {"Défi test"}
    assert set(csv["date_extraction"]) == {"2026-11-23"}
    assert csv.set_index("territoire").loc["Tourcoing", "foyers_inscrits"] == "secret"
    assert csv.set_index("territoire").loc["Lille", "foyers_inscrits"] == "30"
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame))).active
    assert sheet is not None
    assert sheet.max_row == len(frame) + 1


def test_open_data_covers_every_territory_with_the_same_secrecy(
    db: Database, edition: EditionView, tree: TerritoryTree
) -> None:
    populate(db, edition, {LILLE: 30, ROUBAIX: 15, TOURCOING: 3})
    with db.read() as session:
        frames = opendata_frames(session, tree, edition, Rules(), date.today())
    territories = frames["territoires"].set_index(["niveau", "code"])
    assert territories.loc[("commune", LILLE), "foyers_inscrits"] == 30
    assert territories.loc[("commune", TOURCOING), "foyers_inscrits"] == "secret"
    assert territories.loc[("commune", ROUBAIX), "foyers_inscrits"] == 15
    assert territories.loc[("region", "32"), "foyers_inscrits"] == 48
    assert set(frames) == {"territoires", "categories", "alternatives"}


@pytest.mark.parametrize("threshold", [11, 5])
def test_the_downloads_hold_every_section_shown_with_its_stamp(
    db: Database, edition: EditionView, tree: TerritoryTree, threshold: int
) -> None:
    """One workbook with a sheet per section and a zip with a CSV per section; each row with the
    edition, weeks, date, licence and the secrecy rule at the threshold applied (the setting's)."""
    populate(db, edition, {LILLE: 30, ROUBAIX: 15, TOURCOING: 3}, km=12.5)
    board = _board(db, tree, edition, MEL, threshold)
    figures = [EditionFigures(edition.id, "Défi précédent", date(2025, 3, 3), "closed", 40, 12, 55.0)]
    lasting = [Durability(3, 14, 20, 75.0, None)]
    sections = dashboard_sections(board, date(2026, 11, 23), figures, lasting)
    expected = {
        "territoires", "tendance", "categories", "services", "alternatives", "quantites",
        "comparaison_editions", "durabilite",
    }  # fmt: skip
    assert set(sections) == expected

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_book(sections)))
    assert set(book.sheetnames) == expected
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(sections))) as archive:
        assert set(archive.namelist()) == {f"{name}.csv" for name in expected}
        files = {
            name: pd.read_csv(io.BytesIO(archive.read(f"{name}.csv")), dtype=str, encoding="utf-8-sig")
            for name in expected
        }
    empty = {name for name, frame in files.items() if frame.empty}
    assert empty <= {"alternatives"}, empty  # the households of `populate` chose no alternative
    for name, frame in files.items():
        assert len(frame) == len(sections[name]) == book[name].max_row - 1, name
        assert "regle_de_confidentialite" in frame.columns, name
        if name in empty:
            continue
        assert set(frame["edition"]) == {"Défi test"}, name
        assert set(frame["semaines"]) == {"1-3"}, name
        assert set(frame["date_extraction"]) == {"2026-11-23"}, name
        assert set(frame["licence"]) == {"Licence Ouverte / Open Licence 2.0 (Etalab)"}, name
        assert set(frame["regle_de_confidentialite"]) == {secrecy_rule(threshold)}, name
        assert f"moins de {threshold} foyers" in secrecy_rule(threshold)

    # Exactly what the page shows, section by section (secret stays "secret").
    trend = files["tendance"].set_index("semaine")
    for week, active, registered in board.trend:
        assert trend.loc[str(week), "foyers_inscrits"] == (
            "secret" if registered is None else str(registered)
        )
        assert trend.loc[str(week), "foyers_actifs"] == ("secret" if active is None else str(active))
    services = dict(
        zip(files["services"]["service_gafam"], files["services"]["foyers_ayant_remplace"], strict=True)
    )
    assert services == {name: "secret" if n is None else str(n) for name, n in board.by_service}
    alternatives = files["alternatives"].set_index("alternative")["foyers"].to_dict()
    assert alternatives == {
        a.name: "secret" if a.households is None else str(a.households) for a in board.alternatives
    }
    km = files["quantites"].set_index("mesure").loc["km_partages_ou_evites", "total_depuis_la_semaine_1"]
    assert km == ("secret" if board.quantities["km"] is None else str(board.quantities["km"]))
    assert files["comparaison_editions"].loc[0, "foyers_inscrits"] == "40"
    assert files["durabilite"].loc[0, "en_partie_pct"] == "secret"
