"""Every page of every role on a 360×740 phone: no sideways scrolling, no serious axe-core
violation, and a screenshot of each in tests/e2e/screenshots/ (kept by CI, git-ignored).

The pages come from ui.navigation.pages_for (new pages are covered without editing this file);
the data are a small demo challenge (`challenge.demo`), so that tables and charts are filled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Browser

from challenge.cli.reference import load_reference
from challenge.demo.generator import DEMO_LOGINS, DEMO_PASSWORD, generate_demo
from challenge.infra import migrate
from challenge.infra.db import Database
from devtools.servers import serve_app
from tests.e2e.conftest import COOKIE_SECRET, PHONE, RUN_TIMEOUT_MS, SCREENSHOTS, log_in, wait_for_app
from tests.e2e.page_audit import (
    NARROW_PHONE,
    axe_violations,
    full_screenshot,
    identity_of,
    install_axe,
    overflow_problems,
    pages_of,
)

pytestmark = pytest.mark.e2e
ROLES = {
    "visitor": None,
    "household": DEMO_LOGINS["household"],
    "captain": DEMO_LOGINS["captain"],
    "council": DEMO_LOGINS["council"],
    "organiser": DEMO_LOGINS["organiser"],
}
DEMO_HOUSEHOLDS = 240  # enough for published (non-secret) figures in the Lille metropolis
ERROR_BOX = '[data-testid="stAlertContentError"]'


@dataclass
class Walk:
    """What one role saw on each of its pages."""

    role: str
    overflow: dict[str, list[str]] = field(default_factory=dict)
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    """The real app on a demo challenge of a few hundred households (its own database)."""
    folder = tmp_path_factory.mktemp("phone-a11y")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    migrate.upgrade(url)
    db = Database(url)
    load_reference(db)
    generate_demo(db, households=DEMO_HOUSEHOLDS, weeks=6, seed=42, today=date.today())
    with serve_app(
        url, folder / "server.log", COOKIE_SECRET, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none"
    ) as server:
        yield server.base, db
    db.dispose()


@pytest.fixture(scope="module", params=list(ROLES))
def walk(request: pytest.FixtureRequest, browser: Browser, demo_site: tuple[str, Database]) -> Walk:
    """Opens every page of one role at 360×740, audits it and takes its screenshot."""
    base, db = demo_site
    role, email = request.param, ROLES[request.param]
    context = browser.new_context(**{**PHONE, "viewport": NARROW_PHONE}, base_url=base)
    context.set_default_timeout(RUN_TIMEOUT_MS)
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
            result.violations[name] = axe_violations(page)
            result.languages.add(page.evaluate("document.documentElement.lang"))
            step = re.sub(r"[^\w.-]+", "_", app_page.url_path or "home")
            full_screenshot(page, SCREENSHOTS / f"phone360-{role}-{step}.png")
    finally:
        context.close()
    return result


def _fail_on(found: dict[str, list[Any]], role: str) -> None:
    report = [f"{path}:\n  " + "\n  ".join(map(str, items)) for path, items in found.items() if items]
    if report:
        pytest.fail(f"{role}:\n" + "\n".join(report), pytrace=False)


def test_every_page_opens_without_error_in_french(walk: Walk) -> None:
    assert walk.errors == [], walk.errors
    assert walk.languages == {"fr"}


def test_no_page_scrolls_sideways_on_a_360_px_phone(walk: Walk) -> None:
    assert len(walk.overflow) >= 4, "the walk opened too few pages"
    _fail_on(walk.overflow, walk.role)


def test_no_critical_or_serious_accessibility_violation(walk: Walk) -> None:
    _fail_on(walk.violations, walk.role)
