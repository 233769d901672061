"""Results across editions on the pages: a closed edition stays readable, territories compare
their editions, and a household finds its past editions on "Mon défi"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import insert
from streamlit.testing.v1 import AppTest

from challenge.editions.calendar import EditionView
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import Enrolment
from tests.conftest import Member
from tests.integration.test_dashboards import LILLE, populate
from tests.integration.test_edition_results import insert_checkin
from tests.pages.conftest import texts
from tests.pages.test_dashboard_pages import _agent
from tests.support.editions import make_edition


def _last_year(db: Database, edition: EditionView) -> EditionView:
    return make_edition(
        db, "Défi 2025", edition.start_date - timedelta(weeks=52), 8, [("region", "32")], status="closed"
    )


def test_results_keep_a_closed_edition_and_compare_it_with_the_live_one(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    last_year = _last_year(db, edition)
    populate(db, last_year, {LILLE: 8}, status="still")
    populate(db, last_year, {LILLE: 12}, status="switched")
    populate(db, edition, {LILLE: 30})
    at = open_app(page="pages/results.py")
    picker = at.selectbox(key="results_edition")
    assert picker.value == edition.id  # the live edition comes first
    assert picker.options == ["En cours · Défi test", "Close · Défi 2025"]
    assert "Foyers inscrits 30" in texts(at).replace("\u202f", " ")
    assert "D'une édition à l'autre" in texts(at)
    assert (
        "Défi 2025 : 60\u00a0% des foyers inscrits ont remplacé au moins un service ; Défi test : 100\u00a0%."
        in texts(at)
    )
    table = at.dataframe[-1].value
    assert list(table["Édition"]) == ["Défi 2025", "Défi test"]
    assert list(table["Inscrits"]) == ["20", "30"]

    assert "(/donnees-ouvertes/territoires.csv)" in texts(at)  # the live edition's open data

    picker.set_value(last_year.id).run()
    assert not at.exception
    assert "Défi 2025" in at.caption[0].value
    assert "Foyers inscrits 20" in texts(at).replace("\u202f", " ")
    assert f"(/donnees-ouvertes/territoires.csv?edition={last_year.id})" in texts(at)


def test_a_council_reads_its_dashboard_after_the_edition_closed(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    last_year = _last_year(db, edition)
    populate(db, last_year, {LILLE: 25})
    at = open_app(_agent(db, "epci", "200093201"))
    assert "Tableau de bord du territoire" in texts(at)
    assert "Aucune édition en cours" not in texts(at)
    assert at.selectbox(key="dashboard_edition").value == edition.id
    at.selectbox(key="dashboard_edition").set_value(last_year.id).run()
    assert not at.exception
    assert "Foyers inscrits 25" in texts(at).replace("\u202f", " ")
    assert at.select_slider(key=f"dashboard_weeks_{last_year.id}").value == (1, 8)  # the whole closed edition


def test_a_household_finds_its_past_editions_on_its_progress_page(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView, member: Member
) -> None:
    last_year = _last_year(db, edition)
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
    with db.write() as session:
        session.execute(insert(Enrolment).values(edition_id=last_year.id, household_id=member.household_id))
    insert_checkin(db, member.household_id, last_year, 1, "gmail", "tried")
    insert_checkin(db, member.household_id, last_year, 2, "gmail", "switched")
    at = open_app(member)
    page = texts(at).replace("\u202f", " ").replace("\xa0", " ")
    assert "Mes éditions précédentes" in page
    assert "Défi 2025" in page
    assert "score 100 %, 1 / 1 remplacés, 2 semaines de bilan" in page
