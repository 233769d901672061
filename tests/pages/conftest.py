"""Helpers to run the real Streamlit script with AppTest as a given visitor."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from challenge.cli.reference import load_reference
from challenge.infra import migrate
from challenge.infra.db import Database, shared_database
from tests.conftest import Member, empty_database

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
    # Markdown escapes and word joiners (ui.format.plain) are not what a person reads.
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts)).replace("\u2060", "")


@pytest.fixture
def open_app(db: Database) -> Callable[..., AppTest]:
    """Run the app as `who` (None for a visitor), optionally on a page file and with a language cookie."""

    def run(who: Member | None = None, page: str | None = None, lang: str | None = None) -> AppTest:
        at = AppTest.from_file(SCRIPT, default_timeout=TIMEOUT)
        at.user = {"session": who.session_hash} if who else {}
        if lang:  # a `dzg_lang` cookie, as the language middleware passes it on
            at.user = {**at.user, "lang": lang}
        at.run()
        if page is not None:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Pages are tested on SQLite only: they exercise the UI; the services below them are tested
    on both databases in tests/integration, which keeps the suite within its time budget."""
    with empty_database("sqlite", str(tmp_path_factory.mktemp("pages-db"))) as url:
        migrate.upgrade(url)
        load_reference(shared_database(url))
        yield url
