"""Helpers to run the real Streamlit script with AppTest as a given visitor."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from challenge.db import Database
from tests.conftest import Member

SCRIPT = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
TIMEOUT = 30


def texts(at: AppTest) -> str:
    """Every piece of text the run rendered, for assertions on what a person would read."""
    parts = [
        e.value
        for kind in (
            "title",
            "header",
            "subheader",
            "markdown",
            "caption",
            "info",
            "success",
            "warning",
            "error",
        )
        for e in getattr(at, kind)
    ]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    # Markdown escapes (ui.format.plain) are not what a person reads.
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


@pytest.fixture
def open_app(db: Database) -> Callable[..., AppTest]:
    """Run the app as `who` (None for a visitor), optionally on a page file."""

    def run(who: Member | None = None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(SCRIPT, default_timeout=TIMEOUT)
        at.user = {"session": who.session_hash} if who else {}
        at.run()
        if page is not None:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run
