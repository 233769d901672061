"""On a phone: an organiser drops a catalogue file, reads the preview, applies it; a broken file
is refused whole with its line, and nothing changes. (AppTest cannot upload files.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from challenge.accounts import credentials, sessions
from challenge.catalogue.snapshot import from_database
from challenge.curation.exchange import export_yaml
from challenge.infra.db import Database
from challenge.models import Alternative
from tests.e2e.conftest import EDITION_FORM_MS, budget, log_in, screenshot, wait_for_app

pytestmark = pytest.mark.e2e
PASSWORD = "une phrase de passe solide"
UPLOAD = ".st-key-console_catalogue_file_upload input[type=file]"
BEFORE, AFTER = "Moteur de recherche français", "Moteur de recherche européen"


def _qwant_description(db: Database) -> str:
    with db.read() as session:
        return session.scalars(select(Alternative.description).where(Alternative.slug == "qwant")).one()


def _drop(page: Page, text: str) -> None:
    page.locator(UPLOAD).set_input_files(
        files=[{"name": "alternatives.yaml", "mimeType": "application/yaml", "buffer": text.encode("utf-8")}]
    )
    wait_for_app(page, budget(EDITION_FORM_MS))


def test_an_organiser_previews_then_applies_a_catalogue_file(phone: Page, live_database: Database) -> None:
    account = credentials.sign_up(live_database, "orga.fichier@exemple.fr", PASSWORD)
    sessions.grant_role(live_database, account.id, "organiser")
    with live_database.read() as session:  # the live catalogue as exported, other tests' changes included
        current = export_yaml(from_database(session))["alternatives.yaml"]
    assert BEFORE in current
    log_in(phone, "orga.fichier@exemple.fr", PASSWORD)
    phone.goto("/console-catalogue-fichiers")
    wait_for_app(phone, budget(EDITION_FORM_MS))

    broken = current.replace("url: https://www.qwant.com/", "url: pas-une-adresse", 1)
    _drop(phone, broken)
    refusal = phone.locator('[data-testid="stAlert"]').filter(has_text="Import refusé, rien n'a été modifié")
    expect(refusal).to_contain_text("alternatives.yaml")  # the file, the line and the reason
    expect(refusal).to_contain_text("ligne")
    expect(refusal).to_contain_text("pas-une-adresse")
    screenshot(phone, "refused")
    assert _qwant_description(live_database).startswith(BEFORE)

    _drop(phone, current.replace(BEFORE, AFTER, 1))
    expect(phone.get_by_text("modifiée", exact=False).first).to_be_visible()
    expect(phone.get_by_text(AFTER, exact=False).first).to_be_visible()  # before → after, field by field
    screenshot(phone, "preview")
    assert _qwant_description(live_database).startswith(BEFORE)  # a preview writes nothing

    phone.locator(".st-key-console_catalogue_file_apply button").click()
    wait_for_app(phone, budget(EDITION_FORM_MS))
    expect(phone.get_by_text("Import appliqué.")).to_be_visible()
    expect(phone.get_by_text("Ces fichiers ne changent rien au catalogue.")).to_be_visible()
    screenshot(phone, "applied")
    assert _qwant_description(live_database).startswith(AFTER)
