"""Two households become a collective on their phones (390×844), against the real server.

A household creates a collective, another joins it with the invitation code, and the captain
sees who has not checked in this week and copies the reminder for the group chat.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from challenge.accounts import credentials
from challenge.households.profile import set_up_household
from challenge.infra.db import Database
from challenge.models import Account, Enrolment, Household
from challenge.teams import membership
from challenge.teams.codes import invitation_path
from tests.e2e.conftest import (
    budget,
    log_in,
    new_phone_context,
    record_offsite_requests,
    screenshot,
    wait_for_app,
)
from tests.support.signup import confirmation_path

pytestmark = pytest.mark.e2e

PASSWORD = "une phrase de passe bien longue"


def _household(db: Database, name: str) -> str:
    email = f"{name.split()[-1].lower()}-{uuid.uuid4().hex[:8]}@exemple.fr"
    account = credentials.sign_up(db, email, PASSWORD)
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


PHONE_360 = {"width": 360, "height": 740}


def _enrolled_team(db: Database, email: str) -> int | None:
    with db.read() as session:
        return session.scalar(
            select(Enrolment.team_id)
            .join(Household, Household.id == Enrolment.household_id)
            .join(Account, Account.id == Household.account_id)
            .where(Account.email == email)
        )


def _household_id(db: Database, email: str) -> int:
    with db.read() as session:
        found = session.scalar(
            select(Household.id)
            .join(Account, Account.id == Household.account_id)
            .where(Account.email == email)
        )
    assert found is not None
    return found


def test_a_newcomer_opens_the_invitation_link_and_joins_on_sign_up(
    phone: Page, live_server: str, live_database: Database
) -> None:
    captain_email = _household(live_database, "Les Colibris")
    team = membership.create_team(live_database, _household_id(live_database, captain_email), "Les Bouleaux")
    phone.set_viewport_size(PHONE_360)

    # The link the captain shares opens the sign-up form, which says the code is kept.
    phone.goto(invitation_path(team.invite_code))
    expect(phone.get_by_role("heading", name="Rejoindre le défi")).to_be_visible(timeout=budget())
    expect(phone.get_by_text(f"code {team.invite_code}, rempli pour vous")).to_be_visible()
    screenshot(phone, "invitation-01-signup")
    email = f"nouveau-{uuid.uuid4().hex[:10]}@exemple.fr"
    phone.get_by_label("Adresse e-mail").fill(email)
    phone.get_by_label("Mot de passe").fill(PASSWORD)
    phone.get_by_role("button", name="Créer mon compte").click()
    expect(phone.get_by_role("heading", name="Vérifiez votre boîte mail")).to_be_visible()
    phone.goto(confirmation_path(live_database, email))  # the mailed link, on this phone
    phone.get_by_role("button", name="Confirmer").click()

    # The onboarding form has the code filled in: the household joins the collective with it.
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="Bienvenue dans le défi !")).to_be_visible(timeout=budget())
    code_field = phone.get_by_role("textbox", name="Code d'invitation d'un collectif (facultatif)")
    expect(code_field).to_have_value(team.invite_code)
    commune_search = phone.get_by_role("textbox", name="Commune", exact=True)
    commune_search.fill("lille")
    commune_search.press("Enter")
    wait_for_app(phone)
    expect(phone.locator(".st-key-onboarding_commune").get_by_role("radio").first).to_be_checked(
        timeout=budget()
    )
    phone.get_by_role("textbox", name="Nom ou pseudonyme du foyer", exact=True).fill("Les Pinsons")
    phone.locator(".st-key-onboarding_consent").get_by_text("J'accepte le règlement").click()
    screenshot(phone, "invitation-02-onboarding-with-code")
    phone.get_by_role("button", name="Rejoindre le défi").click()
    expect(phone.get_by_text("Votre foyer est inscrit")).to_be_visible(timeout=budget())
    wait_for_app(phone)
    assert _enrolled_team(live_database, email) == team.id
    phone.locator(".st-key-nav_bar").get_by_role("link", name="Collectif").click()
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="Les Bouleaux")).to_be_visible(timeout=budget())
    expect(phone.get_by_text("Les Pinsons — vous")).to_be_visible()
    screenshot(phone, "invitation-03-in-the-team")


def test_a_household_asks_to_join_a_collective_near_it_and_the_captain_accepts(
    phone: Page, browser: Browser, live_server: str, live_database: Database
) -> None:
    captain_email = _household(live_database, "Les Colibris")
    asker_email = _household(live_database, "Les Mésanges")
    team_name = f"Quartier Vauban {uuid.uuid4().hex[:4]}"
    team = membership.create_team(
        live_database, _household_id(live_database, captain_email), team_name, "Ouvert aux voisins"
    )
    phone.set_viewport_size(PHONE_360)

    # The household, in no collective, finds the ones open near its commune and asks to join.
    log_in(phone, asker_email, PASSWORD)
    phone.goto("/collectif")
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="Collectifs près de chez vous")).to_be_visible(timeout=budget())
    card = phone.locator(f'[data-testid="stVerticalBlock"]:has(> * .st-key-team_ask_{team.id})').last
    expect(card.get_by_text(team_name)).to_be_visible()
    expect(card.get_by_text("Ouvert aux voisins")).to_be_visible()
    screenshot(phone, "request-01-near")
    phone.locator(f".st-key-team_ask_{team.id}").get_by_role("button", name="Demander à rejoindre").click()
    expect(phone.get_by_text("Demande envoyée au capitaine du collectif.")).to_be_visible(timeout=budget())
    wait_for_app(phone)
    expect(phone.get_by_text("Demande envoyée : le capitaine vous ouvrira la porte.").first).to_be_visible()
    assert _enrolled_team(live_database, asker_email) is None

    # The captain, on its own phone, finds the request at the top of its tools and accepts it.
    context = new_phone_context(browser, live_server)
    try:
        record_offsite_requests(context, live_server, phone.offsite_requests)  # type: ignore[attr-defined]
        captain = context.new_page()
        captain.test_name = phone.test_name  # type: ignore[attr-defined]
        captain.set_viewport_size(PHONE_360)
        log_in(captain, captain_email, PASSWORD)
        captain.goto("/collectif")
        wait_for_app(captain)
        expect(captain.get_by_role("heading", name="Demandes pour rejoindre")).to_be_visible(timeout=budget())
        box = captain.get_by_role("heading", name="Demandes pour rejoindre").bounding_box()
        assert box is not None
        assert box["y"] < 2 * PHONE_360["height"], box  # at the top of the page, not screens down
        expect(captain.get_by_text("Les Mésanges", exact=True)).to_be_visible()
        screenshot(captain, "request-02-captain-sees-it")
        asker_id = _household_id(live_database, asker_email)
        captain.locator(f".st-key-team_request_accept_{asker_id}").get_by_role("button").click()
        expect(captain.get_by_text("Bienvenue à Les Mésanges dans le collectif !")).to_be_visible(
            timeout=budget()
        )
        wait_for_app(captain)
        expect(captain.get_by_role("heading", name="Demandes pour rejoindre")).to_have_count(0)
        screenshot(captain, "request-03-accepted")
    finally:
        context.close()
    assert _enrolled_team(live_database, asker_email) == team.id

    # The household now sees its collective.
    phone.reload()
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name=team_name)).to_be_visible(timeout=budget())
    expect(phone.get_by_text("Les Mésanges — vous")).to_be_visible()
    screenshot(phone, "request-04-member")
