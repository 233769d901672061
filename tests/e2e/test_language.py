"""Against the real server: the language switch, the remembered choice and `<html lang>`."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from challenge.accounts import credentials, preferences
from challenge.households.profile import save_service_plan, set_up_household
from challenge.infra.db import Database
from tests.e2e.conftest import log_in, screenshot, wait_for_app

pytestmark = pytest.mark.e2e
PASSWORD = "une phrase de passe solide"


def test_a_visitor_switches_to_english_and_the_document_follows(phone: Page) -> None:
    phone.goto("/")
    wait_for_app(phone)
    assert phone.evaluate("document.documentElement.lang") == "fr"
    phone.get_by_role("link", name="English").click()
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="How does it work?")).to_be_visible()
    assert phone.evaluate("document.documentElement.lang") == "en"
    screenshot(phone, "home-en")
    phone.goto("/connexion")  # the account forms read the same cookie
    expect(phone.get_by_role("heading", name="Log in")).to_be_visible()
    screenshot(phone, "login-en")
    assert phone.evaluate("document.documentElement.lang") == "en"
    phone.get_by_role("link", name="Français").click()
    expect(phone.get_by_role("heading", name="Connexion")).to_be_visible()
    assert phone.evaluate("document.documentElement.lang") == "fr"


def test_a_household_choice_is_kept_in_its_account(phone: Page, live_database: Database) -> None:
    email = f"langue-{uuid.uuid4().hex[:8]}@exemple.fr"
    account = credentials.sign_up(live_database, email, PASSWORD)
    profile = set_up_household(live_database, account.id, "Les Linottes", "59350", 2, consent=True)
    save_service_plan(live_database, profile.household_id, {"gmail": ["proton-mail"]})
    log_in(phone, email, PASSWORD)
    phone.goto("/compte")
    wait_for_app(phone)
    phone.get_by_role("link", name="English").first.click()
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="My account")).to_be_visible()
    screenshot(phone, "account-en")
    assert preferences.language_of(live_database, account.id) == "en"
    phone.context.clear_cookies(name="dzg_lang")  # the account remembers it, not only this browser
    phone.goto("/bilan")
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="This week's check-in")).to_be_visible()
    assert phone.evaluate("document.documentElement.lang") == "en"
