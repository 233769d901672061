"""The clock of the app: what day it is, from one place, so that rules and pages agree on it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    """Today's date, as the machine's clock says (week numbers and windows count from it)."""
    return date.today()


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return datetime.now(UTC)
