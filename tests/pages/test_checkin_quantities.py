"""The check-in page reopens a week whose answers include counted objects (an integer)."""

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import Checkin
from tests.conftest import Member
from tests.pages.conftest import texts


def test_checkin_page_reopens_a_week_with_objects_borrowed(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"amazon": ["label-emmaus"]})
    record_checkin(db, member.household_id, 3, [CheckinEntry("amazon", "tried", objects=2)], today)
    at = open_app(member, "pages/checkin.py")  # fails on any exception of the run
    assert at.text_input(key="checkin_objects_amazon_3").value == "2"


def _euros(db: Database) -> list[tuple[int, float | None]]:
    with db.read() as session:
        return [
            (w, e) for w, e in session.execute(select(Checkin.week, Checkin.euros).order_by(Checkin.week))
        ]


def test_a_decimal_comma_is_read_as_cents(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    save_service_plan(db, member.household_id, {"amazon": ["label-emmaus"]})
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    at.radio(key="checkin_status_amazon_3").set_value("mostly").run()
    at.text_input(key="checkin_euros_amazon_3").set_value("35,50")
    at.button(key="FormSubmitter:checkin_form_3-Enregistrer mon bilan").click().run()
    assert not at.exception
    assert _euros(db) == [(3, 35.5)]


def test_an_absurd_amount_asks_for_confirmation_before_it_counts(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    save_service_plan(db, member.household_id, {"amazon": ["label-emmaus"]})
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    at.radio(key="checkin_status_amazon_3").set_value("mostly").run()
    at.text_input(key="checkin_euros_amazon_3").set_value("3550")
    at.button(key="FormSubmitter:checkin_form_3-Enregistrer mon bilan").click().run()
    assert _euros(db) == []
    assert "bien plus que d'habitude" in texts(at)
    assert "Euros dépensés localement pour Amazon : 3\u202f550" in texts(at)
    at.checkbox(key="checkin_confirm_3").check()
    at.button(key="FormSubmitter:checkin_form_3-Enregistrer mon bilan").click().run()
    assert not at.exception
    assert _euros(db) == [(3, 3550.0)]
