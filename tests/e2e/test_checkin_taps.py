"""The weekly check-in on a phone: one tap when nothing changed, at most three per service
otherwise, on touch targets of at least 44 px."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from challenge.accounts import credentials
from challenge.editions.lookup import enrolment_of
from challenge.households.checkins import CheckinEntry, checkins_of, record_checkin
from challenge.households.profile import save_service_plan, set_up_household
from challenge.infra.db import Database
from challenge.models import Account, Household
from tests.e2e.conftest import budget, log_in, screenshot, wait_for_app
from tests.support.households import join_before_start

pytestmark = pytest.mark.e2e
PASSWORD = "une phrase de passe solide"
LAST_WEEK = {"gmail": "switched", "whatsapp": "tried"}
MIN_TARGET_PX = 44


class Taps:
    """Taps a person makes on the page (not counting the navigation to it)."""

    def __init__(self) -> None:
        self.count = 0

    def tap(self, target: Locator) -> None:
        assert_touch_target(target)
        target.tap()
        self.count += 1


def assert_touch_target(target: Locator) -> None:
    box = target.bounding_box()
    assert box is not None, f"{target} is not on screen"
    assert min(box["height"], box["width"]) >= MIN_TARGET_PX, f"{target}: {box}"


def _household_with_last_week(db: Database) -> tuple[int, int]:
    """A Lille household in the running edition since week 1, checked in for week 2 only."""
    account = credentials.sign_up(db, f"taps-{uuid.uuid4().hex[:8]}@exemple.fr", PASSWORD)
    profile = set_up_household(db, account.id, "Les Pinsons", "59350", 2, consent=True)
    save_service_plan(db, profile.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    join_before_start(db, profile.household_id)
    entries = [CheckinEntry(slug, status) for slug, status in LAST_WEEK.items()]
    record_checkin(db, profile.household_id, 2, entries, date.today())
    with db.read() as session:
        enrolment = enrolment_of(session, profile.household_id)
    assert enrolment is not None
    return profile.household_id, enrolment[0].id


def _answers(db: Database, household_id: int, edition_id: int, week: int) -> dict[str, str]:
    with db.read() as session:
        return {
            c.service_slug: c.status for c in checkins_of(session, household_id, edition_id) if c.week == week
        }


def _open_checkin(page: Page, db: Database) -> tuple[int, int]:
    household_id, edition_id = _household_with_last_week(db)
    log_in(page, _email_of(db, household_id), PASSWORD)
    page.goto("/bilan")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Bilan de la semaine")).to_be_visible()
    return household_id, edition_id


def _email_of(db: Database, household_id: int) -> str:
    with db.read() as session:
        household = session.get_one(Household, household_id)
        return session.get_one(Account, household.account_id).email


def test_nothing_changed_since_last_week_is_one_tap(phone: Page, live_database: Database) -> None:
    household_id, edition_id = _open_checkin(phone, live_database)
    taps = Taps()
    screenshot(phone, "before")
    taps.tap(phone.get_by_role("button", name="Mêmes réponses que la dernière fois"))
    expect(phone.get_by_text("Bilan de la semaine 3 enregistré")).to_be_visible(timeout=budget())
    screenshot(phone, "after")
    assert taps.count == 1
    assert _answers(live_database, household_id, edition_id, 3) == LAST_WEEK


def test_one_changed_service_takes_two_taps_on_large_targets(phone: Page, live_database: Database) -> None:
    household_id, edition_id = _open_checkin(phone, live_database)
    form = phone.locator('[data-testid="stMain"]')
    options = form.locator('[class*="st-key-checkin_status_"] [role="radiogroup"] label')
    expect(options).to_have_count(len(LAST_WEEK) * 5)
    for index in range(options.count()):  # every answer of every service is easy to hit
        assert_touch_target(options.nth(index))
    taps = Taps()
    whatsapp = form.locator(".st-key-checkin_status_whatsapp_3")
    taps.tap(whatsapp.locator("label").filter(has_text="Passé à Signal"))
    taps.tap(form.get_by_role("button", name="Enregistrer mon bilan"))
    expect(phone.get_by_text("Bilan de la semaine 3 enregistré")).to_be_visible(timeout=budget())
    assert taps.count == 2  # at most three per service: a status, an optional quantity, the button
    assert _answers(live_database, household_id, edition_id, 3) == {**LAST_WEEK, "whatsapp": "switched"}
