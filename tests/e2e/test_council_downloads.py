"""A council agent opens /territoire on a phone, downloads the workbook, and finds in each sheet
what the page shows (the demo challenge, where the Métropole's figures are published)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from challenge.demo.generator import DEMO_LOGINS, DEMO_PASSWORD
from challenge.infra.db import Database
from tests.e2e.conftest import PHONE, budget, log_in, screenshot, wait_for_app

pytestmark = pytest.mark.e2e
SECTIONS = {"territoires", "tendance", "categories", "services", "alternatives", "quantites"}


def _digits(text: str) -> str:
    return re.sub(r"[\s\u202f\u00a0]", "", text)


HEADLINE = ("Foyers inscrits", "Foyers actifs", "Ont remplacé un service")


def _metrics(page: Page) -> dict[str, str]:
    """The headline metrics, once the run has drawn them (the heading comes first: on a busy
    machine the page can be read between the two)."""
    shown: dict[str, str] = {}
    metrics = page.locator(".st-key-dashboard_metrics [data-testid='stMetric']")
    for label in HEADLINE:
        expect(metrics.filter(has_text=label).locator("[data-testid='stMetricValue']")).to_be_visible()
    for index in range(metrics.count()):
        metric = metrics.nth(index)
        label = metric.locator("[data-testid='stMetricLabel']").inner_text().strip()
        shown[label] = _digits(metric.locator("[data-testid='stMetricValue']").inner_text())
    return shown


def test_the_council_agent_downloads_a_workbook_whose_sheets_hold_what_the_page_shows(
    browser: Browser, demo_site: tuple[str, Database], tmp_path: Path
) -> None:
    base, _db = demo_site
    context = browser.new_context(**PHONE, base_url=base, accept_downloads=True)
    context.set_default_timeout(budget())
    page = context.new_page()
    try:
        log_in(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
        page.goto("/territoire")  # the documented address, opened directly
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Tableau de bord du territoire")).to_be_visible()
        territory = page.get_by_role("combobox", name="Territoire").input_value()
        shown = _metrics(page)
        assert shown["Foyers inscrits"].isdigit(), shown  # the Métropole's figures are published
        download_button = page.get_by_role("button", name="Classeur Excel (un onglet par section)")
        download_button.scroll_into_view_if_needed()
        screenshot(page, "council-downloads")
        with page.expect_download(timeout=budget()) as started:
            download_button.click()
        download = started.value
        assert download.suggested_filename.endswith(".xlsx")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        book = openpyxl.load_workbook(saved)
    finally:
        context.close()

    assert set(book.sheetnames) >= SECTIONS, book.sheetnames

    def rows(name: str) -> list[dict[str, object]]:
        sheet = book[name]
        header = [cell.value for cell in sheet[1]]
        return [
            dict(zip(header, (cell.value for cell in line), strict=True))
            for line in sheet.iter_rows(min_row=2)
        ]

    headline = rows("territoires")[0]
    assert headline["territoire"] == territory
    assert str(headline["foyers_inscrits"]) == shown["Foyers inscrits"]
    assert str(headline["foyers_actifs"]) == shown["Foyers actifs"]
    assert str(headline["foyers_ayant_remplace_un_service"]) == shown["Ont remplacé un service"]
    trend = rows("tendance")
    assert [row["semaine"] for row in trend] == list(range(1, len(trend) + 1))
    assert str(trend[-1]["foyers_inscrits"]) == shown["Foyers inscrits"]  # the range ends at the headline
    for name in SECTIONS:
        for row in rows(name):
            assert row["licence"] == "Licence Ouverte / Open Licence 2.0 (Etalab)", name
            assert "moins de 11 foyers" in str(row["regle_de_confidentialite"]), name
            assert row["semaines"] == f"1-{len(trend)}", name
