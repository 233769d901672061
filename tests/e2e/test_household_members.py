"""A household of two on a 360×740 phone, against the real server: it adds Léa and Tom on « Mes
services », says both use WhatsApp, answers the check-in once per person (Léa on Signal, Tom still
on WhatsApp) and reads on « Mon défi » where each one is; the household still counts as on
WhatsApp."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from challenge.core.clock import today
from challenge.households import members
from challenge.infra.db import Database
from challenge.models import Checkin
from challenge.views.household import checkin_view
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


def _add(phone: Page, name: str) -> None:
    phone.locator(".st-key-services_member_new input").fill(name)
    submit_form(phone, "services_member_add", f"{name} fait partie du foyer", budget())


def _tap(phone: Page, key: str, answer: str) -> None:
    phone.locator(f".st-key-{key}").get_by_text(answer, exact=True).click()
    wait_for_app(phone)


def _pick_person(phone: Page, key: str, name: str) -> None:
    """Tap a person's pill (once the page is quiet), then wait until it shows as chosen."""
    wait_for_app(phone)
    pills = phone.locator(f".st-key-{key}")
    pills.get_by_role("button", name=name, exact=True, pressed=False).click()
    expect(pills.get_by_role("button", name=name, exact=True, pressed=True)).to_be_visible()
    wait_for_app(phone)


def test_a_household_of_two_checks_in_once_per_person(
    browser: Browser, live_server: str, live_database: Database
) -> None:
    db, offsite = live_database, []
    email, household = whatsapp_household(db, f"Les Loriots {uuid.uuid4().hex[:4]}", PASSWORD, "members")
    phone = small_phone_page(browser, live_server, offsite, "members")
    log_in(phone, email, PASSWORD)

    # 1. « Mon foyer »: Léa and Tom; both use WhatsApp.
    phone.goto("/services")
    wait_for_app(phone)
    _add(phone, "Léa")
    _add(phone, "Tom")
    with db.read() as session:
        lea, tom = members.members_of(session, household)
    phone.get_by_text("Mon foyer").scroll_into_view_if_needed()
    screenshot(phone, "00-my-household")
    _pick_person(phone, "services_users_whatsapp", "Léa")
    _pick_person(phone, "services_users_whatsapp", "Tom")
    expect(phone.get_by_text("Au bilan, 2 réponses pour WhatsApp, une par personne.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    screenshot(phone, "01-services")
    submit_form(phone, "services_save", "C'est noté", budget())

    # 2. The check-in: one answer for Léa, one for Tom.
    week = checkin_view(db, household, today()).weeks[0]
    phone.goto("/bilan")
    wait_for_app(phone)
    expect(phone.get_by_text("la personne la moins avancée")).to_be_visible(timeout=budget())
    _tap(phone, f"checkin_member_status_whatsapp_{lea}_{week}", "Passé à Signal")
    _tap(phone, f"checkin_member_status_whatsapp_{tom}_{week}", "Toujours WhatsApp")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "02-checkin")
    submit_form(phone, f"checkin_submit_{week}", f"Bilan de la semaine {week} enregistré", budget())

    # 3. « Mon défi »: who is where; the household is still on WhatsApp.
    places = phone.get_by_text("Léa : Signal · Tom : encore WhatsApp")
    expect(places).to_be_visible(timeout=budget())
    places.scroll_into_view_if_needed()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "03-progress")
    with db.read() as session:
        assert session.scalars(select(Checkin.status).where(Checkin.household_id == household)).all() == [
            "still"
        ]
    phone.context.close()
    assert offsite == [], f"third-party requests made by the app: {offsite}"
