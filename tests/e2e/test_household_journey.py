"""A household's whole journey on a phone (390×844), against the real server.

Visitor home → sign-up → onboarding → services and alternatives → weekly check-in → progress
survives a reload → log-out, after which neither the pages nor the old cookie give access.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    budget,
    new_phone_context,
    open_page,
    pick_option,
    record_offsite_requests,
    running_edition_start,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

PASSWORD = "une phrase de passe bien longue"
HOUSEHOLD = "Les Colibris du Nord"
SERVICES = ["Gmail (Messagerie électronique)", "WhatsApp (Messagerie instantanée)"]


def test_household_journey(phone: Page, browser: Browser, live_server: str) -> None:
    page = phone
    week = (date.today() - running_edition_start(date.today())).days // 7 + 1
    assert week == 3

    # 1. The visitor home, then the same-tab link to the sign-up form.
    page.goto("/")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Défi Zéro Gafam")).to_be_visible(timeout=budget())
    expect(page.get_by_role("link", name="Créer un compte")).to_be_visible()
    expect(page.get_by_role("link", name="Je relève le défi")).to_be_visible()
    screenshot(page, "01-visitor-home")
    pages_before = len(page.context.pages)
    page.get_by_role("link", name="Je relève le défi").click()
    expect(page).to_have_url(f"{live_server}/inscription")
    assert len(page.context.pages) == pages_before, "the sign-up link opened a new tab"
    expect(page.get_by_role("heading", name="Rejoindre le défi")).to_be_visible()
    screenshot(page, "02-signup-form")

    # 2. Sign up: back on / with the onboarding page.
    email = f"foyer-{uuid.uuid4().hex[:10]}@exemple.fr"
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page).to_have_url(f"{live_server}/")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Bienvenue dans le défi !")).to_be_visible(timeout=budget())
    screenshot(page, "03-onboarding")

    # 3. Onboarding: name, commune (searchable selectbox), consent.
    page.get_by_role("textbox", name="Nom ou pseudonyme du foyer", exact=True).fill(HOUSEHOLD)
    pick_option(page, "onboarding_commune", "Lille", "Lille (59000)")
    expect(page.locator(".st-key-onboarding_commune").get_by_role("combobox")).to_have_value("Lille (59000)")
    page.locator(".st-key-onboarding_consent").get_by_text("J'accepte le règlement").click()
    expect(page.locator(".st-key-onboarding_consent input[type=checkbox]")).to_be_checked()
    screenshot(page, "04-onboarding-filled")
    page.get_by_role("button", name="Rejoindre le défi").click()
    expect(page.get_by_text("Votre foyer est inscrit")).to_be_visible(timeout=budget())
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Mon défi")).to_be_visible()
    screenshot(page, "05-enrolled")

    # 4. My services, opened through the navigation bar.
    open_page(page, "Services", via="menu")
    expect(page).to_have_url(f"{live_server}/services")
    expect(page.get_by_role("heading", name="Mes services")).to_be_visible()
    for label in SERVICES:
        pick_option(page, "services_selected", label.split(" ")[0], label)
        wait_for_app(page)
    alternatives = page.locator('[class*="st-key-services_alternatives_"]')
    expect(alternatives).to_have_count(len(SERVICES))
    for index in range(len(SERVICES)):
        key = re.search(r"st-key-(services_alternatives_\S+)", alternatives.nth(index).get_attribute("class"))
        assert key, alternatives.nth(index).get_attribute("class")
        pick_option(page, key.group(1), "")
        wait_for_app(page)
        expect(alternatives.nth(index).locator("[data-tag]")).to_have_count(1)
    screenshot(page, "06-services-chosen")
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_text("C'est noté")).to_be_visible(timeout=budget())
    wait_for_app(page)
    screenshot(page, "07-services-saved")

    # 5. Weekly check-in, opened by its url path.
    open_page(page, "Bilan", via="url")
    expect(page.get_by_role("heading", name="Bilan de la semaine")).to_be_visible()
    first_service = page.locator('[data-testid="stForm"] [data-testid="stRadio"]').first
    first_service.get_by_text("Passé à l'alternative").click()
    expect(first_service.get_by_role("radio", name="Passé à l'alternative")).to_be_checked()
    screenshot(page, "08-checkin")
    page.get_by_role("button", name="Enregistrer mon bilan").click()
    expect(page.get_by_text(f"Bilan de la semaine {week} enregistré")).to_be_visible(timeout=budget())
    expect(page.get_by_role("heading", name="Mon défi")).to_be_visible()
    expect(page).to_have_url(f"{live_server}/")
    wait_for_app(page)
    screenshot(page, "09-checkin-saved")

    # 6. A reload starts a new Streamlit session: still logged in thanks to the cookie.
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "dzg_session")
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Mon défi")).to_be_visible(timeout=budget())
    expect(page.get_by_text(HOUSEHOLD).first).to_be_visible()
    expect(page.get_by_text(f"Bilan de la semaine {week} fait")).to_be_visible()
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    score = page.locator('[data-testid="stMetric"]').filter(has_text="Score")
    expect(score.locator('[data-testid="stMetricValue"]')).to_have_text(re.compile(r"^50\s%$"))
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="Remplacés")).to_contain_text("1 / 2")
    screenshot(page, "10-progress-after-reload")

    # 7. Log out from the account page, through the confirmation form.
    open_page(page, "Compte", via="menu")
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()
    page.get_by_role("link", name="Se déconnecter", exact=True).click()
    expect(page).to_have_url(f"{live_server}/deconnexion")
    expect(page.get_by_role("heading", name="Se déconnecter ?")).to_be_visible()
    screenshot(page, "11-logout-confirm")
    page.get_by_role("button", name="Me déconnecter").click()
    expect(page).to_have_url(f"{live_server}/connexion?message=bye")
    expect(page.get_by_text("Vous êtes déconnecté·e")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "dzg_session"]
    screenshot(page, "12-logged-out")

    # 8. No private page any more, in this tab...
    page.goto("/bilan")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Connexion nécessaire")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter").first).to_have_attribute(
        "href", re.compile("next=/bilan")
    )
    screenshot(page, "13-after-logout-bilan")
    page.goto("/")
    wait_for_app(page)
    _expect_visitor(page)
    screenshot(page, "14-after-logout-home")

    # ... nor with the old session cookie replayed in another browser.
    context = new_phone_context(browser, live_server)
    try:
        record_offsite_requests(context, live_server, page.offsite_requests)  # type: ignore[attr-defined]
        context.add_cookies([session_cookie])
        replay = context.new_page()
        replay.test_name = page.test_name  # type: ignore[attr-defined]
        replay.goto("/")
        wait_for_app(replay)
        _expect_visitor(replay)
        screenshot(replay, "15-replayed-cookie")
    finally:
        context.close()


def _expect_visitor(page: Page) -> None:
    """The visitor home (behind a 'Page not found' notice for a private path): no household page."""
    expect(page.get_by_role("heading", name="Défi Zéro Gafam")).to_be_visible(timeout=budget())
    expect(page.get_by_role("link", name="Créer un compte")).to_be_visible()
    expect(page.get_by_role("heading", name="Mon défi")).to_have_count(0)
    expect(page.get_by_role("heading", name="Bilan de la semaine")).to_have_count(0)
    expect(page.get_by_text(HOUSEHOLD)).to_have_count(0)
