"""Help to switch on 360×740 phones, against the real server: a help session published for Lille
appears under the service it concerns for a household of Lille (not the one for Amiens), with its
calendar file and « Je viendrai »; the household asks for help, its captain answers on the
collective's page, and the household reads the answer; a household without a collective shares
its request and a captain of its EPCI answers it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select

from challenge.help import sessions as help_sessions
from challenge.help.forms import SessionDraft
from challenge.infra.db import Database
from challenge.models import Account, HelpRequest, HelpRsvp, OutboxMessage, RoleGrant
from challenge.teams import membership
from tests.e2e.conftest import (
    budget,
    log_in,
    screenshot,
    small_phone_page,
    submit_form,
    wait_for_app,
)
from tests.support.households import whatsapp_household

pytestmark = pytest.mark.e2e

PASSWORD = "une phrase de passe bien longue"


def _household(db: Database, name: str) -> tuple[str, int]:
    return whatsapp_household(db, name, PASSWORD, "help")


def _publish(db: Database, topic: str, commune: str) -> int:
    with db.write() as session:
        account = Account(email=f"orga-{uuid.uuid4().hex[:8]}@exemple.fr")
        session.add(account)
        session.flush()
        session.add(RoleGrant(account_id=account.id, role="organiser"))
        account_id = account.id
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    draft = SessionDraft(
        "install_party", "commune", commune, starts, 180, "Médiathèque, 1 rue Neuve", topic, ["whatsapp"]
    )
    return help_sessions.publish_as_organiser(db, account_id, draft)


def test_a_household_asks_for_help_and_its_captain_answers(
    browser: Browser, live_server: str, live_database: Database
) -> None:
    db, offsite = live_database, []
    suffix = uuid.uuid4().hex[:4]
    captain_email, captain = _household(db, f"Les Hérons {suffix}")
    asker_email, asker = _household(db, f"Les Mésanges {suffix}")
    team = membership.create_team(db, captain, f"Rue des Ormes {suffix}")
    membership.join_team(db, asker, team.invite_code)
    lille = _publish(db, f"Installer Signal {suffix}", "59350")
    _publish(db, f"À Amiens {suffix}", "80021")

    # 1. The session for Lille is under WhatsApp, not the one for Amiens; its calendar file.
    phone = small_phone_page(browser, live_server, offsite, "help_asker")
    log_in(phone, asker_email, PASSWORD)
    phone.goto("/services")
    wait_for_app(phone)
    card = phone.locator(f".st-key-help_session_{lille}")
    expect(card.get_by_text(f"Installer Signal {suffix}")).to_be_visible(timeout=budget())
    expect(phone.get_by_text(f"À Amiens {suffix}")).to_have_count(0)
    with phone.expect_download() as download:
        card.get_by_role("button", name="Ajouter à mon agenda (.ics)").click()
    [event] = Calendar.from_ical(download.value.path().read_bytes()).walk("VEVENT")
    assert f"Installer Signal {suffix}" in str(event["summary"])
    assert "Médiathèque" in str(event["location"])

    # 2. « Je viendrai », once however many runs.
    card.locator(f".st-key-help_coming_{lille} label").click()
    expect(phone.get_by_text("C'est noté : à bientôt !")).to_be_visible(timeout=budget())
    expect(card.get_by_text("1 foyer a dit qu'il viendrait")).to_be_visible(timeout=budget())
    screenshot(phone, "01-session")

    # 3. « J'ai besoin d'aide » on WhatsApp, with a message that tries markdown and a link.
    phone.locator(".st-key-help_ask_whatsapp").get_by_text("J'ai besoin d'aide").click()
    phone.locator(".st-key-help_message_whatsapp textarea").fill(
        "Mon [grand-père](https://evil.example) **vite**"
    )
    submit_form(phone, "help_ask_submit_whatsapp", "Demande envoyée", budget())
    expect(phone.get_by_text("Vous avez demandé de l'aide pour ce service.")).to_be_visible()

    # 4. The captain sees it on the collective's page, as plain text, and answers.
    captain_phone = small_phone_page(browser, live_server, offsite, "help_captain")
    try:
        log_in(captain_phone, captain_email, PASSWORD)
        captain_phone.goto("/collectif")
        wait_for_app(captain_phone)
        [request_id] = _requests(db, asker)
        box = captain_phone.locator(f".st-key-team_help_{request_id}")
        typed = box.get_by_text("Mon [grand-père](https:/")  # shown as typed: no link, no bold
        expect(typed).to_contain_text("evil.example) **vite**", timeout=budget())
        assert box.locator("a[href*='evil']").count() == 0
        box.locator(f".st-key-team_help_reply_{request_id} textarea").fill("Samedi 10 h à la médiathèque")
        box.locator(f".st-key-team_help_helped_{request_id} label").click()
        submit_form(captain_phone, f"team_help_send_{request_id}", "Réponse enregistrée", budget())
        expect(box.get_by_text("Aidé le")).to_be_visible(timeout=budget())
        assert captain_phone.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(captain_phone, "02-answered")
    finally:
        captain_phone.context.close()

    # 5. The household reads the answer; the mail is queued once.
    phone.reload()
    wait_for_app(phone)
    expect(phone.get_by_text("Samedi 10 h à la médiathèque")).to_be_visible(timeout=budget())
    expect(phone.get_by_text("Vous avez été aidé pour ce service.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    screenshot(phone, "03-answer")
    with db.read() as session:
        assert (
            session.scalar(select(func.count()).select_from(HelpRsvp).where(HelpRsvp.household_id == asker))
            == 1
        )
        mails = session.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.kind == "help_reply")
        ).all()
    assert list(mails).count(asker_email) == 1
    phone.context.close()
    assert offsite == [], f"third-party requests made by the app: {offsite}"


def test_a_household_without_a_collective_shares_its_request_and_a_captain_nearby_answers(
    browser: Browser, live_server: str, live_database: Database
) -> None:
    db, offsite = live_database, []
    suffix = uuid.uuid4().hex[:4]
    captain_email, captain = _household(db, f"Les Hérons {suffix}")
    asker_email, asker = _household(db, f"Les Mésanges {suffix}")  # in Lille too, without a collective
    membership.create_team(db, captain, f"Rue des Ormes {suffix}")

    # 1. The household asks for help and ticks the box to share it with the captains nearby.
    phone = small_phone_page(browser, live_server, offsite, "help_sharer")
    log_in(phone, asker_email, PASSWORD)
    phone.goto("/services")
    wait_for_app(phone)
    phone.locator(".st-key-help_ask_whatsapp").get_by_text("J'ai besoin d'aide").click()
    phone.locator(".st-key-help_message_whatsapp textarea").fill("Installer Signal chez ma grand-mère")
    phone.locator(".st-key-help_share_whatsapp label").click()
    submit_form(phone, "help_ask_submit_whatsapp", "Demande envoyée", budget())
    phone.locator(".st-key-help_request_whatsapp").scroll_into_view_if_needed()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "01-shared")

    # 2. A captain of the same EPCI answers it under « Entraide sur votre territoire ».
    captain_phone = small_phone_page(browser, live_server, offsite, "help_volunteer")
    try:
        log_in(captain_phone, captain_email, PASSWORD)
        captain_phone.goto("/collectif")
        wait_for_app(captain_phone)
        [request_id] = _requests(db, asker)
        box = captain_phone.locator(f".st-key-team_nearby_help_{request_id}")
        expect(box.get_by_text("Installer Signal chez ma grand-mère")).to_be_visible(timeout=budget())
        box.locator(f".st-key-team_nearby_help_reply_{request_id} textarea").fill("Je passe samedi à 10 h")
        box.locator(f".st-key-team_nearby_help_helped_{request_id} label").click()
        submit_form(captain_phone, f"team_nearby_help_send_{request_id}", "Réponse enregistrée", budget())
        expect(box.get_by_text("Aidé le")).to_be_visible(timeout=budget())
        assert captain_phone.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(captain_phone, "02-volunteer")
    finally:
        captain_phone.context.close()

    # 3. The household reads the answer and who gave it.
    phone.reload()
    wait_for_app(phone)
    expect(phone.get_by_text("Réponse d'un·e capitaine de votre territoire")).to_be_visible(timeout=budget())
    expect(phone.get_by_text("Je passe samedi à 10 h")).to_be_visible()
    phone.locator(".st-key-help_request_whatsapp").scroll_into_view_if_needed()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "03-answer")
    phone.context.close()
    assert offsite == [], f"third-party requests made by the app: {offsite}"


def _requests(db: Database, household_id: int) -> list[int]:
    with db.read() as session:
        return list(session.scalars(select(HelpRequest.id).where(HelpRequest.household_id == household_id)))
