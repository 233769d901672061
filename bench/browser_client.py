"""The weekly journey in a real browser: Playwright pages in one headless Chromium, phone-sized."""

from __future__ import annotations

import asyncio
import contextlib
import re

from playwright.async_api import Browser, Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from bench.journey import (
    INTERACTION_TIMEOUT_MS,
    PROGRESS_SHOWN,
    SAME_ANSWERS,
    SAVED,
    STATUS_KEY,
    SUBMIT_LABELS,
    Plan,
    Stats,
    describe,
    timed,
)
from web.identity import SESSION_COOKIE

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "fr-FR"}


async def browser_session(browser: Browser, base: str, cookie: str, stats: Stats, plan: Plan) -> None:
    """One household on a phone in Chromium: the same journey, rendering included.

    The check-in lands on "Mon défi" by itself; a click on the link of the page on screen runs
    nothing in a browser, so there is no separate "open progress" step here.
    """
    await asyncio.sleep(plan.delay)
    context = await browser.new_context(**PHONE, base_url=base)  # type: ignore[arg-type]
    context.set_default_timeout(INTERACTION_TIMEOUT_MS)
    await context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": base}])
    page = await context.new_page()
    nav = page.locator(".st-key-nav_bar")
    step = "browser: first load (/)"
    try:
        await timed(stats, step, _open(page, None, "Mon défi"))
        stats.sessions_held += 1
        for _ in range(plan.limit if plan.active else 0):
            if not await plan.pause():
                break
            step = "browser: open /bilan"
            await timed(
                stats, step, _open(page, nav.get_by_role("link", name="Bilan"), "Bilan de la semaine")
            )
            await plan.pause()
            step = "browser: check-in"  # lands on "Mon défi" (st.switch_page): its run is timed too
            await timed(stats, step, _check_in(page))
        await plan.idle()
    except Exception as error:
        stats.errors.append(f"{step}: {describe(error)}")
    finally:
        await context.close()


async def _open(page: Page, link: Locator | None, heading: str) -> None:
    """Go to a page (a navigation link, or / when None) until its heading shows and the run ends."""
    if link is None:
        await page.goto("/")
    else:
        await link.click()
        await _rerun_started(page)
    await page.get_by_role("heading", name=heading).first.wait_for()
    await _settled(page)


async def _check_in(page: Page) -> None:
    same = page.get_by_role("button", name=SAME_ANSWERS)
    if await same.count():
        await same.click()
    else:
        await _answer_every_service(page)
        await page.get_by_role("button", name=re.compile("|".join(SUBMIT_LABELS))).click()
    await _rerun_started(page)
    await page.get_by_text(SAVED).wait_for()
    await page.get_by_text(PROGRESS_SHOWN).wait_for()
    await _settled(page)


async def _answer_every_service(page: Page) -> None:
    """A first check-in starts unanswered: tap the first answer of each service without one."""
    groups = page.locator(f'[class*="st-key-{STATUS_KEY}"]')
    for index in range(await groups.count()):
        group = groups.nth(index)
        if not await group.locator("input[type=radio]:checked").count():
            await group.locator("label").first.click()
            await _rerun_started(page)
            await _settled(page)


async def _rerun_started(page: Page) -> None:
    """A click asks for a rerun at once (state "rerunRequested"): wait for that, so that what
    is already on screen (the same page, its heading) is not mistaken for the result."""
    with contextlib.suppress(PlaywrightTimeout):
        await page.locator('[data-testid="stApp"]:not([data-test-script-state="notRunning"])').wait_for(
            state="attached", timeout=2000
        )


async def _settled(page: Page) -> None:
    """The script run is over (as tests/e2e's wait_for_app) and it shows no error."""
    await page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        state="attached"
    )
    await page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    shown = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    if await shown.count():
        raise RuntimeError(f"the page shows an error: {(await shown.first.inner_text())[:160]!r}")
