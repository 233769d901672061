"""Two households become a collective on their phones (390×844), against the real server.

A household creates a collective, another joins it with the invitation code, and the captain
sees who has not checked in this week and copies the reminder for the group chat.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from challenge.accounts import sessions
from challenge.households.profile import set_up_household
from challenge.infra.db import Database
from tests.e2e.conftest import (
    budget,
    log_in,
    new_phone_context,
    record_offsite_requests,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

PASSWORD = "une phrase de passe bien longue"


def _household(db: Database, name: str) -> str:
    email = f"{name.split()[-1].lower()}-{uuid.uuid4().hex[:8]}@exemple.fr"
    account = sessions.sign_up(db, email, PASSWORD)
    set_up_household(db, account.id, name, "59350", 2, consent=True)
    return email


def test_team_journey(phone: Page, browser: Browser, live_server: str, live_database: Database) -> None:
    captain_email = _household(live_database, "Les Colibris")
    member_email = _household(live_database, "Les Mésanges")
    team_name = f"Rue des Lilas {uuid.uuid4().hex[:4]}"

    # 1. The captain-to-be opens "Collectif" from the navigation bar and creates a collective.
    log_in(phone, captain_email, PASSWORD)
    phone.locator(".st-key-nav_bar").get_by_role("link", name="Collectif").click()
    expect(phone).to_have_url(f"{live_server}/collectif")
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="Mon collectif")).to_be_visible(timeout=budget())
    expect(phone.get_by_text("si vous avez fait votre bilan de la semaine").first).to_be_visible()
    screenshot(phone, "01-no-team")
    phone.get_by_role("textbox", name="Nom du collectif").fill(team_name)
    phone.get_by_role("button", name="Créer le collectif").click()
    expect(phone.get_by_text("Votre collectif est créé")).to_be_visible(timeout=budget())
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="Outils du capitaine")).to_be_visible()
    code_block = phone.locator(".stCode, [data-testid='stCode']").filter(
        has_text=re.compile(r"^\s*[A-Z0-9]{6}\s*$")
    )
    invite_code = code_block.first.inner_text().strip()
    assert re.fullmatch(r"[A-HJ-KM-NP-Z2-9]{6}", invite_code), invite_code
    screenshot(phone, "02-team-created")

    # 2. Another household joins with the code, on its own phone.
    context = new_phone_context(browser, live_server)
    try:
        record_offsite_requests(context, live_server, phone.offsite_requests)  # type: ignore[attr-defined]
        other = context.new_page()
        other.test_name = phone.test_name  # type: ignore[attr-defined]
        log_in(other, member_email, PASSWORD)
        other.goto("/collectif")
        wait_for_app(other)
        other.get_by_role("textbox", name="Code d'invitation").fill(invite_code.lower())
        screenshot(other, "03-member-types-code")
        other.get_by_role("button", name="Rejoindre le collectif").click()
        expect(other.get_by_text("Bienvenue dans le collectif")).to_be_visible(timeout=budget())
        wait_for_app(other)
        expect(other.get_by_role("heading", name=team_name)).to_be_visible()
        expect(other.get_by_text("Les Mésanges — vous : ⏳ pas encore")).to_be_visible()
        expect(other.get_by_role("heading", name="Outils du capitaine")).to_have_count(0)
        screenshot(other, "04-member-joined")
    finally:
        context.close()

    # 3. The captain sees who has not checked in and copies the reminder.
    phone.reload()
    wait_for_app(phone)
    missing = phone.get_by_role("heading", name="Qui n'a pas encore fait son bilan ?")
    expect(missing).to_be_visible(timeout=budget())
    expect(phone.get_by_role("listitem").filter(has_text=re.compile(r"^Les Mésanges$"))).to_be_visible()
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    reminder = phone.locator("[data-testid='stCode']").filter(has_text="Bonjour à toutes et à tous")
    reminder.scroll_into_view_if_needed()
    reminder.hover()
    reminder.get_by_role("button").first.click()
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert team_name in copied
    assert f"{live_server}/bilan" in copied
    assert "Les Mésanges" not in copied
    screenshot(phone, "05-captain-reminder")

    # 4. The leaderboard, one tap away, lists the collective without ranking it (2 households).
    phone.get_by_role("link", name="Classement des collectifs").click()
    expect(phone).to_have_url(f"{live_server}/classement")
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="Classement des collectifs")).to_be_visible()
    expect(phone.get_by_text(re.compile(r"Trop petits pour être classés"))).to_be_visible()
    expect(phone.get_by_role("listitem").filter(has_text=f"{team_name} · votre collectif")).to_be_visible()
    expect(
        phone.get_by_text(f"Votre collectif « {team_name} » entrera au classement à 3 foyers")
    ).to_be_visible()
    screenshot(phone, "06-leaderboard")
