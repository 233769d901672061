"""The navigation at 360×740: one compact row on every page of every role, the language switch
(and a visitor's log-in and sign-up links) in that row, never a line of their own.

The pages come from ui.navigation.pages_for (a new page is covered without editing this file).
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from challenge.accounts import credentials
from challenge.core.vocabulary import Role
from challenge.households.profile import set_up_household
from challenge.infra.db import Database
from challenge.models import RoleGrant
from tests.e2e.conftest import PHONE, budget, log_in, screenshot, wait_for_app
from tests.e2e.page_audit import NARROW_PHONE, identity_of, pages_of

pytestmark = pytest.mark.e2e
PASSWORD = "une phrase de passe bien longue"
ROW_HEIGHT = 60  # px: one row of 44 px touch targets and its padding

# Where the row is, and each of its links (name, box) and the language link's box.
MEASURE = """() => {
  const bar = document.querySelector('.st-key-nav_bar');
  if (!bar) return null;
  const box = (el) => { const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const links = [...bar.querySelectorAll('.dzg-lang, .dzg-account')];
  const headings = [...main.querySelectorAll('h1')].map(box);
  return {bar: box(bar), language: !!bar.querySelector('.dzg-lang'),
          links: links.map((a) => ({name: a.textContent.trim(), ...box(a)})),
          heading: headings.length ? headings[0] : null, width: document.documentElement.clientWidth};
}"""


def _problems(page: Page, path: str) -> list[str]:
    found = page.evaluate(MEASURE)
    if found is None:
        return [f"{path}: no navigation bar"]
    bar, problems = found["bar"], []
    if bar["bottom"] - bar["top"] > ROW_HEIGHT:
        problems.append(
            f"{path}: the navigation takes {bar['bottom'] - bar['top']:.0f} px (more than one row)"
        )
    if not found["language"]:
        problems.append(f"{path}: no language switch in the navigation row")
    for link in found["links"]:
        if link["top"] < bar["top"] - 1 or link["bottom"] > bar["bottom"] + 1:
            problems.append(f"{path}: '{link['name']}' is on a line of its own, not in the navigation row")
        if link["left"] < -1 or link["right"] > found["width"] + 1:
            problems.append(f"{path}: '{link['name']}' sticks out of the screen")
    heading = found["heading"]
    if heading is not None and heading["top"] - bar["bottom"] > 120:
        problems.append(
            f"{path}: {heading['top'] - bar['bottom']:.0f} px between the navigation and the title"
        )
    return problems


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
            problems += _problems(page, path)
            if email is None:  # a visitor: log-in (back to this page) and sign-up, in the row
                bar = page.locator(".st-key-nav_bar")
                expect(bar.get_by_role("link", name="Se connecter")).to_be_visible()
                expect(bar.get_by_role("link", name="Créer un compte")).to_be_visible()
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


def test_a_visitor_s_navigation_is_one_row_with_language_and_account_links(
    browser: Browser, live_server: str, live_database: Database
) -> None:
    problems = _walk(browser, live_server, live_database, None, "visitor")
    assert problems == [], "\n".join(problems)


def test_a_household_s_navigation_is_one_row_on_every_page(
    browser: Browser, live_server: str, live_database: Database
) -> None:
    email = _account(live_database, household=True)
    problems = _walk(browser, live_server, live_database, email, "household")
    assert problems == [], "\n".join(problems)


def test_an_organiser_with_a_household_has_one_row_on_every_page(
    browser: Browser, live_server: str, live_database: Database
) -> None:
    """The longest bar: the household's pages, the territory, the catalogue, the account, the console."""
    email = _account(live_database, household=True, roles=(Role.COUNCIL, Role.ORGANISER))
    problems = _walk(browser, live_server, live_database, email, "organiser")
    assert problems == [], "\n".join(problems)
