"""What the phone and accessibility tests check on a page: sideways overflow, axe-core, and the
navigation at 360 px (one compact row, the language switch and a visitor's account links in it).

The page list of each role comes from `ui.navigation.pages_for`, so a page added there is
audited without touching the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
from playwright.sync_api import Page
from sqlalchemy import select

from challenge.accounts.sessions import Identity
from challenge.infra.db import Database
from challenge.models import Account, Household, RoleGrant

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
NARROW_PHONE = {"width": 360, "height": 740}
BLOCKING_IMPACTS = ("critical", "serious")
# Moderate rules we hold ourselves to as well: headings never skip a level (RGAA 9.1), and each
# landmark a screen reader lists has a distinct name (RGAA 12.6).
BLOCKING_RULES = ("heading-order", "landmark-unique")
# CSS selectors axe-core leaves out, each with its reason: only Streamlit's own chrome, never
# something we render. None is needed today (axe-core 4.14.1, Streamlit 1.67: its toolbar and
# status widget pass); what axe cannot see is in the accessibility statement (pages/accessibility.py).
AXE_EXCLUDED: dict[str, str] = {}

# Overflow: the document must not scroll sideways, and nothing in the page may stick out of the
# viewport, except inside an element meant to scroll sideways (a dataframe, a code block).
OVERFLOW_SCRIPT = """() => {
  const limit = document.documentElement.clientWidth;
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const scrollsX = (node) => ["auto", "scroll"].includes(getComputedStyle(node).overflowX);
  const pageLevel = (node) => main && node.contains(main);
  const describe = (el) => {
    const test = el.getAttribute("data-testid");
    const key = [...el.classList].find((c) => c.startsWith("st-key-"));
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
    const r = el.getBoundingClientRect();
    return `<${el.tagName.toLowerCase()}${test ? ` data-testid=${test}` : ""}${key ? ` .${key}` : ""}> ` +
      `${Math.round(r.left)}..${Math.round(r.right)} px "${text}"`;
  };
  // Inside an element meant to scroll sideways, or clipped by one that fits the screen.
  const contained = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (pageLevel(node)) return false;
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
      if (overflow === "hidden" || overflow === "clip") {
        const box = node.getBoundingClientRect();
        if (box.left >= -1 && box.right <= limit + 1) return true;
      }
    }
    return false;
  };
  const problems = [];
  for (const node of [document.scrollingElement, ...document.body.querySelectorAll("*")]) {
    const level = node === document.scrollingElement || (pageLevel(node) && scrollsX(node));
    if (level && node.scrollWidth > node.clientWidth + 1) {
      problems.push(`${describe(node)} scrolls sideways: ${node.scrollWidth} > ${node.clientWidth} px`);
    }
  }
  const flagged = new Set();  // reported, or invisible: their descendants are skipped
  for (const el of main ? main.querySelectorAll("*") : []) {
    if (flagged.has(el.parentElement)) { flagged.add(el); continue; }  // report the outermost only
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.opacity === "0") { flagged.add(el); continue; }  // e.g. toolbars shown on hover
    if (style.visibility === "hidden" || style.position === "fixed") continue;
    if (r.left >= -1 && r.right <= limit + 1) continue;
    if (contained(el)) continue;
    flagged.add(el);
    problems.push(`${describe(el)} sticks out of the ${limit} px viewport`);
  }
  return problems;
}"""

AXE_RUN = """async ([exclude, impacts, rules]) => {
  const result = await axe.run({ exclude: exclude.map((selector) => [selector]) }, {
    resultTypes: ["violations"],
  });
  const blocking = (v) => impacts.includes(v.impact) || rules.includes(v.id);
  return result.violations.filter(blocking).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} :: ${n.html.slice(0, 160)}`),
  }));
}"""

# The height of the content that scrolls inside Streamlit's main container (not the document).
CONTENT_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
  ...[...document.querySelectorAll("*")]
  .filter((n) => n.contains(document.querySelector('[data-testid="stMainBlockContainer"]')))
  .map((n) => n.scrollHeight))"""


@dataclass(frozen=True)
class AppPage:
    url_path: str  # "" for the role's default page
    title: str


class _RecordedPage:
    """Stands in for st.Page outside a Streamlit run: keeps what pages_for asked for."""

    def __init__(self, page: Any, *, title: Any = None, url_path: str | None = None, **options: Any) -> None:
        default = bool(options.get("default"))
        inferred = getattr(page, "__name__", None) or Path(str(page)).stem
        self.url_path = "" if default else (url_path if url_path is not None else inferred)
        self.title = str(title or inferred)
        self.visibility = options.get("visibility", "visible")


def pages_of(identity: Identity | None) -> list[AppPage]:
    """Every page `build_pages` gives this identity (what `pages_for` hands out, cached), hidden
    ones and gates included."""
    from ui import navigation

    real_page = st.Page
    st.Page = _RecordedPage  # type: ignore[assignment,misc]
    try:
        recorded = navigation.build_pages(identity)
    finally:
        st.Page = real_page  # type: ignore[misc]
    return [AppPage(p.url_path, p.title) for p in recorded]  # type: ignore[attr-defined]


def identity_of(db: Database, email: str) -> Identity:
    """The identity an account has once logged in (household and roles), from the database."""
    with db.read() as session:
        account = session.scalars(select(Account).where(Account.email == email)).one()
        household = session.scalar(select(Household.id).where(Household.account_id == account.id))
        roles = frozenset(session.scalars(select(RoleGrant.role).where(RoleGrant.account_id == account.id)))
    return Identity(account.id, email, "", household_id=household, roles=roles)


def overflow_problems(page: Page) -> list[str]:
    return list(page.evaluate(OVERFLOW_SCRIPT))


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Critical and serious axe-core violations, and BLOCKING_RULES (axe is injected by `install_axe`)."""
    return list(page.evaluate(AXE_RUN, [list(AXE_EXCLUDED), list(BLOCKING_IMPACTS), list(BLOCKING_RULES)]))


def install_axe(page: Page) -> None:
    """Load axe-core in every document of this page, before its own scripts.

    An init script goes through the DevTools protocol, so the app's Content-Security-Policy
    (no inline script) stays on and is still exercised by these tests.
    """
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run `npm ci` (make install does)")
    page.context.add_init_script(path=str(AXE_SCRIPT))


def full_screenshot(page: Page, path: Path, timeout_ms: float) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside a container, not the document.

    The window is made as tall as the content; the shot is taken once the browser has applied
    that height (a state, not a fixed pause), within `timeout_ms` (a budget scaled to the
    machine by the caller): a tall page at device scale 2 is slow to paint on a loaded machine.
    """
    viewport = page.viewport_size or NARROW_PHONE
    height = max(viewport["height"], page.evaluate(CONTENT_HEIGHT))
    page.set_viewport_size({"width": viewport["width"], "height": height})
    try:
        page.wait_for_function("h => window.innerHeight >= h", arg=height, timeout=timeout_ms)
        page.screenshot(path=str(path), timeout=timeout_ms)
    finally:
        page.set_viewport_size(viewport)


ROW_HEIGHT = 60  # px: one row of 44 px touch targets and its padding

# Where the navigation row is, and each of its links (name, box) and the language link's box.
NAVIGATION_MEASURE = """() => {
  const bar = document.querySelector('.st-key-nav_bar');
  if (!bar) return null;
  const box = (el) => { const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const links = [...bar.querySelectorAll('.dzg-lang, .dzg-account')];
  const headings = [...main.querySelectorAll('h1')].map(box);
  return {bar: box(bar), language: !!bar.querySelector('.dzg-lang'),
          links: links.map((a) => ({name: a.title || a.textContent.trim(), ...box(a)})),
          heading: headings.length ? headings[0] : null, width: document.documentElement.clientWidth};
}"""


def navigation_problems(page: Page, path: str, visitor: bool) -> list[str]:
    """What is wrong with the navigation row of the page shown (empty: nothing)."""
    found = page.evaluate(NAVIGATION_MEASURE)
    if found is None:
        return [f"{path}: no navigation bar"]
    bar, problems = found["bar"], []
    if bar["bottom"] - bar["top"] > ROW_HEIGHT:
        problems.append(
            f"{path}: the navigation takes {bar['bottom'] - bar['top']:.0f} px (more than one row)"
        )
    if not found["language"]:
        problems.append(f"{path}: no language switch in the navigation row")
    for link in found["links"]:
        if link["top"] < bar["top"] - 1 or link["bottom"] > bar["bottom"] + 1:
            problems.append(f"{path}: '{link['name']}' is on a line of its own, not in the navigation row")
        if link["left"] < -1 or link["right"] > found["width"] + 1:
            problems.append(f"{path}: '{link['name']}' sticks out of the screen")
    names = {link["name"] for link in found["links"]}
    if visitor and not {"Se connecter", "Créer un compte"} <= names:
        problems.append(f"{path}: a visitor's log-in and sign-up links are not in the row ({sorted(names)})")
    heading = found["heading"]
    if heading is not None and heading["top"] - bar["bottom"] > 120:
        problems.append(
            f"{path}: {heading['top'] - bar['bottom']:.0f} px between the navigation and the title"
        )
    return problems
