"""An organiser creates an edition from the console on a phone; an overlapping one cannot open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from challenge.accounts import credentials, sessions
from challenge.infra.db import Database
from tests.e2e.conftest import (
    EDITION_FORM_MS,
    budget,
    log_in,
    pick_option,
    screenshot,
    submit_form,
    wait_for_app,
)

pytestmark = pytest.mark.e2e
PASSWORD = "une phrase de passe solide"


def test_organiser_creates_an_edition_at_phone_size(phone: Page, live_database: Database) -> None:
    account = credentials.sign_up(live_database, "orga.console@exemple.fr", PASSWORD)
    sessions.grant_role(live_database, account.id, "organiser")
    log_in(phone, "orga.console@exemple.fr", PASSWORD)
    phone.locator(".st-key-nav_bar").get_by_role("link", name="Console").click()
    expect(phone).to_have_url(re.compile(r"/console$"))
    wait_for_app(phone, budget(EDITION_FORM_MS))
    phone.get_by_role("link", name="Éditions").click()
    expect(phone).to_have_url(re.compile(r"/console-editions$"))
    wait_for_app(phone, budget(EDITION_FORM_MS))

    phone.locator(".st-key-console_edition_name input").fill("Défi d'Amiens 2027")
    pick_option(phone, "console_edition_territories", "Amiens", "Amiens · Commune 80021")
    screenshot(phone, "form")
    submit_form(phone, "console_edition_save", "Édition créée en brouillon.")
    card = phone.locator('[class*="st-key-console_edition_card_"]').filter(has_text="Défi d'Amiens 2027")
    expect(card).to_contain_text("brouillon")
    expect(card).to_contain_text("Amiens")
    screenshot(phone, "created")

    # The e2e edition runs over the whole région: this one may not open over it.
    card.get_by_role("button", name="Ouvrir les inscriptions").click()
    wait_for_app(phone, budget(EDITION_FORM_MS))
    expect(phone.get_by_text("une seule édition à la fois par territoire")).to_be_visible()
    expect(card).to_contain_text("brouillon")
    screenshot(phone, "overlap-refused")


def test_organiser_finds_people_and_reads_the_audit_trail_at_phone_size(
    phone: Page, live_database: Database
) -> None:
    account = credentials.sign_up(live_database, "orga.people@exemple.fr", PASSWORD)
    sessions.grant_role(live_database, account.id, "organiser")
    log_in(phone, "orga.people@exemple.fr", PASSWORD)
    phone.goto("/console-personnes")
    wait_for_app(phone, budget(EDITION_FORM_MS))
    phone.locator(".st-key-console_people_query input").fill("orga.people")
    phone.keyboard.press("Enter")
    wait_for_app(phone, budget(EDITION_FORM_MS))
    card = phone.locator(f".st-key-console_people_card_{account.id}")
    # ui.format.plain puts an invisible word joiner after "@": no mailto link from account text.
    expect(card).to_contain_text(re.compile("orga\\.people@\u2060?exemple\\.fr"))
    expect(card).to_contain_text("toutes les éditions")
    screenshot(phone, "people")
    phone.goto("/console-journal")
    wait_for_app(phone, budget(EDITION_FORM_MS))
    expect(phone.get_by_role("heading", name="Journal d'audit")).to_be_visible()
    screenshot(phone, "audit")
