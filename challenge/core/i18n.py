"""Translations: French source strings, an English gettext catalogue, per-locale formatting.

The UI is written in French (the default language); `_("...")` looks the French text up in the
catalogue of the current locale. The locale is a context variable: the Streamlit script sets it
for each run from the account's preference, the HTTP routes for each request.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.support import LazyProxy, NullTranslations, Translations

LOCALES = ("fr", "en")
DEFAULT_LOCALE = "fr"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("dzg_locale", default=DEFAULT_LOCALE)


def normalise(locale: str | None) -> str:
    """A supported locale for any tag the outside world gives ("en-GB", "EN", None)."""
    tag = (locale or "").replace("-", "_").split("_")[0].lower()
    return tag if tag in LOCALES else DEFAULT_LOCALE


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue of `locale` (French is the source language: no catalogue)."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [locale], domain=DOMAIN)


def current_locale() -> str:
    return _current.get()


BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def babel_locale() -> str:
    """The Babel locale that formats numbers and dates of the current language (ui/format.py)."""
    return BABEL_LOCALES.get(_current.get(), "fr_FR")


def set_locale(locale: str | None) -> str:
    """Make `locale` the language of everything this thread or task renders next."""
    chosen = normalise(locale)
    _current.set(chosen)
    return chosen


@contextlib.contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """Render in `locale` inside the block, then go back to the previous language."""
    token = _current.set(normalise(locale))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count`; French, the source language, is singular up to 1 ("0 service remplacé"),
    where gettext's default rule (the English one) would say "0 services"."""
    if _current.get() == DEFAULT_LOCALE:
        return singular if -1 <= count <= 1 else plural  # CLDR "one" for French: i = 0 or 1
    return translations(_current.get()).ngettext(singular, plural, count)


def lazy_gettext(message: str) -> LazyProxy:
    """A string translated when it is rendered: for module-level constants (labels, titles)."""
    return LazyProxy(gettext, message, enable_cache=False)


_ = gettext
