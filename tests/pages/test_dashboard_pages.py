"""Dashboard and results pages: for the right role only, and never a figure under the threshold."""

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete
from streamlit.testing.v1 import AppTest

from challenge.accounts import credentials, sessions
from challenge.editions.calendar import EditionView
from challenge.infra.db import Database
from challenge.models import RoleGrant
from challenge.territories.outlines import import_outlines
from tests.conftest import PASSWORD, Member
from tests.integration.test_dashboards import AMIENS, LILLE, ROUBAIX, TOURCOING, populate
from tests.pages.conftest import texts

OUTLINES = Path(__file__).parents[1] / "fixtures" / "outlines"


def _agent(db: Database, level: str, code: str) -> Member:
    account = credentials.sign_up(db, f"agent-{code}@exemple.fr", PASSWORD)
    with db.write() as session:
        session.add(
            RoleGrant(account_id=account.id, role="council", territory_level=level, territory_code=code)
        )
    token = sessions.open_session(db, account.id, timedelta(days=1))
    return Member(account.id, 0, account.email, sessions.hash_token(token))


def test_council_agent_lands_on_the_dashboard_of_its_territory(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    populate(db, edition, {LILLE: 30, ROUBAIX: 12})
    at = open_app(_agent(db, "epci", "200093201"))
    page = texts(at)
    assert "Tableau de bord du territoire" in page
    assert "Foyers inscrits 42" in page.replace("\u202f", " ")
    assert len(at.get("vega_lite_chart")) >= 2
    assert len(at.get("download_button")) == 2


def test_a_territory_with_ten_households_displays_no_figures(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    populate(db, edition, {AMIENS: 10})
    at = open_app(_agent(db, "commune", AMIENS))
    assert "Trop peu de foyers" in texts(at)
    assert not at.metric
    assert not at.get("download_button")


def test_households_and_visitors_cannot_open_the_dashboard(
    open_app: Callable[..., AppTest], member: Member
) -> None:
    for who in (member, None):
        at = open_app(who)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("pages/dashboard.py").run()


def test_revoked_council_role_closes_the_dashboard(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    agent = _agent(db, "epci", "200093201")
    with db.write() as session:
        session.execute(delete(RoleGrant).where(RoleGrant.account_id == agent.account_id))
    at = open_app(agent)
    assert "Tableau de bord du territoire" not in texts(at)


def test_public_results_page_applies_the_same_secrecy(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    populate(db, edition, {LILLE: 30, AMIENS: 4})
    at = open_app(page="pages/results.py")
    assert "Résultats du défi" in texts(at)
    assert "Foyers inscrits 34" in texts(at).replace("\u202f", " ")
    at.selectbox(key="results_territory").set_value("departement:80").run()
    assert "Trop peu de foyers" in texts(at)


def test_the_map_draws_secret_areas_grey_and_hatched_with_a_legend_entry(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    """The committed ADMIN EXPRESS-shaped fixture (tests/fixtures/outlines) gives five MEL communes."""
    assert import_outlines(db, OUTLINES / "commune.geojson") == 5
    populate(db, edition, {LILLE: 30, ROUBAIX: 12})
    at = open_app(_agent(db, "epci", "200093201"))
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    (map_spec,) = [spec for spec in specs if "layer" in spec and "projection" in json.dumps(spec)]
    drawn = {
        feature["properties"]["name"]: feature["properties"]["value"]
        for layer in map_spec["layer"][:2]
        for feature in _values(map_spec, layer)
        if "name" in feature["properties"]
    }
    assert set(drawn) == {"Lille", "Roubaix", "Tourcoing", "Villeneuve-d'Ascq", "Marcq-en-Barœul"}
    assert drawn["Tourcoing"] is None  # no household: secret, drawn, not left out
    legend = json.dumps(map_spec, ensure_ascii=False)
    assert "Secret statistique" in legend
    hatches = _values(map_spec, map_spec["layer"][2])
    assert len(hatches) == sum(value is None for value in drawn.values())


def _values(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    data = layer["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def test_the_dashboard_offers_every_section_as_a_workbook_or_a_zip_of_csv_files(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    populate(db, edition, {LILLE: 30, ROUBAIX: 12, TOURCOING: 3})
    at = open_app(_agent(db, "epci", "200093201"))
    assert not at.exception
    labels = {button.proto.label for button in at.get("download_button")}
    assert labels == {"Classeur Excel (un onglet par section)", "Fichiers CSV (zip, un par section)"}
    assert "Télécharger ces chiffres" in texts(at)
