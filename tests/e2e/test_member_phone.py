"""A member checks in from their own 360×740 phone, against the real server: the owner invites Tom
on « Mon foyer » and copies the link; Tom opens it on his phone, signs up, comes back to it, joins,
answers his own line of the check-in; the owner's « Mon défi » shows where Tom is."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from challenge.core.clock import today
from challenge.households import members
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.views.household import checkin_view
from tests.e2e.conftest import budget, log_in, screenshot, small_phone_page, wait_for_app
from tests.support.households import whatsapp_household
from tests.support.signup import confirmation_path

pytestmark = pytest.mark.e2e

PASSWORD = "une phrase de passe bien longue"


def _narrow(phone: Page) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll


def test_a_member_checks_in_from_their_own_phone(
    browser: Browser, live_server: str, live_database: Database
) -> None:
    db, offsite = live_database, []
    email, household = whatsapp_household(db, f"Les Hérons {uuid.uuid4().hex[:4]}", PASSWORD, "phone")
    lea = members.add_member(db, household, "Léa")
    tom = members.add_member(db, household, "Tom")
    save_service_plan(db, household, {"whatsapp": ["signal"]}, users={"whatsapp": [lea, tom]})

    # 1. The owner invites Tom on « Mon foyer » and reads the link, shown once.
    owner = small_phone_page(browser, live_server, offsite, "member-phone-owner")
    log_in(owner, email, PASSWORD)
    owner.goto("/services")
    wait_for_app(owner)
    owner.locator("[data-testid=stExpander]").filter(has_text="Tom").first.click()
    owner.locator(f".st-key-services_member_invite_{tom} button").click()
    wait_for_app(owner)
    code = owner.locator("[data-testid=stCode]")
    expect(code).to_be_visible(timeout=budget())
    link = code.inner_text().strip()
    assert "/foyer/rejoindre/" in link
    code.scroll_into_view_if_needed()
    _narrow(owner)
    screenshot(owner, "01-invite-link")

    # 2. Tom opens it on his own phone: log in or sign up, and back to the invitation.
    phone = small_phone_page(browser, live_server, offsite, "member-phone-tom")
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Rejoindre le foyer")).to_be_visible()
    _narrow(phone)
    screenshot(phone, "02-invitation-visitor")
    phone.get_by_role("link", name="Créer un compte").click()
    tom_email = f"tom-{uuid.uuid4().hex[:8]}@exemple.fr"
    phone.get_by_label("Adresse e-mail").fill(tom_email)
    phone.get_by_label("Mot de passe").fill(PASSWORD)
    phone.get_by_role("button", name="Créer mon compte").click()
    expect(phone.get_by_role("heading", name="Vérifiez votre boîte mail")).to_be_visible()
    phone.goto(confirmation_path(db, tom_email))
    phone.get_by_role("button", name="Confirmer").click()
    join = phone.get_by_role("button", name="Rejoindre le foyer")
    expect(join).to_be_visible(timeout=budget())
    expect(join).to_contain_text("en tant que Tom")
    _narrow(phone)
    screenshot(phone, "03-invitation-confirm")
    join.click()

    # 3. His own line of the check-in, and nothing else.
    expect(phone).to_have_url(f"{live_server}/bilan")
    wait_for_app(phone)
    week = checkin_view(db, household, today()).weeks[0]
    mine = phone.locator(f".st-key-checkin_own_status_whatsapp_{week}")
    expect(mine).to_be_visible(timeout=budget())
    assert phone.locator(f".st-key-checkin_member_status_whatsapp_{lea}_{week}").count() == 0
    expect(phone.locator(".st-key-nav_bar").get_by_role("link", name="Services")).to_have_count(0)
    mine.get_by_text("Passé à Signal", exact=True).click()
    wait_for_app(phone)
    _narrow(phone)
    screenshot(phone, "04-own-checkin")
    phone.locator(f".st-key-checkin_own_submit_{week} button").click()
    expect(phone.get_by_text(f"Votre réponse de la semaine {week} est enregistrée")).to_be_visible(
        timeout=budget()
    )
    wait_for_app(phone)
    screenshot(phone, "05-member-progress")

    # 4. The owner's « Mon défi »: where Tom is (Léa has not answered: the household is still on it).
    owner.goto("/defi")
    wait_for_app(owner)
    places = owner.get_by_text("Tom : Signal")
    expect(places).to_be_visible(timeout=budget())
    places.scroll_into_view_if_needed()
    _narrow(owner)
    screenshot(owner, "06-owner-progress")
    owner.context.close()
    phone.context.close()
    assert offsite == [], f"third-party requests made by the app: {offsite}"
