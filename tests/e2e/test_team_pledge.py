"""A threshold pledge on 360×740 phones, against the real server: a member pledges to leave
WhatsApp for Signal once one other member is on it; another member's check-in on Signal triggers
it; the pledger sees the notice on the collective's page, and its mail is queued (once)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from challenge.infra.db import Database
from challenge.models import OutboxMessage, TeamPledge
from challenge.teams import captains, membership
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
    return whatsapp_household(db, name, PASSWORD, "pledge")


def test_a_threshold_pledge_triggers_and_the_pledger_is_told(
    browser: Browser, live_server: str, live_database: Database
) -> None:
    db, offsite = live_database, []
    suffix = uuid.uuid4().hex[:4]
    _captain_email, captain = _household(db, f"Les Hérons {suffix}")
    pledger_email, pledger = _household(db, f"Les Mésanges {suffix}")
    switcher_email, switcher = _household(db, f"Les Pinsons {suffix}")
    team = membership.create_team(db, captain, f"Rue des Tilleuls {suffix}")
    for member in (pledger, switcher):
        membership.join_team(db, member, team.invite_code)
    captains.set_goal(db, captain, team.id, "whatsapp", "signal")

    # 1. A member pledges: WhatsApp → Signal once one other member is on Signal.
    phone = small_phone_page(browser, live_server, offsite, "team_pledge")
    log_in(phone, pledger_email, PASSWORD)
    phone.goto("/collectif")
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="Engagements")).to_be_visible(timeout=budget())
    threshold = phone.get_by_role("spinbutton", name="quand ce nombre d'autres membres du collectif y seront")
    threshold.fill("1")
    submit_form(phone, "team_pledge_save", "Engagement enregistré", budget())
    expect(phone.get_by_text("encore 1 membre à convaincre")).to_be_visible(timeout=budget())
    screenshot(phone, "01-pledged")

    # 2. Another member checks in on its own phone: "Passé à Signal".
    other = small_phone_page(browser, live_server, offsite, "team_pledge_switcher")
    try:
        log_in(other, switcher_email, PASSWORD)
        other.goto("/bilan")
        wait_for_app(other)
        form = other.locator('[data-testid="stMain"]')
        form.locator(".st-key-checkin_status_whatsapp_3 label").filter(has_text="Passé à Signal").click()
        form.get_by_role("button", name="Enregistrer mon bilan").click()
        expect(other.get_by_text("Bilan de la semaine 3 enregistré")).to_be_visible(timeout=budget())
    finally:
        other.context.close()

    # 3. The pledger's page tells it, once; its mail is queued once.
    phone.reload()
    wait_for_app(phone)
    notice = phone.get_by_text("Votre engagement est déclenché")
    expect(notice).to_be_visible(timeout=budget())
    expect(phone.get_by_text(f"Déjà sur Signal : Les Pinsons {suffix}")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    screenshot(phone, "02-triggered")
    with db.read() as session:
        assert session.scalar(select(TeamPledge.triggered_at).where(TeamPledge.household_id == pledger))
        mails = session.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.kind == "pledge_triggered")
        ).all()
    assert list(mails).count(pledger_email) == 1
    phone.get_by_role("button", name="C'est noté").click()
    expect(phone.get_by_text("Bonne bascule !")).to_be_visible(timeout=budget())
    expect(notice).to_have_count(0)
    phone.context.close()
    assert offsite == [], f"third-party requests made by the app: {offsite}"
