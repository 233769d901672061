"""French formatting of numbers and dates for display."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

LOCALE = "fr_FR"


def number(value: float | int) -> str:
    return format_decimal(value, locale=LOCALE)


def percent(value: float) -> str:
    """`value` in 0-100."""
    return format_percent(value / 100, locale=LOCALE, format="#,##0 %")


_MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~:$"


def plain(text: str) -> str:
    """User or catalogue text made inert for st.markdown: no link, image, HTML or formatting."""
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIALS else char for char in str(text))
