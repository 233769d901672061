"""The check-in page reopens a week whose answers include counted objects (an integer)."""

from collections.abc import Callable
from datetime import date

from streamlit.testing.v1 import AppTest

from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from tests.conftest import Member


def test_checkin_page_reopens_a_week_with_objects_borrowed(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"amazon": ["label-emmaus"]})
    record_checkin(db, member.household_id, 3, [CheckinEntry("amazon", "tried", objects=2)], today)
    at = open_app(member, "pages/checkin.py")  # fails on any exception of the run
    assert at.text_input(key="checkin_objects_amazon_3").value == "2"
