"""The house rules the import contracts cannot see: short modules, thin pages.

`make lint` checks who imports whom (.importlinter); these check the rest of the layout the README
describes: no module of the app over 300 lines, and no page that opens the database itself (a page
calls one view function of challenge.views, which owns the read).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("challenge", "ui", "web", "pages")
MAX_LINES = 300
TRANSACTIONS = {"read", "write", "run_write", "connect", "begin"}


def app_modules() -> list[Path]:
    modules = [ROOT / "app.py", ROOT / "streamlit_app.py"]
    for package in APP_PACKAGES:
        modules += sorted((ROOT / package).rglob("*.py"))
    return modules


def test_the_app_has_modules_to_check() -> None:
    assert len(app_modules()) > 150  # a wrong root would make the next tests pass on nothing


@pytest.mark.parametrize("module", app_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_longer_than_300_lines(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module.relative_to(ROOT)}: {lines} lines; split it by concept"


def transactions_opened(source: str) -> list[str]:
    """`x.read()`, `context.database().write()`…: calls that open a transaction."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            streamlit = isinstance(node.func.value, ast.Name) and node.func.value.id == "st"
            if node.func.attr in TRANSACTIONS and not streamlit:
                found.append(f"line {node.lineno}: .{node.func.attr}()")
    return found


def test_the_check_sees_a_page_that_opens_the_database() -> None:
    page = "with context.database().read() as session:\n    rows = session.scalars(q)\n"
    assert transactions_opened(page) == ["line 1: .read()"]
    assert transactions_opened("db.run_write(record)\n") == ["line 1: .run_write()"]
    assert transactions_opened("st.write('**3** alternatives')\n") == []  # Streamlit's write


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_never_open_the_database_themselves(page: Path) -> None:
    assert transactions_opened(page.read_text(encoding="utf-8")) == [], (
        f"{page.name} opens a transaction: call a view function (challenge/views) instead"
    )
