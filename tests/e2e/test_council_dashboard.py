"""A council agent of the Lille metropolis opens its dashboard on a phone and downloads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from challenge.accounts import credentials
from challenge.infra.db import Database
from challenge.models import RoleGrant
from tests.e2e.conftest import log_in, screenshot, wait_for_app

pytestmark = pytest.mark.e2e
PASSWORD = "une phrase de passe solide"


def test_council_agent_sees_and_downloads_its_territory(phone: Page, live_database: Database) -> None:
    account = credentials.sign_up(live_database, "agent.mel@exemple.fr", PASSWORD)
    with live_database.write() as session:
        session.add(
            RoleGrant(
                account_id=account.id, role="council", territory_level="epci", territory_code="200093201"
            )
        )
    log_in(phone, "agent.mel@exemple.fr", PASSWORD)
    expect(phone.get_by_role("heading", name="Tableau de bord du territoire")).to_be_visible()
    phone.goto("/territoire")  # the address the README gives, not only `/`
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="Tableau de bord du territoire")).to_be_visible()
    expect(phone.get_by_text("Page not found")).to_have_count(0)
    expect(phone.get_by_role("combobox", name="Mon périmètre")).to_have_value("Métropole Européenne de Lille")
    screenshot(phone, "dashboard")
    # The e2e database has a handful of households at most: everything is secret, and said so.
    expect(phone.get_by_text("Trop peu de foyers sur ce territoire")).to_be_visible()
    phone.goto("/resultats")
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name="Résultats du défi")).to_be_visible()
    screenshot(phone, "results")
