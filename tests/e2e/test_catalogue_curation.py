"""On a phone: an organiser creates an edition and adds an alternative available in one EPCI only;
a household of that EPCI is offered it, a household elsewhere is not."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from challenge.accounts import credentials, sessions
from challenge.households.profile import set_up_household
from challenge.infra.db import Database
from tests.e2e.conftest import (
    EDITION_FORM_MS,
    budget,
    log_in,
    new_phone_context,
    open_combobox,
    open_page,
    pick_option,
    screenshot,
    submit_form,
    wait_for_app,
)

pytestmark = pytest.mark.e2e
PASSWORD = "une phrase de passe solide"
ALTERNATIVE = "Vélo Coop Métropole"
# As the territory pickers label it (ui/console.py territory_choices: name · level code).
MEL = "Métropole Européenne de Lille · Intercommunalité 200093201"


def _open_console_page(page: Page, link: str, url_path: str) -> None:
    page.locator(".st-key-nav_bar").get_by_role("link", name="Console").click()
    expect(page).to_have_url(re.compile(r"/console$"))
    wait_for_app(page, budget(EDITION_FORM_MS))
    page.get_by_role("link", name=link).click()
    expect(page).to_have_url(re.compile(rf"/{url_path}$"))
    wait_for_app(page, budget(EDITION_FORM_MS))


def _create_edition(page: Page) -> None:
    _open_console_page(page, "Éditions", "console-editions")
    page.locator(".st-key-console_edition_name input").fill("Défi de la métropole 2027")
    pick_option(page, "console_edition_territories", "Métropole Européenne", MEL)
    submit_form(page, "console_edition_save", "Édition créée en brouillon.")
    screenshot(page, "edition-created")


def _add_local_alternative(page: Page) -> None:
    _open_console_page(page, "Curation du catalogue", "console-catalogue")
    page.locator(".st-key-console_catalogue_new button").click()
    expect(page).to_have_url(re.compile(r"/console-alternative$"))
    wait_for_app(page, budget(EDITION_FORM_MS))
    page.locator(".st-key-console_alternative_name input").fill(ALTERNATIVE)
    page.locator(".st-key-console_alternative_slug input").fill("velo-coop-metropole")
    page.locator(".st-key-console_alternative_url input").fill("https://velo-coop.exemple.fr")
    page.locator(".st-key-console_alternative_description textarea").fill("Vélos partagés en coopérative.")
    pick_option(page, "console_alternative_kind", "Coop", "Coopérative")
    pick_option(page, "console_alternative_replaces", "Uber", "Uber (Uber)")
    pick_option(page, "console_alternative_territories", "Métropole Européenne", MEL)
    page.locator(".st-key-console_alternative_sources textarea").fill(
        "https://velo-coop.exemple.fr/statuts Statuts"
    )
    screenshot(page, "alternative-form")
    page.locator(".st-key-console_alternative_save button").click()
    expect(page).to_have_url(re.compile(r"/console-catalogue$"))
    wait_for_app(page, budget(EDITION_FORM_MS))
    expect(page.get_by_text(f"Alternative « {ALTERNATIVE} » enregistrée.")).to_be_visible()
    screenshot(page, "alternative-saved")


def _offered_to(browser: Browser, base: str, db: Database, email: str, commune: str) -> bool:
    """Whether a household of `commune` is offered the alternative for Uber on its services page."""
    account = credentials.sign_up(db, email, PASSWORD)
    set_up_household(db, account.id, f"Foyer {commune}", commune, 2, consent=True)
    context = new_phone_context(browser, base)
    page = context.new_page()
    try:
        log_in(page, email, PASSWORD)
        open_page(page, "Services", via="url")
        pick_option(page, "services_selected", "Uber", "Uber (Covoiturage et VTC)")
        wait_for_app(page, budget(EDITION_FORM_MS))
        open_combobox(page, "services_alternatives_uber")
        options = page.get_by_role("listbox").get_by_role("option")
        expect(options.first).to_be_visible()
        screenshot(page, f"household-{commune}")
        return options.filter(has_text=ALTERNATIVE).count() > 0
    finally:
        context.close()


def test_an_alternative_of_one_epci_reaches_its_households_only(
    phone: Page, browser: Browser, live_server: str, live_database: Database
) -> None:
    account = credentials.sign_up(live_database, "orga.catalogue@exemple.fr", PASSWORD)
    sessions.grant_role(live_database, account.id, "organiser")
    log_in(phone, "orga.catalogue@exemple.fr", PASSWORD)
    _create_edition(phone)
    _add_local_alternative(phone)

    assert _offered_to(browser, live_server, live_database, "foyer.lille.cat@exemple.fr", "59350")
    assert not _offered_to(browser, live_server, live_database, "foyer.amiens.cat@exemple.fr", "80021")
