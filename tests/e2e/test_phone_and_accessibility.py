"""Every page of every role on a 360×740 phone: no sideways scrolling, the navigation in one row
(with the language switch, and a visitor's log-in and sign-up links), no serious axe-core
violation, and a screenshot of each in tests/e2e/screenshots/ (kept by CI, git-ignored).

The pages come from ui.navigation.pages_for (new pages are covered without editing this file);
the data are a small demo challenge (`demo_site` in conftest.py, one per test worker), so that
tables and charts are filled.

One class per role: `--dist loadscope` hands each class to whichever worker is free, so the
five walks (the longest browser tests) are shared by both workers instead of queueing on one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
from playwright.sync_api import Browser

from challenge.demo.generator import DEMO_LOGINS, DEMO_PASSWORD
from challenge.infra.db import Database
from tests.e2e.conftest import PHONE, SCREENSHOTS, budget, log_in, wait_for_app
from tests.e2e.page_audit import (
    NARROW_PHONE,
    axe_violations,
    full_screenshot,
    identity_of,
    install_axe,
    navigation_problems,
    overflow_problems,
    pages_of,
)

pytestmark = pytest.mark.e2e
ERROR_BOX = '[data-testid="stAlertContentError"]'


@dataclass
class Walk:
    """What one role saw on each of its pages."""

    role: str
    overflow: dict[str, list[str]] = field(default_factory=dict)
    navigation: dict[str, list[str]] = field(default_factory=dict)
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)


@pytest.fixture(scope="class")
def walk(request: pytest.FixtureRequest, browser: Browser, demo_site: tuple[str, Database]) -> Walk:
    """Opens every page of the class's role at 360×740, audits it and takes its screenshot."""
    base, db = demo_site
    role: str = request.cls.role
    email = None if role == "visitor" else DEMO_LOGINS[role]
    context = browser.new_context(**{**PHONE, "viewport": NARROW_PHONE}, base_url=base)
    context.set_default_timeout(budget())
    page = context.new_page()
    install_axe(page)
    result = Walk(role)
    try:
        if email is not None:
            log_in(page, email, DEMO_PASSWORD)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for app_page in pages_of(identity_of(db, email) if email else None):
            name = f"/{app_page.url_path}"
            page.goto(name)
            wait_for_app(page)
            if page.locator(ERROR_BOX).count():
                result.errors.append(f"{name}: {page.locator(ERROR_BOX).first.inner_text()}")
            result.overflow[name] = overflow_problems(page)
            result.navigation[name] = navigation_problems(page, name, visitor=email is None)
            result.violations[name] = axe_violations(page)
            result.languages.add(page.evaluate("document.documentElement.lang"))
            step = re.sub(r"[^\w.-]+", "_", app_page.url_path or "home")
            full_screenshot(page, SCREENSHOTS / f"phone360-{role}-{step}.png", budget())
    finally:
        context.close()
    return result


def _fail_on(found: dict[str, list[Any]], role: str) -> None:
    report = [f"{path}:\n  " + "\n  ".join(map(str, items)) for path, items in found.items() if items]
    if report:
        pytest.fail(f"{role}:\n" + "\n".join(report), pytrace=False)


class PhoneWalk:
    """The checks of one role's walk (not collected itself: no `Test` prefix)."""

    role: ClassVar[str]

    def test_every_page_opens_without_error_in_french(self, walk: Walk) -> None:
        assert walk.errors == [], walk.errors
        assert walk.languages == {"fr"}

    def test_no_page_scrolls_sideways_on_a_360_px_phone(self, walk: Walk) -> None:
        assert len(walk.overflow) >= 4, "the walk opened too few pages"
        _fail_on(walk.overflow, walk.role)

    def test_the_navigation_is_one_row_with_the_language_switch_on_every_page(self, walk: Walk) -> None:
        _fail_on(walk.navigation, walk.role)

    def test_no_critical_or_serious_accessibility_violation(self, walk: Walk) -> None:
        _fail_on(walk.violations, walk.role)


class TestVisitor(PhoneWalk):
    role = "visitor"


class TestHousehold(PhoneWalk):
    role = "household"


class TestCaptain(PhoneWalk):
    role = "captain"


class TestCouncil(PhoneWalk):
    role = "council"


class TestOrganiser(PhoneWalk):
    role = "organiser"


def test_every_role_of_the_demo_is_walked() -> None:
    walked = {cls.role for cls in PhoneWalk.__subclasses__()}
    assert walked == {"visitor", *DEMO_LOGINS}
