"""The longest navigation at 360×740, an organiser's who is also a council agent and has a
household: one compact row on every page, the language switch in it.

Every role of the demo (visitor, household, captain, council, organiser) gets the same check on
each of its pages during its phone walk (test_phone_and_accessibility.py), which opens them all
anyway. The pages come from ui.navigation.pages_for (a new page is covered without editing this
file).
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, expect

from challenge.accounts import credentials
from challenge.core.vocabulary import Role
from challenge.households.profile import set_up_household
from challenge.infra.db import Database
from challenge.models import RoleGrant
from tests.e2e.conftest import PHONE, budget, log_in, screenshot, wait_for_app
from tests.e2e.page_audit import NARROW_PHONE, identity_of, navigation_problems, pages_of

pytestmark = pytest.mark.e2e
PASSWORD = "une phrase de passe bien longue"


def _walk(browser: Browser, base: str, db: Database, email: str | None, role: str) -> list[str]:
    """Open every page of the account (a visitor: None) at 360×740 and say what is wrong."""
    context = browser.new_context(**{**PHONE, "viewport": NARROW_PHONE}, base_url=base)
    context.set_default_timeout(budget())
    page = context.new_page()
    page.test_name = f"test_navigation_row-{role}"  # type: ignore[attr-defined]
    problems: list[str] = []
    try:
        if email is not None:
            log_in(page, email, PASSWORD)
        for app_page in pages_of(identity_of(db, email) if email else None):
            path = f"/{app_page.url_path}"
            page.goto(path)
            wait_for_app(page)
            expect(page.locator(".st-key-nav_bar")).to_be_visible(timeout=budget())
            problems += navigation_problems(page, path, visitor=email is None)
            screenshot(page, re.sub(r"[^\w.-]+", "_", app_page.url_path or "home"))
    finally:
        context.close()
    return problems


def _account(db: Database, household: bool, roles: tuple[Role, ...] = ()) -> str:
    email = f"nav-{uuid.uuid4().hex[:10]}@exemple.fr"
    account = credentials.sign_up(db, email, PASSWORD)
    if household:
        set_up_household(db, account.id, "Les Hirondelles", "59350", 2, consent=True)
    with db.write() as session:
        for role in roles:
            scope = (
                {} if role == Role.ORGANISER else {"territory_level": "epci", "territory_code": "200093201"}
            )
            session.add(RoleGrant(account_id=account.id, role=role, **scope))
    return email


def test_an_organiser_with_a_household_has_one_row_on_every_page(
    browser: Browser, live_server: str, live_database: Database
) -> None:
    """The longest bar: the household's pages, the territory, the catalogue, the account, the console."""
    email = _account(live_database, household=True, roles=(Role.COUNCIL, Role.ORGANISER))
    problems = _walk(browser, live_server, live_database, email, "organiser")
    assert problems == [], "\n".join(problems)
