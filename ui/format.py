"""Numbers and dates formatted for display in the language of the current run (Babel)."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from challenge.core.i18n import babel_locale, current_locale

_PERCENT = {"fr": "#,##0 %", "en": "#,##0%"}
PARIS = ZoneInfo("Europe/Paris")  # the challenge's time zone, whatever the server's


def number(value: float | int) -> str:
    return format_decimal(value, locale=babel_locale())


def percent(value: float) -> str:
    """`value` in 0-100."""
    return format_percent(value / 100, locale=babel_locale(), format=_PERCENT.get(current_locale(), "#,##0%"))


def day(value: date) -> str:
    """A date in figures, as each language writes it (23/11/2026 in France and in Britain)."""
    return format_date(value, format="short", locale=babel_locale())


def day_month(value: date) -> str:
    """Day and month, for week ranges (23/11)."""
    return format_date(value, format="dd/MM", locale=babel_locale())


def long_day(value: date) -> str:
    """A date in words: « 23 novembre 2026 », "23 November 2026"."""
    return format_date(value, format="long", locale=babel_locale())


def moment(value: datetime) -> str:
    """A date and time in figures, in Paris time: 23/11/2026 14:05 (23/11/2026, 14:05 in English)."""
    return format_datetime(value, format="short", tzinfo=PARIS, locale=babel_locale())


_MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~:$"


WORD_JOINER = "\u2060"  # invisible, and not a character of any address
_AUTOLINK_STARTS = re.compile(r"(:/)(/)|(w{3})(\.)|(@)()", re.IGNORECASE)


def _unlinkable(text: str) -> str:
    """Streamlit's markdown (GFM) turns bare "scheme://…", "www.…" and "a@b.c" into links in any
    text, escaped or not: a word joiner inside each of these starts breaks the pattern."""
    return _AUTOLINK_STARTS.sub(lambda m: WORD_JOINER.join(g for g in m.groups() if g is not None), text)


def plain(text: str) -> str:
    """User or catalogue text made inert for st.markdown: no link (not even a bare address), no
    image, HTML or formatting. The one rendering path for untrusted text inside markdown."""
    text = _unlinkable(str(text))
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIALS else char for char in text)
