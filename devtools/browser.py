"""How tests and benchmarks start Debian's Chromium: headless, and quiet towards the outside
(no background networking, component updates or sync: the machine's network is closed anyway)."""

from __future__ import annotations

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
