"""The check-in page: answers naming the choice, quantities only where they apply, read as typed."""

from collections.abc import Callable
from datetime import date

import pytest
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
    save_service_plan(db, member.household_id, {"amazon": ["label-emmaus", "tipimi"]})
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
    at.button(key="checkin_submit_3").click().run()
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
    at.button(key="checkin_submit_3").click().run()
    assert _euros(db) == []
    assert "bien plus que d'habitude" in texts(at)
    assert "Euros dépensés localement pour Amazon : 3\u202f550" in texts(at)
    at.checkbox(key="checkin_confirm_3").check()
    at.button(key="checkin_submit_3").click().run()
    assert not at.exception
    assert _euros(db) == [(3, 3550.0)]


def test_each_answer_names_the_chosen_alternative_and_the_service(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    save_service_plan(db, member.household_id, {"google-search": ["qwant"], "whatsapp": ["signal", "olvid"]})
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    assert at.radio(key="checkin_status_google-search_3").options == [
        "Passé à Qwant",
        "Surtout Qwant",
        "Essayé Qwant",
        "Toujours Google Search",
        "Service abandonné",
    ]
    assert (
        at.radio(key="checkin_status_whatsapp_3").options[0] == "Passé à Olvid ou Signal"
    )  # as the plan lists them


def test_a_first_check_in_starts_unanswered_and_cannot_be_sent_by_accident(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    assert at.radio(key="checkin_status_gmail_3").value is None
    at.radio(key="checkin_status_gmail_3").set_value("switched").run()
    at.button(key="checkin_submit_3").click().run()
    assert "Choisissez une réponse pour WhatsApp avant d'enregistrer." in texts(at)
    assert _euros(db) == []


def test_a_week_starts_on_the_last_answers(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    record_checkin(db, member.household_id, 2, [CheckinEntry("gmail", "mostly")], today)
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    assert at.radio(key="checkin_status_gmail_3").value == "mostly"
    assert at.radio(key="checkin_status_whatsapp_3").value is None


@pytest.mark.parametrize(
    ("plan", "status", "asked"),
    [
        ({"amazon": ["label-emmaus"]}, "still", []),  # not using the alternative: nothing to count
        ({"amazon": ["label-emmaus"]}, "tried", ["euros"]),  # a shop lends nothing
        ({"amazon": ["tipimi"]}, "switched", ["euros", "objects"]),
        ({"uber": ["ilevia"]}, "switched", []),  # a bus is not carpooling
        ({"uber": ["mobicoop"]}, "mostly", ["km"]),
    ],
)
def test_quantities_show_only_when_they_can_apply(
    open_app: Callable[..., AppTest],
    db: Database,
    member: Member,
    plan: dict[str, list[str]],
    status: str,
    asked: list[str],
) -> None:
    save_service_plan(db, member.household_id, plan)
    slug = next(iter(plan))
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    at.radio(key=f"checkin_status_{slug}_3").set_value(status).run()
    keys = {field.key for field in at.text_input}
    shown = [q for q in ("km", "euros", "objects") if f"checkin_{q}_{slug}_3" in keys]
    assert shown == asked
