"""Operations against the real server: the health route, and two app processes on one database."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Browser, expect

from challenge.accounts import credentials
from challenge.households.profile import save_service_plan, set_up_household
from challenge.infra.db import Database
from tests.e2e.conftest import budget, log_in, new_phone_context, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

PASSWORD = "une phrase de passe bien longue"


def _get_json(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=budget(10_000) / 1000) as response:  # noqa: S310 - loopback http
            return response.status, json.loads(response.read()), response.headers.get("Cache-Control", "")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers.get("Cache-Control", "")


def test_health_route_of_the_real_server(live_server: str) -> None:
    assert _get_json(f"{live_server}/healthz") == (200, {"status": "ok", "database": "ok"}, "no-store")


def test_check_in_through_one_app_process_shows_on_the_other(
    browser: Browser, twin_servers: tuple[str, str, str]
) -> None:
    first, second, url = twin_servers
    assert _get_json(f"{first}/healthz")[0] == _get_json(f"{second}/healthz")[0] == 200
    db = Database(url)
    try:
        account = credentials.sign_up(db, "jumeaux@exemple.fr", PASSWORD)
        profile = set_up_household(db, account.id, "Les Jumeaux", "59350", 2, consent=True)
        save_service_plan(db, profile.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    finally:
        db.dispose()

    context = new_phone_context(browser, first)
    try:
        page = context.new_page()
        page.test_name = "test_two_app_processes"  # type: ignore[attr-defined]
        log_in(page, "jumeaux@exemple.fr", PASSWORD)  # through A's form: the cookie is A's
        page.goto(f"{first}/bilan")
        wait_for_app(page)
        # A first check-in starts unanswered: each service is answered, naming its alternative.
        page.locator(".st-key-checkin_status_gmail_3").get_by_text("Passé à Proton Mail").click()
        wait_for_app(page)
        page.locator(".st-key-checkin_status_whatsapp_3").get_by_text("Toujours WhatsApp").click()
        wait_for_app(page)
        page.get_by_role("button", name="Enregistrer mon bilan").click()
        expect(page.get_by_text("Bilan de la semaine 3 enregistré")).to_be_visible(timeout=budget())
        screenshot(page, "01-checked-in-on-A")

        page.goto(f"{second}/")  # same browser, same cookie (cookies ignore the port), other process
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Mon défi")).to_be_visible(timeout=budget())
        expect(page.get_by_text("Bilan de la semaine 3 fait")).to_be_visible()
        expect(page.locator('[data-testid="stMetric"]').filter(has_text="Remplacés")).to_contain_text("1 / 2")
        screenshot(page, "02-progress-on-B")
    finally:
        context.close()
