"""The one rule for every cell we write to a CSV or XLSX file: text never runs as a formula.

A spreadsheet evaluates a cell starting with `=`, `+`, `-` or `@` (and, in some, after a leading
tab or carriage return) as a formula: a team name `=HYPERLINK("http://evil.example","clic")`
would be a live link in every member's export. OWASP's rule: such text gets a leading `'`.
Numbers stay numbers (a negative figure is not text).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: object) -> object:
    """`value` as a cell a spreadsheet shows as text, never evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_row(row: dict[str, object]) -> dict[str, object]:
    return {name: inert_cell(value) for name, value in row.items()}
