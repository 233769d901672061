"""The English catalogue is complete and up to date with the sources; the locale is per context."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from challenge.core import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = i18n.TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every msgid of the sources, extracted exactly as `make i18n` does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    arguments = [
        "pybabel", "--quiet", "extract", "--mapping", "babel.cfg", "--no-location", "--omit-header",
        "--keywords", "lazy_gettext", "--ignore-dirs", ".venv node_modules tests bench migrations scripts",
        "--output", str(pot), str(ROOT),
    ]  # fmt: skip
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(ROOT)
    try:
        CommandLineInterface().run(arguments)
    finally:
        monkeypatch.undo()
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.fixture(scope="module")
def catalogue() -> dict[str, object]:
    with PO.open("rb") as handle:
        return {(m.id if isinstance(m.id, str) else m.id[0]): m for m in read_po(handle) if m.id}


def test_every_string_of_the_sources_is_in_the_english_catalogue(
    extracted: set[str], catalogue: dict[str, object]
) -> None:
    missing = sorted(extracted - catalogue.keys())
    assert not missing, f"run `make i18n` and translate: {missing[:20]}"


def test_the_english_catalogue_has_no_stale_entry(extracted: set[str], catalogue: dict[str, object]) -> None:
    stale = sorted(catalogue.keys() - extracted)
    assert not stale, f"run `make i18n`: these strings are no longer in the sources: {stale[:20]}"


def test_every_english_entry_is_translated(catalogue: dict[str, object]) -> None:
    untranslated = [
        msgid
        for msgid, message in catalogue.items()
        if not message.string
        or (isinstance(message.string, tuple) and not all(message.string))  # type: ignore[attr-defined]
        or message.fuzzy  # type: ignore[attr-defined]
    ]
    assert not untranslated, f"translate in {PO.name}: {untranslated[:20]}"


def test_the_compiled_catalogue_is_not_older_than_its_source() -> None:
    compiled = PO.with_suffix(".mo")
    assert compiled.exists(), "run `make translations`"
    assert compiled.stat().st_mtime >= PO.stat().st_mtime, "run `make translations`"


def test_the_locale_is_french_by_default_and_normalised() -> None:
    assert i18n.current_locale() == "fr"
    assert i18n.normalise("en-GB") == "en"
    assert i18n.normalise("de") == "fr"
    assert i18n.normalise(None) == "fr"


def test_use_locale_restores_the_previous_language() -> None:
    with i18n.use_locale("en"):
        assert i18n.current_locale() == "en"
    assert i18n.current_locale() == "fr"


def _streamlit_calls_with_help(path: Path) -> list[str]:
    """`st.<widget>(..., help=...)` calls of a file, as "file:line"."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "st"
            and any(keyword.arg == "help" for keyword in node.keywords)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_widget_has_a_streamlit_tooltip_named_in_english() -> None:
    """Streamlit names each `help=` tooltip "Help for <label>" in English whatever the page's
    language: help texts are captions, written in the page's language (gettext) like the rest."""
    sources = [ROOT / "streamlit_app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    found = [call for path in sources for call in _streamlit_calls_with_help(path)]
    assert found == [], found
